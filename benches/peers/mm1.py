#!/usr/bin/env python3
"""SimPy peer model: M/M/1 queue (lambda = 0.9, mu = 1, FIFO).

Written the way SimPy users usually write it: one process per customer,
a ``simpy.Resource(capacity=1)`` as the server, and
``with res.request() as req: yield req; yield env.timeout(...)``.

Theory: W = 1 / (mu - lambda) = 1 / (1 - 0.9) = 10 s.

Usage:  python3 mm1.py --customers N --seed S
Prints one JSON line:
  {"simulator":"simpy","model":"mm1","customers":N,"wall_s":...,
   "customers_per_s":...,"mean_response_s":...}
"""

import argparse
import json
import random
import time

import simpy

LAMBDA = 0.9  # arrival rate (customers/s)
MU = 1.0  # service rate (customers/s)


class Stats:
    def __init__(self):
        self.completed = 0
        self.total_response = 0.0


def customer(env, server, rng, stats):
    arrival = env.now
    with server.request() as req:
        yield req
        yield env.timeout(rng.expovariate(MU))
    stats.completed += 1
    stats.total_response += env.now - arrival


def source(env, n, server, rng, stats):
    for _ in range(n):
        yield env.timeout(rng.expovariate(LAMBDA))
        env.process(customer(env, server, rng, stats))


def main():
    ap = argparse.ArgumentParser(description="SimPy M/M/1 benchmark (lambda=0.9, mu=1)")
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.customers <= 0:
        ap.error("--customers must be positive")

    rng = random.Random(args.seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    stats = Stats()
    env.process(source(env, args.customers, server, rng, stats))

    # The source stops after N arrivals, so the run ends when the last of
    # the N customers has departed (no events left).
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0

    assert stats.completed == args.customers, (stats.completed, args.customers)
    print(json.dumps({
        "simulator": "simpy",
        "model": "mm1",
        "customers": stats.completed,
        "wall_s": wall,
        "customers_per_s": stats.completed / wall,
        "mean_response_s": stats.total_response / stats.completed,
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
