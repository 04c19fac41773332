#!/usr/bin/env python3
"""SimPy peer model: tandem of 5 M/M/2 stations.

Poisson arrivals, lambda = 1.5/s; each station is a ``simpy.Resource(capacity=2)``
with exponential service of mean 1 s (mu = 1); FIFO at every station.
Written the way SimPy users usually write it: one process per customer that
walks the stations in order with
``with res.request() as req: yield req; yield env.timeout(...)``.

Theory (Erlang C), per station, c = 2, a = lambda/mu = 1.5, rho = a/c = 0.75:
  P0 = [1 + a + a^2 / (2! (1 - rho))]^-1 = [1 + 1.5 + 2.25/0.5]^-1 = 1/7
  C(2, 1.5) = a^2 / (2! (1 - rho)) * P0 = 4.5/7 = 0.642857
  Wq = C / (c*mu - lambda) = 0.642857 / 0.5 = 1.285714 s
  W  = Wq + 1/mu = 2.285714 s  (= 1 / (mu (1 - rho^2)) for M/M/2)
By Burke's theorem every station sees Poisson(1.5) arrivals, so the mean
end-to-end response is 5 * W = 11.428571 s.

Usage:  python3 tandem.py --customers N --seed S
Prints one JSON line:
  {"simulator":"simpy","model":"tandem","customers":N,"wall_s":...,
   "customers_per_s":...,"mean_response_s":...}
"""

import argparse
import json
import random
import time

import simpy

LAMBDA = 1.5  # arrival rate (customers/s)
MU = 1.0  # service rate per server (customers/s)
STATIONS = 5
SERVERS_PER_STATION = 2


class Stats:
    def __init__(self):
        self.completed = 0
        self.total_response = 0.0


def customer(env, stations, rng, stats):
    arrival = env.now
    for station in stations:
        with station.request() as req:
            yield req
            yield env.timeout(rng.expovariate(MU))
    stats.completed += 1
    stats.total_response += env.now - arrival


def source(env, n, stations, rng, stats):
    for _ in range(n):
        yield env.timeout(rng.expovariate(LAMBDA))
        env.process(customer(env, stations, rng, stats))


def main():
    ap = argparse.ArgumentParser(
        description="SimPy tandem benchmark (5 x M/M/2, lambda=1.5, mu=1)")
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.customers <= 0:
        ap.error("--customers must be positive")

    rng = random.Random(args.seed)
    env = simpy.Environment()
    stations = [simpy.Resource(env, capacity=SERVERS_PER_STATION)
                for _ in range(STATIONS)]
    stats = Stats()
    env.process(source(env, args.customers, stations, rng, stats))

    # The source stops after N arrivals, so the run ends when the last of
    # the N customers has left the last station (no events left).
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0

    assert stats.completed == args.customers, (stats.completed, args.customers)
    print(json.dumps({
        "simulator": "simpy",
        "model": "tandem",
        "customers": stats.completed,
        "wall_s": wall,
        "customers_per_s": stats.completed / wall,
        "mean_response_s": stats.total_response / stats.completed,
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
