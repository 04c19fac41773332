//! Engine throughput benchmarks (criterion).
//!
//! - `queue/*`: the classic hold model on both event queues (pop the earliest event, push one
//!   a random time later) at several queue sizes;
//! - `engine/*`: one replication of each built-in model (`archsim bench` runs the same models),
//!   on both event queues; throughput is in simulated customers.
//!
//! Run with `cargo bench --bench engine`; `docs/benchmarks.md` records the figures.

use archsim::engine::{simulate_with, QueueKind};
use archsim::kernel::{BinaryHeapQueue, EventQueue, RadixQueue, SimTime};
use archsim::model::Model;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use std::hint::black_box;
use std::time::Duration;

fn hold<Q: EventQueue<u64> + Default>(size: usize, ops: usize) -> u64 {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
    let mut q = Q::default();
    for i in 0..size {
        q.push(SimTime(rng.random_range(0..1_000_000)), i as u64);
    }
    let mut acc = 0;
    for _ in 0..ops {
        let (t, e) = q.pop().expect("non-empty");
        acc ^= e;
        q.push(SimTime(t.0 + rng.random_range(0..1_000_000)), e);
    }
    acc
}

fn queues(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(20);
    let ops = 200_000;
    for size in [4usize, 1_000, 100_000] {
        g.throughput(Throughput::Elements(ops as u64));
        g.bench_with_input(BenchmarkId::new("binary_heap", size), &size, |b, &s| {
            b.iter(|| black_box(hold::<BinaryHeapQueue<u64>>(s, ops)))
        });
        g.bench_with_input(BenchmarkId::new("radix", size), &size, |b, &s| {
            b.iter(|| black_box(hold::<RadixQueue<u64>>(s, ops)))
        });
    }
    g.finish();
}

fn engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(10);
    let customers = 100_000u64;
    for name in archsim::runner::bench::MODELS {
        let s = archsim::runner::bench::model(name, customers)
            .expect("built-in")
            .expect("parses");
        let m = Model::compile(&s, 0);
        g.throughput(Throughput::Elements(customers));
        for (label, kind) in [
            ("binary_heap", QueueKind::BinaryHeap),
            ("radix", QueueKind::Radix),
        ] {
            g.bench_function(BenchmarkId::new(name, label), |b| {
                b.iter(|| {
                    black_box(
                        simulate_with(&m, 1, 0, None, kind)
                            .expect("finished")
                            .events,
                    )
                })
            });
        }
    }
    g.finish();
}

mod group {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, queues, engine);
}
criterion_main!(group::benches);
