#!/usr/bin/env bash
# Runs every check and test of the project, as CI does. Usage: bash scripts/test.sh
# Installs nothing system-wide for the engine: it needs only the Rust toolchain.
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
