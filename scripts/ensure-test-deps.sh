#!/usr/bin/env bash
# What `npm test` needs from the system beyond node_modules: Debian's Chromium for the browser tests
# and a Thai font for the pages they draw, the letter font, and the independent signature verifiers.
# On a fresh machine (root, apt-get) they are installed; elsewhere one line says what to install,
# and the test run stops before it starts.
#
# `ensure-test-deps.sh start` (npm start's prestart) asks only for what the server renders letters
# with (Chromium and the letter font), and never stops the start: the server runs without them and
# answers letter renders with 503 and the same line.
set -euo pipefail

mode="${1:-test}"
if [ "$mode" = start ]; then
  need=()
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] || echo "[saraban] CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file: letters will not render (503) until it points at Chromium." >&2
  else
    [ -x /usr/bin/chromium ] || need+=(chromium)
  fi
  [ -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf ] || need+=(fonts-tlwg-laksaman-ttf)
  [ ${#need[@]} -eq 0 ] && exit 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[saraban] installing ${need[*]} (Debian packages that render letters as PDF; once)"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -q "${need[@]}" >/tmp/saraban-start-deps.log 2>&1; then
      echo "[saraban] installed ${need[*]}"
      exit 0
    fi
    echo "[saraban] installing ${need[*]} failed (see /tmp/saraban-start-deps.log): the server starts, but letters answer 503 until they are installed." >&2
    exit 0
  fi
  echo "[saraban] letters need Debian packages that are missing: install them as root (apt-get install -y ${need[*]}) or set CHROMIUM_PATH; the server starts, but letters answer 503 until then." >&2
  exit 0
fi

need=()
if [ -n "${CHROMIUM_PATH:-}" ]; then
  # A Chromium of one's own: ours to check, not to install.
  [ -x "$CHROMIUM_PATH" ] || { echo "npm test: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; point it at Chromium, or unset it to use Debian's chromium (apt-get install chromium)." >&2; exit 1; }
else
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
[ -n "$(fc-list :lang=th 2>/dev/null || true)" ] || need+=(fonts-thai-tlwg)
# Letters are rendered in Laksaman (SIPA's Sarabun, TrueType: the -otf faces become Type 3 in PDFs).
[ -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf ] || need+=(fonts-tlwg-laksaman-ttf)
# Independent verifiers of what the product signs: pdfsig/pdffonts/pdftoppm, certutil, xmlsec1.
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
# qpdf makes the encrypted PDF that verification must refuse.
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[test] installing ${need[*]} (Debian packages the browser tests need)"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet, and old lists may name versions long gone.
  if apt-get update -qq && apt-get install -y -q "${need[@]}" >/tmp/saraban-test-deps.log 2>&1; then
    echo "[test] installed ${need[*]}"
    exit 0
  fi
  echo "npm test: installing ${need[*]} with apt-get failed (see /tmp/saraban-test-deps.log); install them, then run npm test again." >&2
  exit 1
fi
echo "npm test: the browser tests need Debian packages that are missing: install them as root (apt-get install -y ${need[*]}), or set CHROMIUM_PATH to a Chromium of your own." >&2
exit 1
