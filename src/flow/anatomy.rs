//! Latency anatomy: where the time of a successful request goes, part by part.
//!
//! Every request frame keeps a *ledger*: the time from its creation to its `mark`, split into
//! *parts* (network hops, marshalling, the client's distance, failed attempts and backoff,
//! each component's holding time, and per node its queueing and its service). A frame's
//! ledger always adds up to `mark − creation` exactly (integer nanoseconds). Along the request
//! tree the ledgers follow the *critical path*: a sequential call's ledger joins its caller's;
//! of a parallel step's calls, the one answering last is the step's time (the others ran in
//! its shadow). So the ledger of an answered entry request adds up to its latency, exactly.
//!
//! [`Layout`] numbers the parts of a variant; [`AnatomyRep`] is what one replication records:
//! per entry the sum over its successful measured requests of each part, and the same sums per
//! latency bin (to describe the slowest requests, e.g. those above the p99).

/// Network hops (a call's way there and back, a database query's, the gateway's hop back).
pub const NETWORK: u32 = 0;
/// Marshalling: the caller's side (its CPU, queueing included) and the callee's side (its
/// share of the callee's CPU).
pub const MARSHAL: u32 = 1;
/// Between the client and the data centre (`network.client_latency`, both ways).
pub const CLIENT: u32 = 2;
/// Attempts that failed (timed out, errored, refused) and the backoff before the next one.
pub const RETRY: u32 = 3;
/// Time not attributed to a more specific part (a step ended by a component's frame).
pub const OTHER: u32 = 4;
/// First component part: component `k` (registry order) is `COMPONENTS + k`.
pub const COMPONENTS: u32 = 5;

/// Latency bins per doubling of the tail record (bin `b` holds latencies in
/// `[2^(b/BINS_PER_OCTAVE), 2^((b+1)/BINS_PER_OCTAVE))` ns).
pub const BINS_PER_OCTAVE: u32 = 4;
/// Tail bins (up to 2^64 ns).
pub const BINS: usize = 64 * BINS_PER_OCTAVE as usize;

/// The numbering of a variant's parts: the fixed ones, one per component, then two per node
/// (queueing, service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Components in the registry.
    pub components: u32,
    /// Nodes of the variant.
    pub nodes: u32,
}

impl Layout {
    /// Part of component `k`.
    #[inline]
    pub fn component(&self, k: u32) -> u32 {
        COMPONENTS + k
    }
    /// Part of node `n`'s queueing: waiting for a worker, and the CPU phase beyond its
    /// service demand (processor sharing with other requests, a slowed instance).
    #[inline]
    pub fn queue(&self, n: u32) -> u32 {
        COMPONENTS + self.components + 2 * n
    }
    /// Part of node `n`'s service: the operation's CPU demand at the instance's speed.
    #[inline]
    pub fn service(&self, n: u32) -> u32 {
        self.queue(n) + 1
    }
    /// Number of parts.
    pub fn len(&self) -> usize {
        (COMPONENTS + self.components + 2 * self.nodes) as usize
    }
    /// Whether there are no parts (never: the fixed parts exist).
    pub fn is_empty(&self) -> bool {
        false
    }
    /// The node of part `p`, and whether it is its service (else its queueing).
    pub fn node_of(&self, p: u32) -> Option<(u32, bool)> {
        let first = COMPONENTS + self.components;
        (p >= first && p < first + 2 * self.nodes).then(|| ((p - first) / 2, (p - first) % 2 == 1))
    }
    /// The component of part `p`.
    pub fn component_of(&self, p: u32) -> Option<u32> {
        (COMPONENTS..COMPONENTS + self.components)
            .contains(&p)
            .then(|| p - COMPONENTS)
    }
}

/// The tail bin of a latency of `ns` nanoseconds.
#[inline]
pub fn bin(ns: u64) -> usize {
    if ns == 0 {
        return 0;
    }
    let l = (ns as f64).log2() * BINS_PER_OCTAVE as f64;
    (l.max(0.0) as usize).min(BINS - 1)
}

/// The lower edge of tail bin `b` \[ns\].
pub fn bin_low(b: usize) -> f64 {
    2f64.powf(b as f64 / BINS_PER_OCTAVE as f64)
}

/// One latency bin of an entry: its requests and their parts' sums.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TailBin {
    /// Bin index (see [`bin`]).
    pub bin: u16,
    /// Successful measured requests in the bin.
    pub count: u64,
    /// Per part, the sum over those requests \[ns\].
    pub sums: Vec<u64>,
}

/// The anatomy of one entry over one replication.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryAnatomy {
    /// Successful measured requests whose ledger was kept.
    pub count: u64,
    /// Per part, the sum over those requests \[ns\].
    pub sums: Vec<u64>,
    /// The same sums per latency bin, in bin order (only bins that occurred).
    pub bins: Vec<TailBin>,
}

/// What one replication records of the latency anatomy.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnatomyRep {
    /// Per entry.
    pub entries: Vec<EntryAnatomy>,
    /// Requests whose parts did not add up to their latency (a self-check; 0 expected).
    pub mismatches: u64,
}

impl AnatomyRep {
    /// Empty, for `entries` entries of `parts` parts.
    pub fn new(entries: usize, parts: usize) -> AnatomyRep {
        AnatomyRep {
            entries: (0..entries)
                .map(|_| EntryAnatomy {
                    count: 0,
                    sums: vec![0; parts],
                    bins: Vec::new(),
                })
                .collect(),
            mismatches: 0,
        }
    }

    /// Adds a successful request of entry `e` with latency `latency` ns and ledger `parts`
    /// (`(part, ns)` pairs); counts a mismatch when they do not add up to the latency.
    pub fn record(&mut self, e: usize, latency: u64, parts: &[(u32, u64)]) {
        let total: u64 = parts.iter().map(|&(_, ns)| ns).sum();
        if total != latency {
            self.mismatches += 1;
        }
        let ea = &mut self.entries[e];
        ea.count += 1;
        let n = ea.sums.len();
        for &(p, ns) in parts {
            ea.sums[p as usize] += ns;
        }
        let b = bin(latency) as u16;
        let i = match ea.bins.binary_search_by_key(&b, |t| t.bin) {
            Ok(i) => i,
            Err(i) => {
                ea.bins.insert(
                    i,
                    TailBin {
                        bin: b,
                        count: 0,
                        sums: vec![0; n],
                    },
                );
                i
            }
        };
        let tb = &mut ea.bins[i];
        tb.count += 1;
        for &(p, ns) in parts {
            tb.sums[p as usize] += ns;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_numbers_parts_without_overlap() {
        let l = Layout {
            components: 3,
            nodes: 2,
        };
        assert_eq!(l.len(), 5 + 3 + 4);
        assert_eq!(l.component(2), 7);
        assert_eq!(l.queue(0), 8);
        assert_eq!(l.service(1), 11);
        assert_eq!(l.node_of(11), Some((1, true)));
        assert_eq!(l.node_of(8), Some((0, false)));
        assert_eq!(l.node_of(7), None);
        assert_eq!(l.component_of(7), Some(2));
        assert_eq!(l.component_of(8), None);
    }

    #[test]
    fn bins_are_quarter_octaves() {
        assert_eq!(bin(1), 0);
        assert_eq!(bin(2), 4);
        assert_eq!(bin(1 << 20), 80);
        assert!(bin_low(bin(1_000_000)) <= 1e6);
        assert!(bin_low(bin(1_000_000) + 1) > 1e6);
        assert_eq!(bin(u64::MAX), BINS - 1);
    }

    #[test]
    fn record_sums_and_flags_mismatch() {
        let mut a = AnatomyRep::new(1, 6);
        a.record(0, 30, &[(0, 10), (5, 20)]);
        a.record(0, 31, &[(0, 10), (5, 20)]);
        assert_eq!(a.entries[0].count, 2);
        assert_eq!(a.entries[0].sums, vec![20, 0, 0, 0, 0, 40]);
        assert_eq!(a.mismatches, 1);
        assert_eq!(a.entries[0].bins.len(), 1);
        assert_eq!(a.entries[0].bins[0].count, 2);
    }
}
