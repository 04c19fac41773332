#!/usr/bin/env bash
# Runs every check and test of the project, as CI does. Usage: bash scripts/test.sh
# The engine needs only the Rust toolchain; the desktop app's part (scripts/test-app.sh, last)
# installs its system and npm packages. ARCHSIM_SKIP_APP=1 skips it. The Slurm part
# (scripts/test-slurm.sh) needs root: it installs slurm-wlm and munge and runs a single-node
# cluster; ARCHSIM_SKIP_SLURM=1 skips it. The testbed part (testbed/validate.sh --quick, a few
# minutes) installs postgresql and tsung, runs the real services on loopback and compares them
# with archsim's predictions; ARCHSIM_SKIP_TESTBED=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rustfmt"
cargo fmt --all -- --check

echo "== clippy"
cargo clippy --all-targets -- -D warnings

echo "== tests (release: the statistical validation runs long simulations)"
cargo test --release --lib --bins --tests -- --include-ignored

echo "== doc tests and rustdoc (warnings are errors)"
cargo test --release --doc
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

echo "== benchmarks compile"
cargo bench --no-run

echo "== Kubernetes manifests (filled in and parsed; no cluster)"
python3 scripts/check-manifests.py

if [ "${ARCHSIM_SKIP_SLURM:-0}" != 1 ]; then
  echo "== Slurm (a single-node cluster from Debian's packages runs deploy/slurm)"
  bash scripts/test-slurm.sh
fi

if [ "${ARCHSIM_SKIP_TESTBED:-0}" != 1 ]; then
  echo "== testbed (a real microservice application and monolith against the model: testbed/validate.sh --quick)"
  bash testbed/validate.sh --quick
fi

if [ "${ARCHSIM_SKIP_APP:-0}" != 1 ]; then
  echo "== desktop app (system packages, UI, shell, browser and real-window tests)"
  bash scripts/test-app.sh
fi
