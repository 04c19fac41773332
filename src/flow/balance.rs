//! Load balancing across the instances of a node: every node with several instances picks one
//! per request by its algorithm.

use super::availability::Availability;
use super::station::Station;
pub use super::topology::LbAlgorithm;
use super::topology::Node;
use crate::kernel::Rng64;
use rand::Rng;

/// Picks an instance among `n` (≥ 1) given their current load.
///
/// `load(i)` is the number of requests at instance `i`; `cursor` is the node's round-robin
/// position. Ties go to the lowest index, so the choice is deterministic given the stream.
#[inline]
pub fn pick(
    alg: LbAlgorithm,
    n: u32,
    cursor: &mut u32,
    rng: &mut Rng64,
    load: impl Fn(u32) -> u32,
) -> u32 {
    if n <= 1 {
        return 0;
    }
    match alg {
        LbAlgorithm::RoundRobin => {
            let i = *cursor % n;
            *cursor = (i + 1) % n;
            i
        }
        LbAlgorithm::Random => rng.random_range(0..n),
        LbAlgorithm::LeastOutstanding => {
            let mut best = 0;
            let mut best_load = load(0);
            for i in 1..n {
                let l = load(i);
                if l < best_load {
                    best = i;
                    best_load = l;
                }
            }
            best
        }
        LbAlgorithm::PowerOfTwo => {
            let a = rng.random_range(0..n);
            let mut b = rng.random_range(0..n - 1);
            if b >= a {
                b += 1;
            }
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            if load(hi) < load(lo) {
                hi
            } else {
                lo
            }
        }
    }
}

/// An instance of `node` that is up (some are down), by its algorithm over the instances up
/// only; `None` if none is. `scratch` is reused between calls.
pub fn pick_up(
    node: &Node,
    node_ix: usize,
    avail: &Availability,
    stations: &[Station],
    cursor: &mut u32,
    rng: &mut Rng64,
    scratch: &mut Vec<u32>,
) -> Option<u32> {
    let first = node.first_station;
    if avail.up_count(node_ix) == 0 {
        return None;
    }
    scratch.clear();
    scratch.extend((0..node.instances).filter(|&i| !avail.is_down(first + i)));
    let j = pick(node.lb, scratch.len() as u32, cursor, rng, |j| {
        stations[(first + scratch[j as usize]) as usize].in_system
    });
    scratch.get(j as usize).copied()
}

/// The instances of a database `node` that serve a `write` (the primary, instance 0) or a read
/// (the read replicas, instances 1..=`read_replicas`, when it has some; the primary otherwise):
/// a read goes to one of them drawn uniformly among those up, so each takes an equal share.
pub fn serving(node: &Node, write: bool) -> std::ops::Range<u32> {
    if write || node.read_replicas == 0 {
        0..1
    } else {
        1..node.read_replicas + 1
    }
}

/// The instance of a database `node` with read replicas that serves a request ([`serving`]):
/// the primary for a `write`, a replica drawn at random among those up for a read; `None` when
/// it is down.
pub fn replica(node: &Node, write: bool, avail: &Availability, rng: &mut Rng64) -> Option<u32> {
    let first = node.first_station;
    let serving = serving(node, write);
    if write {
        let p = serving.start;
        return (!avail.is_down(first + p)).then_some(p);
    }
    let up = serving
        .clone()
        .filter(|&i| !avail.is_down(first + i))
        .count() as u32;
    if up == 0 {
        return None;
    }
    let mut j = rng.random_range(0..up);
    for i in serving {
        if !avail.is_down(first + i) {
            if j == 0 {
                return Some(i);
            }
            j -= 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn round_robin_cycles() {
        let mut c = 0;
        let mut r = Rng64::seed_from_u64(1);
        let picks: Vec<u32> = (0..6)
            .map(|_| pick(LbAlgorithm::RoundRobin, 3, &mut c, &mut r, |_| 0))
            .collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2]);
    }

    #[test]
    fn least_outstanding_picks_the_emptiest() {
        let mut c = 0;
        let mut r = Rng64::seed_from_u64(1);
        let loads = [3, 1, 2, 1];
        assert_eq!(
            pick(LbAlgorithm::LeastOutstanding, 4, &mut c, &mut r, |i| loads
                [i as usize]),
            1
        );
    }

    #[test]
    fn power_of_two_never_picks_the_worst_of_two() {
        let mut c = 0;
        let mut r = Rng64::seed_from_u64(3);
        let loads = [0, 100];
        for _ in 0..100 {
            assert_eq!(
                pick(LbAlgorithm::PowerOfTwo, 2, &mut c, &mut r, |i| loads
                    [i as usize]),
                0
            );
        }
    }

    #[test]
    fn random_covers_all() {
        let mut c = 0;
        let mut r = Rng64::seed_from_u64(5);
        let mut seen = [0; 4];
        for _ in 0..400 {
            seen[pick(LbAlgorithm::Random, 4, &mut c, &mut r, |_| 0) as usize] += 1;
        }
        assert!(seen.iter().all(|&k| k > 50), "{seen:?}");
    }
}
