//! The components' view of a replication: [`SimCx`] implemented by the engine, each method a
//! small accessor or one step of the request flow.

use super::{Ev, Sim};
use crate::components::contract::{Frame, FrameId, SimCx};
use crate::components::{Event, Plans, States};
use crate::flow::availability::Availability;
use crate::flow::station::Station;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Arena, EventQueue, SimTime};

impl<'m, Q: EventQueue<Ev> + Default> SimCx<'m> for Sim<'m, Q> {
    #[inline(always)]
    fn topo(&self) -> &'m Topology {
        self.t
    }
    #[inline(always)]
    fn plans(&self) -> &'m Plans {
        self.p
    }
    #[inline(always)]
    fn now(&self) -> SimTime {
        self.now
    }
    #[inline(always)]
    fn measuring(&self) -> bool {
        self.measuring
    }
    #[inline(always)]
    fn frames(&mut self) -> &mut Arena<Frame> {
        &mut self.frames
    }
    #[inline(always)]
    fn stations(&mut self) -> &mut [Station] {
        &mut self.stations
    }
    #[inline(always)]
    fn states(&mut self) -> &mut States {
        &mut self.st
    }
    #[inline(always)]
    fn split(&mut self) -> (&mut Arena<Frame>, &mut States) {
        (&mut self.frames, &mut self.st)
    }
    #[inline(always)]
    fn avail(&mut self) -> &mut Availability {
        &mut self.avail
    }
    #[inline(never)]
    fn at(&mut self, delay: u64, ev: Event) {
        self.at_component(self.now.after(delay), ev);
    }
    #[inline(never)]
    fn retry_after(&mut self, delay: u64, f: FrameId) {
        self.queue.push(self.now.after(delay), Ev::Retry(f));
    }
    #[inline(never)]
    fn cpu_check(&mut self, t: SimTime, s: u32) {
        let epoch = self.stations[s as usize].epoch;
        self.queue.push(t, Ev::Cpu { station: s, epoch });
    }
    #[inline(never)]
    fn at_time(&mut self, t: SimTime, ev: Event) {
        self.at_component(t, ev);
    }
    #[inline]
    fn hop(&mut self) -> u64 {
        Sim::hop(self)
    }
    fn haul(&mut self) -> u64 {
        Sim::haul(self)
    }
    fn send(&mut self, x: FrameId, delay: u64) {
        Sim::send(self, x, delay)
    }
    fn admit(&mut self, x: FrameId, node: usize) {
        Sim::admit(self, x, node)
    }
    fn admit_at(&mut self, x: FrameId, node: usize, s: u32) {
        Sim::admit_at(self, x, node, s)
    }
    fn op_begin(&mut self, x: FrameId) {
        Sim::op_begin(self, x)
    }
    fn child_done(&mut self, x: FrameId, fail: u8, fail_node: u32) {
        Sim::child_done(self, x, fail, fail_node)
    }
    fn respond(&mut self, x: FrameId) {
        Sim::respond(self, x)
    }
    fn fail_frame(&mut self, x: FrameId, reason: Reason, node: u32) {
        Sim::fail_frame(self, x, reason, node)
    }
    fn fail_at_station(&mut self, x: FrameId, reason: Reason) {
        Sim::fail_at_station(self, x, reason)
    }
    fn start_call(&mut self, x: FrameId, c: u32) {
        Sim::start_call(self, x, c)
    }
    fn call_attempt_end(&mut self, c: FrameId, fail: u8, fail_node: u32, admitted: bool) {
        Sim::call_attempt_end(self, c, fail, fail_node, admitted)
    }
    fn cpu_done(&mut self, f: FrameId, s: u32) {
        Sim::cpu_done(self, f, s)
    }
    fn crash(&mut self, s: u32) {
        Sim::crash(self, s)
    }
    fn set_speed(&mut self, s: u32, speed: f64) {
        Sim::set_speed(self, s, speed)
    }
    fn gating(&mut self, mask: u32, on: bool) {
        if on {
            self.gates |= mask;
        } else {
            self.gates &= !mask;
        }
    }
}
