//! The registry macro: from the list of components in `components/mod.rs`, generates the enums
//! of events and rides, the structs of plans, states and records, one bit per component, the
//! lifecycle calls, one static dispatcher per hook (see [`super::contract`]) and one per
//! question of the analytic estimate (`terms`).

/// Generates the registry from `Variant => field: Type` lines (see `components/mod.rs`).
macro_rules! components {
    ($($(#[$doc:meta])* $Variant:ident => $field:ident : $T:ty),* $(,)?) => {
        /// Every component's events.
        #[derive(Clone, Copy, Debug)]
        pub enum Event {
            $($(#[$doc])* $Variant(<$T as Component>::Event)),*
        }

        /// What one component keeps on a frame (at most one per frame).
        #[derive(Clone, Copy, Debug, Default)]
        pub enum Ride {
            /// Nothing.
            #[default]
            None,
            $($(#[$doc])* $Variant(<$T as Component>::Ride)),*
        }

        /// Every component's compiled plan (part of the model).
        #[derive(Clone, Debug, Default)]
        pub struct Plans {
            $($(#[$doc])* pub $field: <$T as Component>::Plan),*
        }

        /// Every component's state in one replication.
        pub struct States {
            $($(#[$doc])* pub $field: <$T as Component>::State),*
        }

        /// Every component's record of one replication.
        #[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
        pub struct Reps {
            $($(#[$doc])* #[serde(default)] pub $field: <$T as Component>::Rep),*
        }

        #[allow(non_camel_case_types, dead_code)]
        #[repr(u32)]
        enum Index { $($field),* }

        /// The components' names (their fields), in registry order.
        pub const NAMES: &[&str] = &[$(stringify!($field)),*];

        /// What the latency anatomy calls each component's part, in registry order.
        pub const PART_LABELS: &[&str] = &[$(<$T as Component>::PART),*];

        /// The latency-anatomy part of each component (see `crate::flow::anatomy`).
        pub mod part {
            $(
                #[allow(non_upper_case_globals)]
                $(#[$doc])*
                pub const $field: u32 = crate::flow::anatomy::COMPONENTS + super::Index::$field as u32;
            )*
        }

        /// One bit per component, for [`crate::flow::topology::Node::hooks`] and
        /// [`crate::flow::topology::CallPlan::hooks`].
        pub mod bit {
            $(
                #[allow(non_upper_case_globals)]
                $(#[$doc])*
                pub const $field: u32 = 1 << (super::Index::$field as u32);
            )*
        }

        impl States {
            /// Every component's state at the start of a replication.
            pub fn start(
                plans: &Plans,
                topo: &crate::flow::topology::Topology,
                seeds: &crate::kernel::StreamSeeder,
            ) -> States {
                States { $($field: <$T as Component>::start(&plans.$field, topo, seeds)),* }
            }
        }

        /// Whether some component needs the failure-origin series.
        pub fn tracks_failures(plans: &Plans) -> bool {
            false $(|| <$T as Component>::tracks_failures(&plans.$field))*
        }

        /// Whether some component wants the failed outcomes.
        pub fn wants_outcomes(plans: &Plans) -> bool {
            false $(|| <$T as Component>::wants_outcomes(&plans.$field))*
        }

        /// Every component schedules its first events.
        #[inline(never)]
        pub fn on_start<'m, C: SimCx<'m>>(cx: &mut C) {
            $(<$T as Component>::on_start(cx);)*
        }

        /// Runs a component event.
        #[inline(never)]
        pub fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Event) {
            match ev {
                $(Event::$Variant(e) => <$T as Component>::on_event(cx, e)),*
            }
        }

        /// The warm-up ends.
        #[inline(never)]
        pub fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
            $(<$T as Component>::on_warmup_end(cx);)*
        }

        /// A series window ends.
        #[inline(never)]
        pub fn on_tick<'m, C: SimCx<'m>>(cx: &mut C, window_ns: f64) {
            $(<$T as Component>::on_tick(cx, window_ns);)*
        }

        /// Every component's record at the end of the replication.
        #[inline(never)]
        pub fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Reps {
            Reps { $($field: <$T as Component>::finish(cx, fin)),* }
        }

        /// Hook `on_entry` of the components in `mask`.
        #[inline(never)]
        pub fn on_entry<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId, e: usize) -> Option<u64> {
            let mut delay = 0;
            $(if mask & bit::$field != 0 {
                let d = <$T as Component>::on_entry(cx, x, e)?;
                cx.ahead(x, part::$field, d);
                delay += d;
            })*
            Some(delay)
        }

        /// Hook `on_gate` of the components in `mask`.
        #[inline(never)]
        pub fn on_gate<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId, node: u32) -> Option<u64> {
            let mut delay = 0;
            $(if mask & bit::$field != 0 {
                cx.phase(x, part::$field);
                let d = <$T as Component>::on_gate(cx, x, node)?;
                cx.ahead(x, part::$field, d);
                delay += d;
            })*
            Some(delay)
        }

        /// Hook `on_deliver` of the components in `mask`: `true` when one took the frame over.
        #[inline(never)]
        pub fn on_deliver<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId, s: u32, node: usize) -> bool {
            $(if mask & bit::$field != 0 {
                cx.phase(x, part::$field);
                if <$T as Component>::on_deliver(cx, x, s, node) {
                    return true;
                }
            })*
            false
        }

        /// Hook `on_chosen` of the components in `mask`: `true` when one took the admission.
        #[inline(never)]
        pub fn on_chosen<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId, s: u32) -> bool {
            $(if mask & bit::$field != 0 {
                cx.phase(x, part::$field);
                if <$T as Component>::on_chosen(cx, x, s) {
                    return true;
                }
            })*
            false
        }

        /// Hook `on_respond` of the components in `mask`: the delay they add to the hop back.
        #[inline(never)]
        pub fn on_respond<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId) -> u64 {
            let mut d = 0;
            $(if mask & bit::$field != 0 {
                let d1 = <$T as Component>::on_respond(cx, x);
                cx.ahead(x, part::$field, d1);
                d += d1;
            })*
            d
        }

        /// Hook `on_call` of the components in `mask`.
        #[inline(never)]
        pub fn on_call<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, x: FrameId, c: u32) -> CallGate {
            $(if mask & bit::$field != 0 {
                let g = <$T as Component>::on_call(cx, x, c);
                if g != CallGate::Go {
                    if g == CallGate::Taken {
                        cx.phase(x, part::$field);
                    }
                    return g;
                }
            })*
            CallGate::Go
        }

        /// Hook `on_call_begin` of the components in `mask`.
        #[inline(never)]
        pub fn on_call_begin<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, c: FrameId) {
            $(if mask & bit::$field != 0 {
                <$T as Component>::on_call_begin(cx, c);
            })*
        }

        /// Hook `on_attempt` of the components in `mask`: `false` when one refused.
        #[inline(never)]
        pub fn on_attempt<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, c: FrameId) -> bool {
            $(if mask & bit::$field != 0 && !<$T as Component>::on_attempt(cx, c) {
                return false;
            })*
            true
        }

        /// Hook `on_attempt_end` of the components in `mask`.
        #[inline(never)]
        pub fn on_attempt_end<'m, C: SimCx<'m>>(
            cx: &mut C,
            mask: u32,
            c: FrameId,
            mut fail: u8,
            mut node: u32,
            admitted: bool,
        ) -> Option<(u8, u32)> {
            $(if mask & bit::$field != 0 {
                (fail, node) = <$T as Component>::on_attempt_end(cx, c, fail, node, admitted)?;
            })*
            Some((fail, node))
        }

        /// Hook `on_query` of the components in `mask`: `true` when one sent the query.
        #[inline(never)]
        pub fn on_query<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, y: FrameId, caller: u32) -> bool {
            $(if mask & bit::$field != 0 {
                cx.phase(y, part::$field);
                if <$T as Component>::on_query(cx, y, caller) {
                    return true;
                }
            })*
            false
        }

        /// Hook `on_cpu` of the components in `mask`: `true` when one runs the phase.
        #[inline(never)]
        pub fn on_cpu<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, s: u32, f: FrameId, work: f64) -> bool {
            $(if mask & bit::$field != 0 && <$T as Component>::on_cpu(cx, s, f, work) {
                return true;
            })*
            false
        }

        /// Hook `on_op_finish` of the component whose ride `ride` is.
        #[inline(never)]
        pub fn on_op_finish<'m, C: SimCx<'m>>(cx: &mut C, ride: Ride, x: FrameId) {
            match ride {
                Ride::None => {}
                $(Ride::$Variant(_) => <$T as Component>::on_op_finish(cx, x)),*
            }
        }

        /// Hook `on_child` of the component owning frame `parent` (by its ride).
        #[inline(never)]
        pub fn on_child<'m, C: SimCx<'m>>(cx: &mut C, ride: Ride, parent: FrameId, x: FrameId, fail: u8, node: u32) {
            match ride {
                Ride::None => {}
                $(Ride::$Variant(_) => <$T as Component>::on_child(cx, parent, x, fail, node)),*
            }
        }

        /// Hook `on_ride_end` of the component whose ride frame `f` carries.
        #[inline(never)]
        pub fn on_ride_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame, dropped: bool) {
            match f.ride {
                Ride::None => {}
                $(Ride::$Variant(r) => <$T as Component>::on_ride_end(cx, f, r, dropped)),*
            }
        }

        /// Hook `at_end` of the component whose ride frame `f` carries.
        #[inline(never)]
        pub fn at_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame) {
            match f.ride {
                Ride::None => {}
                $(Ride::$Variant(_) => <$T as Component>::at_end(cx, f)),*
            }
        }

        /// Hook `on_crash` of every component.
        #[inline(never)]
        pub fn on_crash<'m, C: SimCx<'m>>(cx: &mut C, s: u32) {
            $(<$T as Component>::on_crash(cx, s);)*
        }

        /// Hook `on_recover` of every component.
        #[inline(never)]
        pub fn on_recover<'m, C: SimCx<'m>>(cx: &mut C, s: u32) {
            $(<$T as Component>::on_recover(cx, s);)*
        }

        /// Hook `on_outcome` of every component (a measured request of entry `e` failed).
        #[inline(never)]
        pub fn on_outcome<'m, C: SimCx<'m>>(cx: &mut C, e: usize) {
            $(<$T as Component>::on_outcome(cx, e);)*
        }

        /// The analytic estimate's questions to every component, in registry order (see
        /// [`Estimate`]).
        pub mod terms {
            use super::*;
            use crate::components::contract::{EstimateCx, Service, Taken};

            /// Every component's delay on the way of entry `e` \[s\].
            pub fn entry_delay<C: EstimateCx>(cx: &C, e: usize) -> f64 {
                0.0 $(+ <$T as Estimate>::entry_delay(cx, e))*
            }

            /// The instances carrying node `node`'s load, when a component decides them.
            pub fn counted<C: EstimateCx>(cx: &C, node: usize) -> Option<u32> {
                $(if let Some(n) = <$T as Estimate>::counted(cx, node) {
                    return Some(n);
                })*
                None
            }

            /// The gate of call `c`: the bit of its component and the gate's key.
            pub fn gate<C: EstimateCx>(cx: &C, c: u32) -> Option<(u32, u32)> {
                $(if let Some(k) = <$T as Estimate>::gate(cx, c) {
                    return Some((bit::$field, k));
                })*
                None
            }

            /// The share going on through `gate` (from [`gate`]) at `rate` per second.
            pub fn pass<C: EstimateCx>(cx: &C, gate: (u32, u32), rate: f64) -> f64 {
                $(if gate.0 == bit::$field {
                    return <$T as Estimate>::pass(cx, gate.1, rate);
                })*
                1.0
            }

            /// The share of the `arrivals` at node `node` every component admits.
            pub fn admit<C: EstimateCx>(cx: &C, node: usize, arrivals: f64) -> f64 {
                1.0 $(* <$T as Estimate>::admit(cx, node, arrivals))*
            }

            /// What a component does in place of call `c`.
            pub fn take<C: EstimateCx>(cx: &C, c: u32) -> Option<Taken> {
                $(if let Some(t) = <$T as Estimate>::take(cx, c) {
                    return Some(t);
                })*
                None
            }

            /// The wait of component call `c` in a component's own queue (a lock's).
            pub fn queued<C: EstimateCx>(cx: &mut C, c: u32) -> Option<Option<f64>> {
                $(if let Some(q) = <$T as Estimate>::queued(cx, c) {
                    return Some(q);
                })*
                None
            }

            /// How node `node`'s instances serve, when a component decides it.
            pub fn service<C: EstimateCx>(cx: &C, node: usize) -> Option<Service> {
                $(if let Some(s) = <$T as Estimate>::service(cx, node) {
                    return Some(s);
                })*
                None
            }

            /// The loads are known.
            pub fn on_loads<C: EstimateCx>(cx: &mut C) {
                $(<$T as Estimate>::on_loads(cx);)*
            }

            /// The mean times are known.
            pub fn on_times<C: EstimateCx>(cx: &mut C) {
                $(<$T as Estimate>::on_times(cx);)*
            }
        }

        /// Hook `instances` of the components in `mask`.
        #[inline(never)]
        pub fn instances<'m, C: SimCx<'m>>(cx: &mut C, mask: u32, node: usize) -> Option<(u32, u32)> {
            $(if mask & bit::$field != 0 {
                if let Some(x) = <$T as Component>::instances(cx, node) {
                    return Some(x);
                }
            })*
            None
        }
    };
}
