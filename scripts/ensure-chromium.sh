#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests (Playwright drives /usr/bin/chromium;
# the project never downloads a browser build of its own).
#
# Missing and root: install it with apt. Still missing afterwards: a failure when CI=true,
# otherwise a warning (the browser tests then fail or skip on their own terms).
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

# Vietnamese locale data: without it Chromium shows date inputs as mm/dd/yyyy in the screenshots.
# Nice to have, never a failure.
if [[ -x "$CHROMIUM" ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null && ! dpkg -s chromium-l10n >/dev/null 2>&1; then
        echo "chromium: installing chromium-l10n (Vietnamese date inputs)"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium-l10n \
            >/dev/null 2>&1 || echo "chromium: chromium-l10n not installed (dates show in English order)" >&2
    fi
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "chromium: $CHROMIUM is missing; installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt may be running (a machine being set up): wait for its lock rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-l10n >/dev/null
fi

if [[ -x "$CHROMIUM" ]]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [[ "${CI:-}" == "true" ]]; then
    echo "chromium: $CHROMIUM is missing and could not be installed; the browser tests cannot run in CI" >&2
    exit 1
fi
echo "chromium: $CHROMIUM is missing (run as root, or: apt-get install chromium); browser tests will not run" >&2
