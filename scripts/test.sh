#!/usr/bin/env bash
# The whole check, as `make test` and CI run it:
#   1. ruff check, ruff format --check
#   2. no model change without its migration (makemigrations --check)
#   3. the whole pytest suite on SQLite: everything but tests/browser, then tests/browser
#   4. the same two runs again on PostgreSQL, if it is reachable
# Every step runs even when an earlier one failed; a summary closes the output.
#
# Why the browser tests run in a pytest process of their own: Playwright's sync API keeps an asyncio
# loop running in the main thread, and Django's connections are context-local (not thread-local)
# while a loop runs. If the test database was set up before the loop started (as happens when other
# tests come first), the browser tests see a connection without the serialized copy of the database,
# and the data that migrations load (rule parameters) is gone after the first flush.
#
# With CI=true nothing may be left out: an unreachable PostgreSQL, an empty test run or a skipped
# test is a failure. Environment: DATABASE_URL (a postgres:// URL for step 4; default
# postgresql://postgres@127.0.0.1:5432/dangvu), PYTEST_WORKERS (default 2; 0 runs in one process),
# PYTEST_ARGS (extra arguments for every pytest run; each run must still run at least one test).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
BIN=.venv/bin
OUT=test-output
CI=${CI:-false}
WORKERS=${PYTEST_WORKERS:-2}
export CI
export DJANGO_SETTINGS_MODULE=config.settings_test
# Browser tests drive Debian's Chromium; Playwright must never try to download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) PG_URL=$DATABASE_URL ;;
    *) PG_URL=postgresql://postgres@127.0.0.1:5432/dangvu ;;
esac
SQLITE_URL="sqlite:///$PWD/var/test.sqlite3" # settings_test runs SQLite tests in memory

rm -rf "$OUT"
mkdir -p "$OUT"

summary=()
failures=0
total_passed=0
total_failed=0
total_skipped=0

record() { # record STATUS NAME SECONDS [NOTE]
    summary+=("$(printf '%-5s %-34s %5ss  %s' "$1" "$2" "$3" "${4:-}")")
    if [[ $1 == FAIL ]]; then failures=$((failures + 1)); fi
}

banner() { printf '\n=== %s\n' "$1"; }

run_step() { # run_step NAME COMMAND...
    local name=$1 start rc
    shift
    banner "$name"
    start=$SECONDS
    "$@"
    rc=$?
    if [[ $rc -eq 0 ]]; then
        record PASS "$name" $((SECONDS - start))
    else
        record FAIL "$name" $((SECONDS - start)) "exit code $rc"
    fi
}

# junit_counts FILE -> "tests failed skipped" from a pytest JUnit XML report.
junit_counts() {
    "$BIN/python" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests, failed, skipped)
PY
}

# junit_skipped FILE -> one line per skipped test with its reason.
junit_skipped() {
    "$BIN/python" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    skip = case.find("skipped")
    if skip is not None:
        print(f"  {case.get('classname')}::{case.get('name')}: {skip.get('message', '')}")
PY
}

run_pytest() { # run_pytest LABEL DATABASE_URL [PYTEST ARGUMENTS...]
    local url=$2 name="pytest on $1" slug=${1//[^a-z0-9]/-} start rc note
    slug=${slug//--/-}
    local report="$OUT/pytest-${slug%-}.xml"
    shift 2
    local -a parallel=()
    banner "$name"
    if [[ $WORKERS != 0 ]]; then parallel=(-n "$WORKERS"); fi
    start=$SECONDS
    # shellcheck disable=SC2086  # PYTEST_ARGS is split on purpose
    DATABASE_URL=$url "$BIN/pytest" "${parallel[@]}" -rfEs --junitxml="$report" "$@" ${PYTEST_ARGS:-}
    rc=$?
    local elapsed=$((SECONDS - start))
    if [[ ! -s $report ]]; then
        record FAIL "$name" "$elapsed" "pytest exit code $rc, no report"
        return
    fi
    read -r tests failed skipped < <(junit_counts "$report")
    local passed=$((tests - failed - skipped))
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    note="$passed passed, $failed failed, $skipped skipped"
    if [[ $rc -eq 5 || $tests -eq 0 ]]; then
        record FAIL "$name" "$elapsed" "no tests ran (pytest exit code $rc)"
    elif [[ $rc -ne 0 ]]; then
        record FAIL "$name" "$elapsed" "$note (pytest exit code $rc)"
    elif [[ $CI == true && $skipped -gt 0 ]]; then
        echo "CI=true: these tests were skipped, and nothing may be skipped in CI:"
        junit_skipped "$report"
        record FAIL "$name" "$elapsed" "$note: skips are failures in CI"
    else
        record PASS "$name" "$elapsed" "$note"
    fi
}

# postgres_reachable URL: can we reach the server (its `postgres` database, which is where
# Django connects to create and drop test databases)?
postgres_reachable() {
    "$BIN/python" - "$1" <<'PY'
import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.Error as exc:
    print(f"PostgreSQL is not reachable: {str(exc).strip()}", file=sys.stderr)
    sys.exit(1)
PY
}

run_step "ruff check" "$BIN/ruff" check .
run_step "ruff format --check" "$BIN/ruff" format --check .
run_step "makemigrations --check" env DATABASE_URL=sqlite://:memory: \
    "$BIN/dangvu" makemigrations --check --dry-run

run_suite() { # run_suite DATABASE_LABEL DATABASE_URL
    run_pytest "$1" "$2" --ignore=tests/browser
    run_pytest "$1 (browser)" "$2" tests/browser
}

run_suite sqlite "$SQLITE_URL"

pg_display=$("$BIN/python" -c 'import sys, re; print(re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", sys.argv[1]))' "$PG_URL")
banner "PostgreSQL at $pg_display"
if postgres_reachable "$PG_URL"; then
    run_suite postgresql "$PG_URL"
elif [[ $CI == true ]]; then
    record FAIL "pytest on postgresql" 0 "PostgreSQL unreachable at $pg_display (required when CI=true)"
else
    echo "Skipping the PostgreSQL run (set DATABASE_URL to a reachable server to include it)."
    record SKIP "pytest on postgresql" 0 "PostgreSQL unreachable at $pg_display"
fi

banner "Summary (CI=$CI)"
printf '%s\n' "${summary[@]}"
if [[ $failures -eq 0 ]]; then
    echo "All checks passed."
else
    echo "$failures check(s) failed."
fi
if [[ $total_skipped -gt 0 ]]; then
    echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
else
    echo "total: $total_passed passed, $total_failed failed"
fi
[[ $failures -eq 0 ]]
