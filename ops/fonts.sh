#!/usr/bin/env bash
# The Japanese font the respondents' login letter embeds (platform/subsystems/online/letter_pdf.py):
# IPAex Gothic, a TrueType font (reportlab embeds TrueType outlines, not the CFF Noto CJK fonts), from
# Debian's fonts-ipaexfont-gothic (IPA Font License v1.0; docs/fonts.md). Run by `make test` (through
# ops/test-deps.sh) and `make run`; the Dockerfile installs the same package into the image.
set -euo pipefail
FONT=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
if [[ -n "${GOVSTAT_LETTER_FONT:-}" ]]; then FONT="$GOVSTAT_LETTER_FONT"; fi
[[ -f "$FONT" ]] && exit 0
if [[ -n "${GOVSTAT_LETTER_FONT:-}" ]]; then
  echo "fonts: GOVSTAT_LETTER_FONT=$FONT does not exist" >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "fonts: $FONT is missing and cannot be installed here: install Debian's fonts-ipaexfont-gothic" \
    "(apt-get install fonts-ipaexfont-gothic, as root) or set GOVSTAT_LETTER_FONT to a Japanese TrueType" \
    "font; without it the respondents' login letter (PDF) cannot be made" >&2
  exit 1
fi
echo "fonts: installing Debian's fonts-ipaexfont-gothic (the login letter's embedded Japanese font)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq fonts-ipaexfont-gothic >/dev/null 2>&1 \
  || { apt-get update -qq && apt-get install -y -qq fonts-ipaexfont-gothic >/dev/null; }
if [[ ! -f "$FONT" ]]; then
  echo "fonts: fonts-ipaexfont-gothic installed but $FONT is not there" >&2
  exit 1
fi
