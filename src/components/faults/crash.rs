//! Crashes and slowdowns of instances: what happens to the requests in an instance that goes
//! down, and to the jobs of one whose speed changes.

use crate::components::contract::{Frame, Kind, SimCx};
use crate::components::{self, Ride};
use crate::flow::Reason;

/// Instance `s` crashes: the requests in it fail `crashed` (their callers hear at once, as from
/// a reset connection); work it was doing for them (in-process calls, calls being prepared or
/// sent) is dropped; answers it had already sent keep travelling to their callers; its
/// workers, queue and cores start empty.
#[cold]
#[inline(never)]
pub(crate) fn crash<'m, C: SimCx<'m>>(cx: &mut C, s: u32) {
    cx.note_crash();
    let (now, measuring, warmup) = (cx.now(), cx.measuring(), cx.topo().warmup);
    let mut present = Vec::new();
    let mut dropped = Vec::new();
    for (id, f) in cx.frames().iter() {
        if f.station != s || f.kind == Kind::Root {
            continue;
        }
        if f.kind == Kind::Op && f.has(Frame::IN_SYSTEM) {
            present.push(id);
        } else if f.kind == Kind::Op && f.has(Frame::ANSWERED) {
            // An answer on the wire: it arrives.
        } else {
            dropped.push(id);
        }
    }
    cx.stations()[s as usize].crash(now);
    for id in dropped {
        if let Some(f) = cx.frames().remove(id) {
            if !matches!(f.ride, Ride::None) {
                components::on_ride_end(cx, &f, true);
            }
        }
    }
    let node = cx.topo().stations[s as usize].node;
    for id in present {
        // The operation ends here: its components let go of what it held (a function's
        // instance), as at a normal end.
        if let Some(ride) = cx.frames().get(id).map(|f| f.ride) {
            if !matches!(ride, Ride::None) {
                components::on_op_finish(cx, ride, id);
            }
        }
        let Some(mut f) = cx.frames().remove(id) else {
            continue;
        };
        let st = &mut cx.stations()[s as usize];
        st.leave(now);
        if measuring {
            st.stats.crashed += 1;
            st.stats.crashed_residence += now.since(f.start) as f64;
            if f.start.ns() < warmup {
                st.stats.crashed_before += (warmup - f.start.ns()) as f64;
            }
        }
        f.set(Frame::IN_SYSTEM | Frame::HOLDS_WORKER, false);
        f.fail = Reason::Crashed as u8;
        f.fail_node = node;
        cx.returned(id, f);
    }
    components::on_crash(cx, s);
}

/// Instance `s` of node `node` comes back from one of the faults holding it down; when it was
/// the last, it is up and the components hear it.
pub(crate) fn recover<'m, C: SimCx<'m>>(cx: &mut C, s: u32, node: u32) {
    let now = cx.now();
    if cx.avail().up(s, node, now) {
        components::on_recover(cx, s);
    }
}

/// Station `s` runs at `speed` from now (a slowdown starts or ends): the jobs in progress finish
/// exactly later or sooner.
#[cold]
#[inline(never)]
pub(crate) fn set_speed<'m, C: SimCx<'m>>(cx: &mut C, s: u32, speed: f64) {
    let now = cx.now();
    if let Some(t) = cx.stations()[s as usize].set_speed(now, speed) {
        cx.cpu_check(t, s);
    }
}
