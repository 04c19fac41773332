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

/// Latency bins per doubling of the tail record: bin `4·k + q` holds the latencies in
/// `[2^k·(1 + q/4), 2^k·(1 + (q+1)/4))` ns.
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
    if ns < 2 {
        return 0;
    }
    // The octave from the leading bit, the quarter from the two bits after it (so the bin's
    // lower edge is 2^octave · (1 + q/4), within 5% of 2^(octave + q/4)).
    let octave = 63 - ns.leading_zeros() as usize;
    let quarter = if octave >= 2 {
        ((ns >> (octave - 2)) & 3) as usize
    } else {
        ((ns << (2 - octave)) & 3) as usize
    };
    (octave * BINS_PER_OCTAVE as usize + quarter).min(BINS - 1)
}

/// The lower edge of tail bin `b` \[ns\]: `2^octave · (1 + quarter/4)`.
pub fn bin_low(b: usize) -> f64 {
    let (octave, quarter) = (b / BINS_PER_OCTAVE as usize, b % BINS_PER_OCTAVE as usize);
    2f64.powi(octave as i32) * (1.0 + quarter as f64 / 4.0)
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
    /// Per bin, its position in `bins` (`u32::MAX`: none yet); rebuilt when empty.
    #[serde(skip)]
    pub index: Vec<u32>,
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
                    index: Vec::new(),
                })
                .collect(),
            mismatches: 0,
        }
    }

    /// The record as a replication returns it (without the look-up tables of `record`).
    pub fn finish(mut self) -> AnatomyRep {
        for e in &mut self.entries {
            e.index = Vec::new();
        }
        self
    }

    /// Adds a successful request of entry `e` with latency `latency` ns and ledger `parts`
    /// (`(part, ns)` entries, a part possibly repeated); counts a mismatch when they do not add
    /// up to the latency.
    pub fn record(&mut self, e: usize, latency: u64, parts: &[(u32, u64)]) {
        let ea = &mut self.entries[e];
        let b = bin(latency);
        if ea.index.len() != BINS {
            // First record of this replication, or read back from a shard part.
            ea.index = vec![u32::MAX; BINS];
            for (i, t) in ea.bins.iter().enumerate() {
                ea.index[t.bin as usize] = i as u32;
            }
        }
        let i = match ea.index[b] {
            u32::MAX => {
                // Kept in bin order: later positions move up by one.
                let at = ea.bins.partition_point(|t| (t.bin as usize) < b);
                ea.bins.insert(
                    at,
                    TailBin {
                        bin: b as u16,
                        count: 0,
                        sums: vec![0; ea.sums.len()],
                    },
                );
                for t in &ea.bins[at + 1..] {
                    ea.index[t.bin as usize] += 1;
                }
                ea.index[b] = at as u32;
                at
            }
            i => i as usize,
        };
        let tb = &mut ea.bins[i];
        tb.count += 1;
        ea.count += 1;
        let mut total = 0u64;
        for &(p, ns) in parts {
            ea.sums[p as usize] += ns;
            tb.sums[p as usize] += ns;
            total += ns;
        }
        if total != latency {
            self.mismatches += 1;
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
        assert_eq!(bin(3), 6);
        assert_eq!(bin(1 << 20), 80);
        assert_eq!(bin((1 << 20) + (1 << 19)), 82);
        for ns in [2u64, 3, 5, 7, 1000, 999_999, 1 << 40, 12_345_678_901] {
            let b = bin(ns);
            assert!(
                bin_low(b) <= ns as f64 && (ns as f64) < bin_low(b + 1),
                "{ns} in bin {b}"
            );
        }
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
        // Bins stay in order whatever the order they first occur in.
        for lat in [1000, 10, 100_000, 100, 10] {
            a.record(0, lat, &[(0, lat)]);
        }
        let bins: Vec<u16> = a.entries[0].bins.iter().map(|t| t.bin).collect();
        let mut sorted = bins.clone();
        sorted.sort_unstable();
        assert_eq!(bins, sorted);
        assert_eq!(a.entries[0].bins[0].count, 2, "two requests of 10 ns");
        assert_eq!(a.entries[0].count, 7);
    }
}
