#!/usr/bin/env bash
# Fetch the third-party browser assets into static/vendor/, from the npm registry only.
#
# The system must run with no internet, so nothing is loaded from a CDN: every file a page uses
# is committed under static/vendor/<package>-<version>/. This script documents where those files
# came from and repeats the fetch exactly (pinned versions, `npm pack`, only the dist files we
# serve, plus each package's licence). To upgrade, change a version below, run the script, update
# the paths in templates/base.html (Chart.js: templates/reports/dashboard.html), and remove the old
# folder.
#
# Usage: scripts/vendor-assets.sh        (from anywhere; needs npm and tar)
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
HTMX_VERSION=2.0.11
CHARTJS_VERSION=4.6.1
# The registry's integrity string of the package tarball (`npm view chart.js@4.6.1 dist.integrity`),
# checked before anything is copied.
CHARTJS_INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# unpack PACKAGE VERSION -> prints the directory holding the unpacked package
unpack() {
    local pkg="$1" version="$2" dir
    dir="$WORK/$(echo "$pkg" | tr '/@' '__')-$version"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$pkg@$version" >/dev/null && tar -xzf ./*.tgz)
    echo "$dir/package"
}

# check_integrity PACKAGE VERSION INTEGRITY -> fails unless the packed tarball has that sha512
check_integrity() {
    local dir actual
    dir="$WORK/$(echo "$1" | tr '/@' '__')-$2"
    actual="sha512-$(openssl dgst -sha512 -binary "$dir"/*.tgz | base64 -w0)"
    if [[ "$actual" != "$3" ]]; then
        echo "Integrity mismatch for $1@$2: expected $3, got $actual" >&2
        exit 1
    fi
}

# Bootstrap: compiled CSS and the JS bundle (includes Popper), with their source maps.
src="$(unpack bootstrap "$BOOTSTRAP_VERSION")"
dst="$VENDOR/bootstrap-$BOOTSTRAP_VERSION"
rm -rf "$dst" && mkdir -p "$dst/css" "$dst/js"
cp "$src"/dist/css/bootstrap.min.css "$src"/dist/css/bootstrap.min.css.map "$dst/css/"
cp "$src"/dist/js/bootstrap.bundle.min.js "$src"/dist/js/bootstrap.bundle.min.js.map "$dst/js/"
cp "$src/LICENSE" "$dst/LICENSE"

# Bootstrap Icons: the icon font CSS and its fonts (the CSS refers to ./fonts/).
src="$(unpack bootstrap-icons "$BOOTSTRAP_ICONS_VERSION")"
dst="$VENDOR/bootstrap-icons-$BOOTSTRAP_ICONS_VERSION"
rm -rf "$dst" && mkdir -p "$dst/font/fonts"
cp "$src"/font/bootstrap-icons.min.css "$dst/font/"
cp "$src"/font/fonts/bootstrap-icons.woff2 "$src"/font/fonts/bootstrap-icons.woff "$dst/font/fonts/"
cp "$src/LICENSE" "$dst/LICENSE"

# htmx: the minified build only.
src="$(unpack htmx.org "$HTMX_VERSION")"
dst="$VENDOR/htmx.org-$HTMX_VERSION"
rm -rf "$dst" && mkdir -p "$dst/dist"
cp "$src"/dist/htmx.min.js "$dst/dist/"
cp "$src/LICENSE" "$dst/LICENSE"

# Chart.js: the minified UMD build (defines the global `Chart`) for the statistics dashboard.
src="$(unpack chart.js "$CHARTJS_VERSION")"
check_integrity chart.js "$CHARTJS_VERSION" "$CHARTJS_INTEGRITY"
dst="$VENDOR/chart.js-$CHARTJS_VERSION"
rm -rf "$dst" && mkdir -p "$dst/dist"
cp "$src"/dist/chart.umd.min.js "$dst/dist/"
cp "$src/LICENSE.md" "$dst/LICENSE.md"

echo "Vendored into $VENDOR:"
(cd "$VENDOR" && find . -type f | sort)
