//! Event queues keyed by `(time, sequence)`. See the ordering contract in the module docs of
//! [`crate::kernel`].

use super::SimTime;

/// A priority queue of events ordered by `(time, insertion sequence)`.
///
/// Implementations may assume time never goes backwards: every pushed time is at least the time
/// of the last popped event.
pub trait EventQueue<E: Copy> {
    /// Schedules `event` at `time`.
    fn push(&mut self, time: SimTime, event: E);
    /// Removes and returns the earliest event (FIFO among equal times).
    fn pop(&mut self) -> Option<(SimTime, E)>;
    /// Number of queued events.
    fn len(&self) -> usize;
    /// Whether no event is queued.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The queue the engine uses by default: the binary heap, measured faster than the radix heap
/// on the engine benchmarks, whose queues hold few events (see `docs/benchmarks.md`).
pub type DefaultQueue<E> = BinaryHeapQueue<E>;

#[inline]
fn key(time: SimTime, seq: u64) -> u128 {
    ((time.0 as u128) << 64) | seq as u128
}

/// A binary min-heap on `(time, seq)`.
///
/// Written out rather than `std::collections::BinaryHeap`: the engine's queues are small and its
/// keys cheap to compare, and a classic sift-down that stops early executes fewer instructions
/// per event on every engine benchmark than std's "sift to the bottom, then up" (which wins on
/// large synthetic hold models; see `docs/benchmarks.md`).
///
/// # Complexity
/// `push` and `pop` are O(log n).
pub struct BinaryHeapQueue<E> {
    heap: Vec<(u128, E)>,
    seq: u64,
}

impl<E> Default for BinaryHeapQueue<E> {
    fn default() -> Self {
        BinaryHeapQueue {
            heap: Vec::new(),
            seq: 0,
        }
    }
}

impl<E: Copy> EventQueue<E> for BinaryHeapQueue<E> {
    // Always inlined: it sits on every event's path, and LLVM's heuristic drops it out of
    // line as soon as the engine grows a few more call sites.
    #[inline(always)]
    fn push(&mut self, time: SimTime, event: E) {
        self.seq += 1;
        let k = key(time, self.seq);
        let h = &mut self.heap;
        let mut i = h.len();
        h.push((k, event));
        while i > 0 {
            let parent = (i - 1) / 2;
            if h[parent].0 <= k {
                break;
            }
            h[i] = h[parent];
            i = parent;
        }
        h[i] = (k, event);
    }

    // Always inlined, as `push`: the event loop has one call site.
    #[inline(always)]
    fn pop(&mut self) -> Option<(SimTime, E)> {
        let h = &mut self.heap;
        let last = h.pop()?;
        let n = h.len();
        if n == 0 {
            return Some((SimTime((last.0 >> 64) as u64), last.1));
        }
        let top = h[0];
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && h[r].0 < h[l].0 { r } else { l };
            if h[c].0 >= last.0 {
                break;
            }
            h[i] = h[c];
            i = c;
        }
        h[i] = last;
        Some((SimTime((top.0 >> 64) as u64), top.1))
    }

    fn len(&self) -> usize {
        self.heap.len()
    }
}

const BUCKETS: usize = 129;

/// A radix heap (Ahuja, Mehlhorn, Orlin & Tarjan) on the 128-bit key `time << 64 | seq`.
///
/// Keys are unique (the sequence number grows with every push) and monotone (a pushed key is
/// larger than the last popped one, because time never goes backwards and the sequence grows),
/// which is all a radix heap needs. Bucket `i` holds keys whose highest bit differing from the
/// last popped key is bit `i - 1`; popping an empty bucket 0 redistributes the smallest non-empty
/// bucket, and each key moves down at most 128 times over its life.
///
/// # Complexity
/// `push` is O(1); `pop` is amortized O(log C) where C is the key range (here O(1) amortized with
/// a constant of at most 128 moves per event, far fewer in practice since keys are close together).
pub struct RadixQueue<E> {
    buckets: Vec<Vec<(u128, E)>>,
    /// Bit `i` set when bucket `i` is non-empty, so finding the smallest non-empty bucket is a
    /// count of trailing zeros rather than a scan.
    occupied: [u64; 3],
    last: u128,
    len: usize,
    seq: u64,
}

impl<E> Default for RadixQueue<E> {
    fn default() -> Self {
        RadixQueue {
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            occupied: [0; 3],
            last: 0,
            len: 0,
            seq: 0,
        }
    }
}

impl<E: Copy> RadixQueue<E> {
    #[inline]
    fn bucket_of(&self, k: u128) -> usize {
        (128 - (k ^ self.last).leading_zeros()) as usize
    }

    #[inline]
    fn put(&mut self, b: usize, k: u128, e: E) {
        self.buckets[b].push((k, e));
        self.occupied[b >> 6] |= 1 << (b & 63);
    }

    #[inline]
    fn first_occupied_from(&self, from: usize) -> usize {
        let mut w = from >> 6;
        let mut bits = self.occupied[w] & (u64::MAX << (from & 63));
        while bits == 0 {
            w += 1;
            bits = self.occupied[w];
        }
        (w << 6) | bits.trailing_zeros() as usize
    }
}

impl<E: Copy> EventQueue<E> for RadixQueue<E> {
    #[inline]
    fn push(&mut self, time: SimTime, event: E) {
        self.seq += 1;
        let k = key(time, self.seq);
        debug_assert!(k > self.last, "event scheduled in the past");
        let b = self.bucket_of(k);
        self.put(b, k, event);
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<(SimTime, E)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = self.first_occupied_from(1);
            let mut min = u128::MAX;
            for &(k, _) in &self.buckets[i] {
                min = min.min(k);
            }
            self.last = min;
            let mut moving = std::mem::take(&mut self.buckets[i]);
            self.occupied[i >> 6] &= !(1 << (i & 63));
            for (k, e) in moving.drain(..) {
                let b = self.bucket_of(k);
                self.put(b, k, e);
            }
            // Give the (now empty) allocation back so bucket i keeps its capacity.
            self.buckets[i] = moving;
        }
        let (k, e) = self.buckets[0].pop()?;
        if self.buckets[0].is_empty() {
            self.occupied[0] &= !1;
        }
        self.len -= 1;
        Some((SimTime((k >> 64) as u64), e))
    }

    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn drain<Q: EventQueue<u32>>(q: &mut Q) -> Vec<(SimTime, u32)> {
        std::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn fifo_among_equal_times() {
        let mut h = BinaryHeapQueue::default();
        let mut r = RadixQueue::default();
        for (t, e) in [(5, 0), (3, 1), (5, 2), (3, 3), (5, 4)] {
            h.push(SimTime(t), e);
            r.push(SimTime(t), e);
        }
        let want = vec![
            (SimTime(3), 1),
            (SimTime(3), 3),
            (SimTime(5), 0),
            (SimTime(5), 2),
            (SimTime(5), 4),
        ];
        assert_eq!(drain(&mut h), want);
        assert_eq!(drain(&mut r), want);
    }

    #[test]
    fn radix_matches_heap_on_a_random_hold_model() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let mut h = BinaryHeapQueue::default();
        let mut r = RadixQueue::default();
        let mut now = 0u64;
        for i in 0..1000u32 {
            let t = now + rng.random_range(0..50);
            h.push(SimTime(t), i);
            r.push(SimTime(t), i);
        }
        for i in 1000..200_000u32 {
            let a = h.pop();
            let b = r.pop();
            assert_eq!(a, b);
            let (t, _) = a.expect("non-empty");
            assert!(t.0 >= now);
            now = t.0;
            // Sometimes push at the current instant, sometimes far ahead.
            let dt = match rng.random_range(0..4) {
                0 => 0,
                1 => rng.random_range(0..10),
                2 => rng.random_range(0..1_000_000),
                _ => rng.random_range(0..1u64 << 40),
            };
            h.push(SimTime(now + dt), i);
            r.push(SimTime(now + dt), i);
            if i % 3 == 0 {
                h.push(SimTime(now + dt / 2), i);
                r.push(SimTime(now + dt / 2), i);
            }
        }
        assert_eq!(drain(&mut h), drain(&mut r));
        assert!(r.is_empty());
    }
}
