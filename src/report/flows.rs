//! Text sections of the asynchronous and multi-step flows of a run: the message queues and the
//! sagas of every variant that has them.

use super::fmt::fmt_secs;
use crate::results::Results;
use crate::stats::stat::Stat;
use std::fmt::Write;

/// A count's mean, with its 95% half-width when the replications differ.
fn count(st: &Stat) -> String {
    let h = st.half_width();
    if h > 0.0 {
        format!("{:.1} ± {:.1}", st.mean, h)
    } else {
        format!("{:.1}", st.mean)
    }
}

/// A ratio as a percentage, with its 95% half-width when the replications differ.
fn pct(st: &Stat) -> String {
    let h = st.half_width();
    if h > 0.0 {
        format!("{:.2}% ± {:.2}%", 100.0 * st.mean, 100.0 * h)
    } else {
        format!("{:.2}%", 100.0 * st.mean)
    }
}

/// One block per variant with message queues or sagas: per queue the messages published,
/// delivered, dead-lettered and left at the end, the wait and the end-to-end p99; per saga its
/// style and outcomes (committed, compensated, inconsistent), the time compensation adds, its
/// compensation calls (and those that failed after their retries) and its completion time (a
/// choreographed saga: also its messages per saga and those still running at the end). Then one
/// block per variant with transactions or locks: per transaction its mode, outcomes, lock
/// wait, round trips and duration; per lock its share of time held, acquisitions, mean wait,
/// mean waiters and timeouts.
pub fn render_flows(r: &Results) -> String {
    let mut out = String::new();
    for v in &r.variants {
        if v.queues.is_empty() && v.sagas.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nQueues and sagas of `{}` (per replication)", v.name);
        for (name, q) in &v.queues {
            let _ = writeln!(
                out,
                "  queue {name}: published {} ({:.2}/s), delivered {}, dead-lettered {}, backlog at the end {}; wait mean {}, end-to-end p99 {}",
                count(&q.published),
                q.published_per_s.mean,
                count(&q.delivered),
                count(&q.dead_lettered),
                count(&q.backlog_end),
                fmt_secs(q.wait_mean_s.mean),
                fmt_secs(q.end_to_end_s.p99.mean),
            );
        }
        for (name, s) in &v.sagas {
            let choreo = if s.style == "choreography" {
                format!(
                    "; messages {:.2} per saga, in progress at the end {}",
                    s.messages_per_saga.mean,
                    count(&s.in_progress_end)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  saga {name} ({}): committed {} ({}), compensated {} ({}), inconsistent {} ({}); compensation adds {} per failed saga, inconsistency window {} per undone step; compensation calls {}, failed after retries {}; completion {} per finished saga{choreo}",
                s.style,
                count(&s.committed),
                pct(&s.committed_ratio),
                count(&s.compensated),
                pct(&s.compensated_ratio),
                count(&s.inconsistent),
                pct(&s.inconsistent_ratio),
                fmt_secs(s.compensation_s.mean),
                fmt_secs(s.inconsistency_window_s.mean),
                count(&s.compensations),
                count(&s.compensation_failures),
                fmt_secs(s.completion_s.mean),
            );
        }
    }
    for v in &r.variants {
        if v.transactions.is_empty() && v.locks.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\nTransactions and locks of `{}` (per replication)",
            v.name
        );
        for (name, x) in &v.transactions {
            let _ = writeln!(
                out,
                "  transaction {name} ({}): committed {} ({}), rolled back {}, lock timeouts {}; lock wait {}, {:.2} round trips, duration {}",
                x.mode,
                count(&x.committed),
                pct(&x.committed_ratio),
                count(&x.rolled_back),
                count(&x.lock_timeouts),
                fmt_secs(x.lock_wait_s.mean),
                x.round_trips.mean,
                fmt_secs(x.duration_s.mean),
            );
        }
        for (name, l) in &v.locks {
            let _ = writeln!(
                out,
                "  lock {name}: held {:.1}% of the time, acquired {}, wait mean {}, waiting {:.2}, timeouts {}",
                100.0 * l.held.mean,
                count(&l.acquires),
                fmt_secs(l.wait_mean_s.mean),
                l.waiting.mean,
                count(&l.timeouts),
            );
        }
    }
    out
}
