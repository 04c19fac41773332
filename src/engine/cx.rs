//! The components' view of a replication: [`SimCx`] implemented by the engine, each method a
//! field access or one step of the request flow (delegated to the engine's own method of the
//! same name).

use super::{Ev, Sim};
use crate::components::contract::{Frame, FrameId, SimCx, NO_LEDGER};
use crate::components::{Event, Plans, States};
use crate::flow::availability::Availability;
use crate::flow::station::Station;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Arena, EventQueue, SimTime};

/// `fn name(&mut self, args) -> ret` of the trait, delegated to `Sim::name`.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {
        $(#[inline] fn $name(&mut self, $($arg: $ty),*) $(-> $ret)? { Sim::$name(self, $($arg),*) })*
    };
}

impl<'m, Q: EventQueue<Ev> + Default, const C: bool> SimCx<'m> for Sim<'m, Q, C> {
    fn topo(&self) -> &'m Topology {
        self.t
    }
    fn plans(&self) -> &'m Plans {
        self.p
    }
    fn now(&self) -> SimTime {
        self.now
    }
    fn measuring(&self) -> bool {
        self.measuring
    }
    fn frames(&mut self) -> &mut Arena<Frame> {
        &mut self.frames
    }
    fn stations(&mut self) -> &mut [Station] {
        &mut self.stations
    }
    fn states(&mut self) -> &mut States {
        &mut self.st
    }
    fn split(&mut self) -> (&mut Arena<Frame>, &mut States) {
        (&mut self.frames, &mut self.st)
    }
    fn avail(&mut self) -> &mut Availability {
        &mut self.avail
    }
    fn at(&mut self, delay: u64, ev: Event) {
        self.at_component(self.now.after(delay), ev);
    }
    fn at_time(&mut self, t: SimTime, ev: Event) {
        self.at_component(t, ev);
    }
    fn retry_after(&mut self, delay: u64, f: FrameId) {
        self.at_cold(delay, Ev::Retry(f));
    }
    fn cpu_check(&mut self, t: SimTime, s: u32) {
        let epoch = self.stations[s as usize].epoch;
        self.queue.push(t, Ev::Cpu { station: s, epoch });
    }
    fn note_crash(&mut self) {
        self.crashes += 1;
    }
    fn child_done(&mut self, x: FrameId, fail: u8, fail_node: u32) {
        Sim::child_done(self, x, fail, fail_node, NO_LEDGER);
    }
    fn call_attempt_end(&mut self, c: FrameId, fail: u8, fail_node: u32, admitted: bool) {
        Sim::call_attempt_end(self, c, fail, fail_node, admitted, NO_LEDGER);
    }
    fn gating(&mut self, mask: u32, on: bool) {
        if on {
            self.gates |= mask;
        } else {
            self.gates &= !mask;
        }
    }
    fn send(&mut self, x: FrameId, delay: u64) {
        // A component sends a frame it held (a connection granted, a message consumed): its
        // holding time is booked, the delay is a network hop.
        Sim::phase(self, x, crate::flow::anatomy::NETWORK);
        Sim::ahead(self, x, crate::flow::anatomy::NETWORK, delay);
        Sim::send(self, x, delay);
    }
    fn phase(&mut self, x: FrameId, part: u32) {
        Sim::phase(self, x, part);
    }
    fn ahead(&mut self, x: FrameId, part: u32, ns: u64) {
        Sim::ahead(self, x, part, ns);
    }
    delegate! {
        hop() -> u64;
        haul() -> u64;
        admit(x: FrameId, node: usize);
        admit_at(x: FrameId, node: usize, s: u32);
        op_begin(x: FrameId);

        respond(x: FrameId);
        fail_frame(x: FrameId, reason: Reason, node: u32);
        fail_at_station(x: FrameId, reason: Reason);
        start_call(x: FrameId, c: u32);

        cpu_done(f: FrameId, s: u32);
        returned(x: FrameId, f: Frame);
    }
}
