#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for the desktop app and launches it:
# system packages (WebKitGTK and friends), the UI's npm packages (from the committed lock),
# the UI build (ui/dist), the release app with the custom protocol, then runs it.
# Usage: bash scripts/app.sh [--build-only]
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="libwebkit2gtk-4.1-dev build-essential pkg-config curl file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev"
command -v npm >/dev/null || PKGS="$PKGS nodejs npm"
installed=$(dpkg-query -W -f='${Status}\n' $PKGS 2>/dev/null | grep -c '^install ok installed' || true)
if [ "$installed" -lt "$(echo $PKGS | wc -w)" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $PKGS
fi
command -v cargo >/dev/null || { echo "needs a Rust toolchain: https://rustup.rs" >&2; exit 1; }

(cd ui && npm install --no-audit --no-fund && npm run build)
cargo build --release -p archsim-app --features custom-protocol
[ "${1:-}" = "--build-only" ] && { echo "built target/release/archsim-app"; exit 0; }
exec target/release/archsim-app
