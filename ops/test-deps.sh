#!/usr/bin/env bash
# What the test suite needs beyond Python packages: Debian's Chromium for the
# page tests (Playwright drives it; it never downloads a browser of its own).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "test-deps: installing Debian's chromium"
  if [[ $(id -u) -ne 0 ]]; then echo "test-deps: need root to apt-get install chromium" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# Japanese glyphs in the page screenshots (without them every kanji renders as a box)
if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  echo "test-deps: installing Japanese fonts (fonts-noto-cjk)"
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk >/dev/null; }) \
      || echo "test-deps: fonts-noto-cjk not installed; screenshots will show boxes for Japanese" >&2
  fi
fi
# The login letter's embedded Japanese font (a clear error if it cannot be had)
"$(dirname "$0")/fonts.sh"
chromium --version
