#!/usr/bin/env bash
# Make sure LibreOffice (headless Writer and Calc) and poppler-utils are there: the export tests render
# the Excel workbook and the Word report to PDF with `libreoffice --headless --convert-to pdf` and read
# the result with `pdftotext`.
#
# Missing and root: install them with apt. Still missing afterwards: a failure when CI=true,
# otherwise a warning (the rendering test then skips).
set -euo pipefail

have_all() {
    command -v libreoffice >/dev/null && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null
}

if have_all; then
    echo "libreoffice: $(libreoffice --version 2>/dev/null | head -n1)"
    exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "libreoffice: missing; installing Debian's libreoffice-writer-nogui, libreoffice-calc-nogui, poppler-utils"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt may be running (a machine being set up): wait for its lock rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation >/dev/null
fi

if have_all; then
    echo "libreoffice: $(libreoffice --version 2>/dev/null | head -n1)"
    exit 0
fi

if [[ "${CI:-}" == "true" ]]; then
    echo "libreoffice: libreoffice or pdftotext is missing and could not be installed; the export rendering test cannot run in CI" >&2
    exit 1
fi
echo "libreoffice: libreoffice or pdftotext is missing (run as root, or: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils); the export rendering test will skip" >&2
