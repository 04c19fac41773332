#!/usr/bin/env bash
# The desktop app's checks: system packages, the UI (type check, Vitest, generated types,
# browser tests in headless Chromium), the shell's Rust tests on tauri's mock runtime, the
# .deb bundle, and the real app under Xvfb driven by tauri-driver + WebKitWebDriver.
# Called by scripts/test.sh after the Rust checks; run alone with `bash scripts/test-app.sh`.
# Logs and screenshots go to $CI_LOGS (default target/ci-logs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=${CI_LOGS:-$ROOT/target/ci-logs}
mkdir -p "$LOGS"

echo "== app: system packages"
PKGS="libwebkit2gtk-4.1-dev build-essential pkg-config curl file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver imagemagick xdotool fonts-dejavu-core chromium"
installed=$(dpkg-query -W -f='${Status}\n' $PKGS 2>/dev/null | grep -c '^install ok installed' || true)
if [ "$installed" -lt "$(echo $PKGS | wc -w)" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $PKGS
fi

echo "== app: npm install (the committed lock)"
(cd ui && npm install --no-audit --no-fund)

echo "== app: generated types are current (schema.json -> types.ts)"
(cd ui && node scripts/gen-types.mjs --check)

echo "== app: type check and build ui/dist"
(cd ui && npm run build)

echo "== app: the report script embedded by the CLI is current"
(cd ui && npm run build:report)
git diff --exit-code --stat -- src/report/assets/report.js || {
  echo "src/report/assets/report.js is out of date: run npm --prefix ui run build:report and commit it" >&2; exit 1; }

echo "== app: Vitest"
(cd ui && npx vitest run)

echo "== app: browser tests (headless Chromium, mock backend)"
(cd ui && node --test e2e/browser.test.mjs)

echo "== app: shell tests (tauri mock runtime)"
cargo fmt -p archsim-app -- --check
cargo clippy -p archsim-app --all-targets -- -D warnings
cargo test -p archsim-app

# The debug profile shares its compiled dependencies with the shell tests above, which keeps CI
# within its time; `bash scripts/app.sh` builds the release app.
echo "== app: .deb bundle (debug build with the custom protocol)"
ui/node_modules/.bin/tauri build --debug --bundles deb 2>&1 | tee "$LOGS/tauri-build.log" | tail -5
ls target/debug/bundle/deb/*.deb

echo "== app: the real window under Xvfb (tauri-driver + WebKitWebDriver)"
if ! command -v tauri-driver >/dev/null || ! tauri-driver --version 2>/dev/null | grep -q '2.1.0'; then
  cargo install tauri-driver --version 2.1.0 --locked
fi
export PATH="$HOME/.cargo/bin:$PATH"
APP="$ROOT/target/debug/archsim-app" SHOTS="$LOGS" DOCS_SHOTS="$ROOT/docs/screenshots" \
  xvfb-run -a -s "-screen 0 1500x1000x24" node --test ui/e2e/app.test.mjs
echo "app screenshots: $LOGS"
