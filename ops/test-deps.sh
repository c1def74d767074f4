#!/usr/bin/env bash
# What the test suite needs beyond Python packages: Debian's Chromium for the
# page tests (Playwright drives it; it never downloads a browser of its own).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "test-deps: installing Debian's chromium"
  if [[ $(id -u) -ne 0 ]]; then echo "test-deps: need root to apt-get install chromium" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
chromium --version
