//! A database connection pool of one unit instance for one database (HikariCP-like): `size`
//! connections; a query takes a free one or waits in FIFO order; a wait longer than the acquire
//! timeout fails with `pool_timeout`. The pool component (`sim.rs`, hook `on_query`) hands
//! connections over; this module keeps the state and the time-weighted statistics.
//!
//! # Configuration
//!
//! `pool = { size, acquire_timeout }` on a unit (not serverless): `size` 1 to 100,000,
//! default 10; `acquire_timeout` > 0, default 30 s (docs/sources.md row *HikariCP pool*);
//! `pool = {}` takes both.
//!
//! # Files
//!
//! - `mod.rs`: the pool of one instance ([`Pool`]).
//! - `raw.rs`: the TOML keys ([`raw::RawPool`]).
//! - `spec.rs`: the validated [`spec::DbPool`] and its defaults.
//! - `resolve.rs`: raw → [`spec::DbPool`], with located diagnostics.
//! - `sim.rs`: the pools in a replication ([`Pools`]).
//! - `report.rs`: a unit's pools and their series in the results ([`report::PoolResult`]).
//! - `compile.rs`: one pool per instance of a unit with a `pool` and per database.
//! - `estimate.rs`: none: a database already bounds its queries in service.

mod compile;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;

use crate::kernel::SimTime;
use std::collections::VecDeque;

/// Time integral of an integer level kept as `offset + level·t` (see `station::LevelIntegral`).
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    offset: i128,
}

impl Level {
    fn change(&mut self, delta: i64, now: SimTime) {
        self.offset -= delta as i128 * now.0 as i128;
    }
    fn at(&self, level: u32, now: SimTime) -> f64 {
        (self.offset + level as i128 * now.0 as i128) as f64
    }
}

/// Figures of a pool over the measured interval.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    /// ∫ connections in use dt \[connection·ns\].
    pub in_use_area: f64,
    /// ∫ queries waiting for a connection dt \[query·ns\].
    pub waiting_area: f64,
    /// Connections acquired.
    pub acquires: u64,
    /// Sum of the waits of the acquired connections \[ns\].
    pub wait_sum: f64,
    /// Waits that ended in `pool_timeout`.
    pub timeouts: u64,
}

/// One pool.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Connections.
    pub size: u32,
    /// Connections in use.
    pub in_use: u32,
    /// Waiting queries: (job, when it started waiting).
    waiters: VecDeque<(u64, SimTime)>,
    in_use_level: Level,
    waiting_level: Level,
    base_in_use: f64,
    base_waiting: f64,
    /// ∫ in use and ∫ waiting at the start of the current series window.
    win_in_use: f64,
    win_waiting: f64,
    /// Counters since the start of the measured interval (areas filled by [`Pool::measured`]).
    pub stats: PoolStats,
}

impl Pool {
    /// An idle pool of `size` connections.
    pub fn new(size: u32) -> Pool {
        Pool {
            size,
            in_use: 0,
            waiters: VecDeque::new(),
            in_use_level: Level::default(),
            waiting_level: Level::default(),
            base_in_use: 0.0,
            base_waiting: 0.0,
            win_in_use: 0.0,
            win_waiting: 0.0,
            stats: PoolStats::default(),
        }
    }

    /// Takes a connection for `job` if one is free (`true`), else queues it.
    pub fn acquire(&mut self, now: SimTime, job: u64, measuring: bool) -> bool {
        if self.in_use < self.size {
            self.in_use += 1;
            self.in_use_level.change(1, now);
            if measuring {
                self.stats.acquires += 1;
            }
            true
        } else {
            self.waiters.push_back((job, now));
            self.waiting_level.change(1, now);
            false
        }
    }

    /// Gives back a connection: returns the waiting job that takes it over, if any (`alive`
    /// tells whether a waiter is still worth a connection).
    pub fn release(
        &mut self,
        now: SimTime,
        measuring: bool,
        alive: impl Fn(u64) -> bool,
    ) -> Option<u64> {
        while let Some((job, since)) = self.waiters.pop_front() {
            self.waiting_level.change(-1, now);
            if alive(job) {
                if measuring {
                    self.stats.acquires += 1;
                    self.stats.wait_sum += now.since(since) as f64;
                }
                return Some(job);
            }
        }
        self.in_use -= 1;
        self.in_use_level.change(-1, now);
        None
    }

    /// The acquire timeout of `job` expired: removes it from the queue (`true`) if it is
    /// still waiting.
    pub fn give_up(&mut self, now: SimTime, job: u64, measuring: bool) -> bool {
        let Some(i) = self.waiters.iter().position(|w| w.0 == job) else {
            return false;
        };
        self.waiters.remove(i);
        self.waiting_level.change(-1, now);
        if measuring {
            self.stats.timeouts += 1;
        }
        true
    }

    /// Starts the measured interval at `now`.
    pub fn reset_stats(&mut self, now: SimTime) {
        self.stats = PoolStats::default();
        self.base_in_use = self.in_use_level.at(self.in_use, now);
        self.base_waiting = self.waiting_level.at(self.waiters.len() as u32, now);
    }

    /// The figures of the measured interval up to `now`.
    pub fn measured(&self, now: SimTime) -> PoolStats {
        let mut s = self.stats;
        s.in_use_area = self.in_use_level.at(self.in_use, now) - self.base_in_use;
        s.waiting_area = self.waiting_level.at(self.waiters.len() as u32, now) - self.base_waiting;
        s
    }

    /// ∫ connections in use dt and ∫ queries waiting dt since the previous call (or the
    /// start), and starts the next window at `now`.
    pub fn take_window(&mut self, now: SimTime) -> (f64, f64) {
        let in_use = self.in_use_level.at(self.in_use, now);
        let waiting = self.waiting_level.at(self.waiters.len() as u32, now);
        let d = (in_use - self.win_in_use, waiting - self.win_waiting);
        self.win_in_use = in_use;
        self.win_waiting = waiting;
        d
    }
}
