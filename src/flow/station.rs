//! A station: one unit instance or database server. A pool of `workers` admits requests, a
//! bounded (or unbounded) FIFO queue holds the ones waiting for a worker, and the jobs in their
//! CPU phase share `cores` by processor sharing.
//!
//! # Processor sharing by virtual time
//!
//! With `n` jobs in their CPU phase on `c` cores, each progresses at rate `r = speed · min(1, c/n)`.
//! Instead of updating every job's remaining work on each change (O(n)), the station keeps a
//! virtual clock `V` that advances at `r`: a job with work `w` entering at virtual time `V₀`
//! finishes when `V` reaches `V₀ + w`, whatever happens meanwhile. Jobs sit in a min-heap keyed
//! by virtual finish time; the next completion happens in real time `(V_min − V)/r` from now.
//!
//! # Dedicated cores
//!
//! When the station can never have more jobs in their CPU phase than cores (at most `cores`
//! workers and no fork inside a request, or infinite cores), every job runs at full speed from
//! start to end and processor sharing reduces to independent delays. Such a station is built
//! *dedicated*: [`Station::add_job`] then returns each job's own completion time and keeps no
//! heap — same results, less work.
//!
//! # Complexity
//! Adding or completing a job is O(log n) (O(1) when dedicated); a change of rate costs one
//! rescheduling.

use crate::kernel::SimTime;
use std::collections::{BinaryHeap, VecDeque};

/// What the station stores per job: an opaque handle chosen by the engine.
pub type JobId = u64;

/// `⌈x⌉` as whole nanoseconds for a non-negative `x` (inline; `f64::ceil` is a libm call on
/// baseline x86-64).
#[inline]
fn ceil_ns(x: f64) -> u64 {
    if x >= (u64::MAX / 4) as f64 {
        return u64::MAX / 4;
    }
    let t = x as u64;
    if (t as f64) < x {
        t + 1
    } else {
        t
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct PsEntry {
    /// Virtual finish time, as ordered bits of a non-negative f64.
    vfinish: u64,
    seq: u64,
    job: JobId,
}

impl Ord for PsEntry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Min-heap on (vfinish, seq).
        (other.vfinish, other.seq).cmp(&(self.vfinish, self.seq))
    }
}
impl PartialOrd for PsEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Time-weighted and counted statistics of a station over a measurement interval.
#[derive(Debug, Clone, Copy, Default)]
pub struct StationStats {
    /// ∫ busy cores dt \[core·ns\].
    pub busy_area: f64,
    /// ∫ requests in the station dt \[request·ns\].
    pub system_area: f64,
    /// ∫ requests waiting for a worker dt \[request·ns\].
    pub queue_area: f64,
    /// ∫ workers in use dt \[worker·ns\].
    pub workers_area: f64,
    /// Requests that arrived (admitted or rejected).
    pub arrivals: u64,
    /// Requests that completed (successfully or not) after being admitted.
    pub completions: u64,
    /// Requests rejected because the queue was full.
    pub rejected: u64,
    /// Sum of the residence times of completed requests \[ns\].
    pub residence_sum: f64,
    /// Part of those residences that lies before the interval started \[ns\].
    pub residence_before: f64,
    /// Requests lost in a crash of the instance (they left without completing).
    pub crashed: u64,
    /// Time those requests had spent in the station \[ns\].
    pub crashed_residence: f64,
    /// Part of that time before the interval started \[ns\].
    pub crashed_before: f64,
}

/// Time integrals since the start of the run.
#[derive(Debug, Clone, Copy, Default)]
struct Areas {
    /// ∫ busy cores dt \[core·ns\].
    busy: f64,
    /// ∫ requests present dt \[request·ns\].
    system: f64,
    /// ∫ requests waiting for a worker dt \[request·ns\].
    queue: f64,
    /// ∫ workers in use dt \[worker·ns\].
    workers: f64,
}

/// The time integral of a piecewise-constant level `n(t)` kept without per-change arithmetic on
/// elapsed time: every change by `Δ` at time `t` adds `−Δ·t` to an offset, so that at any time
/// `T` the integral is `offset + n(T)·T`. Integer levels stay exact (`i128`).
#[derive(Debug, Clone, Copy, Default)]
struct LevelIntegral {
    offset: i128,
}

impl LevelIntegral {
    #[inline(always)]
    fn up(&mut self, now: SimTime) {
        self.offset -= now.0 as i128;
    }
    #[inline(always)]
    fn down(&mut self, now: SimTime) {
        self.offset += now.0 as i128;
    }
    /// The level drops from `level` to 0 at `now`.
    fn drop_all(&mut self, level: u32, now: SimTime) {
        self.offset += level as i128 * now.0 as i128;
    }
    #[inline(always)]
    fn at(&self, level: u32, now: SimTime) -> f64 {
        (self.offset + level as i128 * now.0 as i128) as f64
    }
}

/// Mutable state of one station.
pub struct Station {
    /// Cores (∞ allowed).
    pub cores: f64,
    /// Speed of one job on a free core.
    pub speed: f64,
    /// Worker pool size.
    pub workers: u32,
    /// Queue capacity.
    pub queue_cap: u32,
    /// Async io.
    pub async_io: bool,
    /// Jobs never share cores (see the module docs); jobs are tracked by count only.
    pub dedicated: bool,
    /// Load shedding: bound on the queue wait of the oldest waiting request \[ns\] (0 = none);
    /// read by the engine at admission.
    pub shed_max_wait: u64,
    /// Host whose shared cores run this instance's CPU phases (the engine's index;
    /// `u32::MAX` = its own cores). The engine sends such jobs to the host's station.
    pub host: u32,
    /// Busy cores of this instance's jobs running on its host (set by the engine whenever the
    /// host's jobs change; counted in the utilization).
    ext_busy: f64,
    dedicated_active: u32,
    /// Workers in use (changed only through [`Station::take_worker`] and
    /// [`Station::give_worker`], which keep its integral).
    pub busy: u32,
    worker_integral: LevelIntegral,
    /// Requests present (admitted or waiting), for load balancing and statistics; changed only
    /// through [`Station::enter`] and [`Station::leave`].
    pub in_system: u32,
    arrivals: VecDeque<JobId>,
    continuations: VecDeque<JobId>,
    system_integral: LevelIntegral,
    queue_integral: LevelIntegral,
    /// −Σ Δbusy·t over the changes of busy cores (fractional with fractional cores).
    busy_offset: f64,
    ps: BinaryHeap<PsEntry>,
    vtime: f64,
    vlast: SimTime,
    seq: u64,
    /// Incremented whenever the next completion time changes; completion events carry it.
    pub epoch: u32,
    /// Real time of the currently scheduled completion, if any.
    pub scheduled: Option<SimTime>,
    /// Counters since the start of the measured interval (their area fields stay 0: areas are
    /// accumulated once, from the start of the run, and read by difference — see
    /// [`Station::measured`] and [`Station::take_window`]).
    pub stats: StationStats,
    measured_base: Areas,
    window_base: Areas,
}

impl Station {
    /// A fresh idle station.
    pub fn new(cores: f64, speed: f64, workers: u32, queue_cap: u32, async_io: bool) -> Self {
        Station {
            cores,
            speed,
            workers,
            queue_cap,
            async_io,
            dedicated: false,
            shed_max_wait: 0,
            host: u32::MAX,
            ext_busy: 0.0,
            dedicated_active: 0,
            busy: 0,
            worker_integral: LevelIntegral::default(),
            in_system: 0,
            arrivals: VecDeque::new(),
            continuations: VecDeque::new(),
            system_integral: LevelIntegral::default(),
            queue_integral: LevelIntegral::default(),
            busy_offset: 0.0,
            ps: BinaryHeap::new(),
            vtime: 0.0,
            vlast: SimTime::ZERO,
            seq: 0,
            epoch: 0,
            scheduled: None,
            stats: StationStats::default(),
            measured_base: Areas::default(),
            window_base: Areas::default(),
        }
    }

    /// Jobs in their CPU phase.
    #[inline]
    pub fn active(&self) -> usize {
        self.ps.len() + self.dedicated_active as usize
    }

    /// Requests waiting for a worker.
    #[inline]
    pub fn waiting(&self) -> usize {
        self.arrivals.len() + self.continuations.len()
    }

    #[inline]
    fn rate(&self) -> f64 {
        let n = self.ps.len() as f64;
        if n <= self.cores {
            self.speed
        } else {
            self.speed * self.cores / n
        }
    }

    #[inline]
    fn busy_cores(&self) -> f64 {
        self.ext_busy + self.own_busy_cores()
    }

    #[inline]
    fn own_busy_cores(&self) -> f64 {
        if self.dedicated {
            if self.cores.is_finite() {
                self.dedicated_active as f64
            } else {
                0.0
            }
        } else {
            (self.ps.len() as f64).min(self.cores)
        }
    }

    /// The time integrals from the start of the run up to `now`.
    #[inline]
    fn areas(&self, now: SimTime) -> Areas {
        Areas {
            busy: self.busy_offset + self.busy_cores() * now.0 as f64,
            system: self.system_integral.at(self.in_system, now),
            queue: self.queue_integral.at(self.waiting() as u32, now),
            workers: self.worker_integral.at(self.busy, now),
        }
    }

    /// ∫ busy cores dt and ∫ requests present dt from the start of the run to `now` (read by
    /// difference, e.g. by the autoscaler).
    pub fn integrals(&self, now: SimTime) -> (f64, f64) {
        let a = self.areas(now);
        (a.busy, a.system)
    }

    /// One more worker in use at `now`.
    #[inline(always)]
    pub fn take_worker(&mut self, now: SimTime) {
        self.busy += 1;
        self.worker_integral.up(now);
    }

    /// One worker fewer in use at `now`.
    #[inline(always)]
    pub fn give_worker(&mut self, now: SimTime) {
        self.busy -= 1;
        self.worker_integral.down(now);
    }

    /// One more (`sign = 1.0`) or one fewer (`-1.0`) job on the processor-sharing cores at
    /// `now`, `n` being the number of jobs *below* the change: busy cores `min(n, c)` change by
    /// `clamp(c − n, 0, 1)`.
    #[inline(always)]
    fn ps_busy_step(&mut self, n: usize, sign: f64, now: SimTime) {
        let d = (self.cores - n as f64).clamp(0.0, 1.0);
        self.busy_offset -= sign * d * now.0 as f64;
    }

    /// A request arrives at the station (admitted, or about to queue).
    #[inline]
    pub fn enter(&mut self, now: SimTime) {
        self.in_system += 1;
        self.system_integral.up(now);
    }

    /// A request leaves the station (completed or rejected).
    #[inline]
    pub fn leave(&mut self, now: SimTime) {
        self.in_system -= 1;
        self.system_integral.down(now);
    }

    /// Whether the arrivals queue has room for one more.
    #[inline]
    pub fn queue_has_room(&self) -> bool {
        (self.arrivals.len() as u64) < self.queue_cap as u64
    }

    /// Queues a new request for a worker.
    #[inline]
    pub fn push_arrival(&mut self, now: SimTime, job: JobId) {
        self.arrivals.push_back(job);
        self.queue_integral.up(now);
    }

    /// Queues a continuation (async io) for a worker; it will be served before new arrivals.
    #[inline]
    pub fn push_continuation(&mut self, now: SimTime, job: JobId) {
        self.continuations.push_back(job);
        self.queue_integral.up(now);
    }

    /// Takes the next request waiting for a worker: continuations first, then arrivals.
    #[inline]
    pub fn pop_waiting(&mut self, now: SimTime) -> Option<JobId> {
        let job = self
            .continuations
            .pop_front()
            .or_else(|| self.arrivals.pop_front())?;
        self.queue_integral.down(now);
        Some(job)
    }

    #[inline]
    fn advance_virtual(&mut self, now: SimTime) {
        if self.ps.is_empty() {
            // Idle: restart the virtual clock so it stays small and exact.
            self.vtime = 0.0;
        } else {
            self.vtime += now.since(self.vlast) as f64 * self.rate();
        }
        self.vlast = now;
    }

    /// Starts a CPU phase of `work` nanoseconds for `job` on a dedicated station and returns
    /// its completion time; the caller calls [`Station::end_dedicated_job`] then.
    #[inline]
    pub fn add_dedicated_job(&mut self, now: SimTime, work: f64) -> SimTime {
        debug_assert!(self.dedicated);
        self.dedicated_active += 1;
        if self.cores.is_finite() {
            // One more busy core.
            self.busy_offset -= now.0 as f64;
        }
        now.after(ceil_ns(work.max(0.0) / self.speed))
    }

    /// Ends a job started by [`Station::add_dedicated_job`].
    #[inline]
    pub fn end_dedicated_job(&mut self, now: SimTime) {
        self.dedicated_active -= 1;
        if self.cores.is_finite() {
            self.busy_offset += now.0 as f64;
        }
    }

    /// Starts a CPU phase of `work` nanoseconds for `job`. Returns the time of the next
    /// completion if it changed (the caller schedules an event stamped with [`Station::epoch`]).
    #[inline]
    pub fn add_job(&mut self, now: SimTime, job: JobId, work: f64) -> Option<SimTime> {
        self.advance_virtual(now);
        self.seq += 1;
        let vfinish = self.vtime + work.max(0.0);
        self.ps_busy_step(self.ps.len(), 1.0, now);
        self.ps.push(PsEntry {
            vfinish: vfinish.to_bits(),
            seq: self.seq,
            job,
        });
        self.reschedule(now)
    }

    /// Removes and returns a job whose CPU phase is finished at `now`, if any.
    #[inline]
    pub fn pop_finished(&mut self, now: SimTime) -> Option<JobId> {
        self.advance_virtual(now);
        let top = *self.ps.peek()?;
        // A completion event is scheduled at the ceiling of the exact instant, so the virtual
        // clock has reached the finish time up to rounding.
        if f64::from_bits(top.vfinish) <= self.vtime + 1e-6 * (1.0 + self.vtime.abs() * 1e-9) {
            let job = top.job;
            self.ps.pop();
            self.ps_busy_step(self.ps.len(), -1.0, now);
            Some(job)
        } else {
            None
        }
    }

    /// Recomputes the next completion; returns it if it differs from the scheduled one.
    #[inline]
    pub fn reschedule(&mut self, now: SimTime) -> Option<SimTime> {
        let next = self.ps.peek().map(|top| {
            let dv = (f64::from_bits(top.vfinish) - self.vtime).max(0.0);
            now.after(ceil_ns(dv / self.rate()))
        });
        if next != self.scheduled {
            self.scheduled = next;
            if next.is_some() {
                self.epoch = self.epoch.wrapping_add(1);
            }
            next
        } else {
            None
        }
    }

    /// Changes the speed of one job on a free core at `now` (a `slow` fault): the virtual clock
    /// runs at the old rate up to `now` and at the new one after, so jobs in progress finish
    /// exactly later. Returns the new completion time if it changed (as [`Station::add_job`]).
    /// Not for dedicated stations, whose completions are fixed at start.
    pub fn set_speed(&mut self, now: SimTime, speed: f64) -> Option<SimTime> {
        debug_assert!(!self.dedicated);
        self.advance_virtual(now);
        self.speed = speed;
        self.reschedule(now)
    }

    /// Changes the cores at `now` (a `cpu_hog` fault takes some, or gives them back): the
    /// virtual clock runs at the old rate up to `now` and at the new one after, as in
    /// [`Station::set_speed`]. Returns the new completion time if it changed. Not for
    /// dedicated stations.
    pub fn set_cores(&mut self, now: SimTime, cores: f64) -> Option<SimTime> {
        debug_assert!(!self.dedicated);
        self.advance_virtual(now);
        self.cores = cores;
        self.reschedule(now)
    }

    /// Sets the busy cores of this instance's jobs on its host at `now` (see [`Station::host`]).
    pub fn set_ext_busy(&mut self, now: SimTime, busy: f64) {
        self.busy_offset -= (busy - self.ext_busy) * now.0 as f64;
        self.ext_busy = busy;
    }

    /// The jobs in their processor-sharing CPU phase (any order).
    pub fn ps_jobs(&self) -> impl Iterator<Item = JobId> + '_ {
        self.ps.iter().map(|e| e.job)
    }

    /// Drops, at `now`, the processor-sharing jobs for which `keep` is false (the jobs of a
    /// crashed instance on a shared host); the others continue exactly. Returns the new
    /// completion time if it changed (as [`Station::add_job`]).
    pub fn retain_jobs(&mut self, now: SimTime, keep: impl Fn(JobId) -> bool) -> Option<SimTime> {
        debug_assert!(!self.dedicated);
        self.advance_virtual(now);
        let before = self.own_busy_cores();
        let vtime = self.vtime;
        self.ps.retain(|e| keep(e.job));
        if self.ps.is_empty() {
            // `advance_virtual` restarts an idle clock at 0: keep the finish times consistent.
            self.vtime = 0.0;
        } else {
            self.vtime = vtime;
        }
        self.busy_offset -= (self.own_busy_cores() - before) * now.0 as f64;
        self.reschedule(now)
    }

    /// The oldest request waiting for a worker (arrivals queue), if any.
    pub fn oldest_arrival(&self) -> Option<JobId> {
        self.arrivals.front().copied()
    }

    /// The instance crashes at `now`: every job, waiting request and worker is dropped (the
    /// engine fails the requests and calls [`Station::leave`] for each one present). Pending
    /// completion events become stale.
    pub fn crash(&mut self, now: SimTime) {
        self.busy_offset += self.busy_cores() * now.0 as f64;
        for _ in 0..self.waiting() {
            self.queue_integral.down(now);
        }
        self.arrivals.clear();
        self.continuations.clear();
        self.ps.clear();
        self.ext_busy = 0.0;
        self.dedicated_active = 0;
        self.worker_integral.drop_all(self.busy, now);
        self.busy = 0;
        self.vtime = 0.0;
        self.vlast = now;
        self.scheduled = None;
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// Starts a new measurement interval at `now` (end of warm-up).
    pub fn reset_stats(&mut self, now: SimTime) {
        self.stats = StationStats::default();
        self.measured_base = self.areas(now);
    }

    /// The statistics of the measured interval up to `now`.
    pub fn measured(&mut self, now: SimTime) -> StationStats {
        let a = self.areas(now);
        let mut s = self.stats;
        s.busy_area = a.busy - self.measured_base.busy;
        s.system_area = a.system - self.measured_base.system;
        s.queue_area = a.queue - self.measured_base.queue;
        s.workers_area = a.workers - self.measured_base.workers;
        s
    }

    /// Starts a new time-series window at `now`, returning the finished window's areas
    /// (`busy_area`, `system_area`, `queue_area`; counters are 0).
    pub fn take_window(&mut self, now: SimTime) -> StationStats {
        let a = self.areas(now);
        let w = StationStats {
            busy_area: a.busy - self.window_base.busy,
            system_area: a.system - self.window_base.system,
            queue_area: a.queue - self.window_base.queue,
            workers_area: a.workers - self.window_base.workers,
            ..StationStats::default()
        };
        self.window_base = a;
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drains a station, returning (job, completion time) in completion order.
    fn run(st: &mut Station, jobs: &[(u64, f64)]) -> Vec<(JobId, u64)> {
        // jobs: (arrival ns, work ns), ids = index
        let mut out = Vec::new();
        let mut next_arrival = 0;
        let mut now;
        loop {
            let arr = jobs.get(next_arrival).map(|j| j.0);
            let done = st.scheduled.map(|t| t.0);
            match (arr, done) {
                (None, None) => break,
                (Some(a), d) if d.map_or(true, |d| a < d) => {
                    now = SimTime(a);
                    st.add_job(now, next_arrival as u64, jobs[next_arrival].1);
                    next_arrival += 1;
                }
                (_, Some(d)) => {
                    now = SimTime(d);
                    st.scheduled = None;
                    while let Some(j) = st.pop_finished(now) {
                        out.push((j, now.0));
                    }
                    st.reschedule(now);
                }
                _ => unreachable!(),
            }
        }
        out
    }

    #[test]
    fn single_core_processor_sharing() {
        // Two jobs of 10 at t=0 on one core: both finish at 20.
        let mut st = Station::new(1.0, 1.0, 10, u32::MAX, false);
        assert_eq!(
            run(&mut st, &[(0, 10.0), (0, 10.0)]),
            vec![(0, 20), (1, 20)]
        );
        // Job A (work 10) at 0, job B (work 2) at 4: A alone 0..4 (6 left), both at 1/2 until
        // B finishes at 8; A has 4 left and finishes at 12.
        let mut st = Station::new(1.0, 1.0, 10, u32::MAX, false);
        assert_eq!(run(&mut st, &[(0, 10.0), (4, 2.0)]), vec![(1, 8), (0, 12)]);
    }

    #[test]
    fn multi_core_runs_at_full_speed_until_saturated() {
        let mut st = Station::new(2.0, 1.0, 10, u32::MAX, false);
        // Two jobs on two cores run at speed 1; a third shares: 3 jobs on 2 cores at 2/3.
        // t=0: A(6), B(6); t=3: C(1). At 3: A,B have 3 left; rate 2/3: C finishes after 1.5 → 4.5;
        // then A,B have 2 left at speed 1 → 6.5 → ceil → 7 (integer ns).
        let out = run(&mut st, &[(0, 6.0), (0, 6.0), (3, 1.0)]);
        assert_eq!(out[0], (2, 5)); // ceil(4.5)
        assert_eq!(out[1].0, 0);
        assert!(out[1].1 == 7 && out[2] == (1, 7));
    }

    #[test]
    fn busy_area_counts_busy_cores() {
        let mut st = Station::new(2.0, 1.0, 10, u32::MAX, false);
        run(&mut st, &[(0, 10.0), (0, 10.0), (0, 10.0)]);
        // 3 jobs × 10 work on 2 cores: 15 ns at 2 busy cores = 30 core·ns.
        assert!(
            (st.measured(SimTime(100)).busy_area - 30.0).abs() < 1e-9,
            "{}",
            st.measured(SimTime(100)).busy_area
        );
    }
}
