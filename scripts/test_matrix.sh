#!/usr/bin/env bash
# The dependency matrix: `bash scripts/test_matrix.sh [lowest|newest ...]`.
#
# Why: pyproject.toml promises Python 3.10–3.13 and ranges of Flask, Werkzeug, SQLAlchemy,
# Flask-SQLAlchemy, Flask-WTF, WTForms, Alembic, Babel... A host site pinned to old versions
# installs the section next to its own pins, so the ends of those ranges must really work,
# not only the newest releases .venv gets. Two legs, each in its own venv under .cache/:
#   lowest  Python 3.10 with every lower bound pinned (constraints/lowest.txt);
#   newest  Python 3.13 with the newest releases (reinstalled with --upgrade once a day).
# Each installs the project with its [test-matrix] extra and runs the whole suite except
# what needs a browser or PostgreSQL (the main run has them, on the newest versions) and the
# modules of tools that extra leaves out because they need not install on every Python:
# the API fuzzer (schemathesis), the wheel build and the benchmark smoke test (gunicorn).
# LibreOffice, nginx and the office's registry run here too: the document libraries and the
# servers' answers are what older pins change. It prints the Python and the versions each
# leg tested.
#
# Pythons come from pyenv (~/.pyenv/versions/3.10*, 3.13*), else python3.10 / python3.13
# on PATH, else `uv python find`. A missing one is a loud warning and the leg is skipped;
# with MENTORING_REQUIRE_MATRIX=1 (set by scripts/test.sh under CI) it is a failure.
# MENTORING_TEST_WORKERS=N: pytest-xdist workers per leg (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

IGNORED=(  # import tools the [test-matrix] extra does not install (see above)
    tests/test_api_schemathesis.py tests/test_wheel.py tests/test_bench_ratio.py
    tests/test_e2e_curator_path.py tests/test_league_browser.py  # browser only: Playwright
)
MARKERS="not postgres and not browser"
PACKAGES=(flask werkzeug jinja2 flask-login flask-wtf wtforms sqlalchemy flask-sqlalchemy
          alembic flask-migrate babel pydantic pillow python-docx docxtpl openpyxl)

step() { printf '\n==> %s\n' "$*"; }
quietly() {  # run a pip command; its output only when it fails
    local log status=0
    log=$(mktemp)
    "$@" >"$log" 2>&1 || status=$?
    ((status == 0)) || grep -v '^WARNING: Location' "$log" >&2  # this machine's absent extra indexes
    rm -f "$log"
    return "$status"
}
required() { [[ ${MENTORING_REQUIRE_MATRIX:-} == 1 ]]; }

find_python() {  # find_python 3.10 → the path of a working Python 3.10, or nothing
    local want=$1 candidate
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python \
                     "$(command -v "python$want" || true)" \
                     "$(command -v uv >/dev/null && uv python find "$want" 2>/dev/null || true)"; do
        [[ -n $candidate && -x $candidate ]] || continue
        if "$candidate" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$want'" \
                2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}

run_leg() {  # run_leg NAME PYTHON_VERSION [pip arguments...]
    local name=$1 version=$2
    shift 2
    local python venv=.cache/matrix-$name
    python=$(find_python "$version")
    if [[ -z $python ]]; then
        step "WARNING: no Python $version (pyenv, python$version, uv): the $name leg is skipped"
        required && { echo "error: MENTORING_REQUIRE_MATRIX=1 and Python $version is missing" >&2; return 1; }
        return 0
    fi
    # Reinstalled when pyproject.toml or the constraints change; the newest leg once a day too.
    local want
    want=$(cat pyproject.toml constraints/*.txt | sha256sum | cut -d' ' -f1)
    [[ $name == newest ]] && want="$want $(date -u +%F)"
    if [[ ! -x $venv/bin/python || $(cat "$venv/.install-stamp" 2>/dev/null) != "$want" ]]; then
        step "$name: creating $venv with $("$python" --version) and installing .[test-matrix] $*"
        rm -rf "$venv"
        "$python" -m venv "$venv"
        quietly "$venv/bin/python" -m pip install --upgrade pip || return 1
        quietly "$venv/bin/python" -m pip install "$@" -e '.[test-matrix]' || return 1
        quietly "$venv/bin/python" -m pip check || return 1
        "$venv/bin/python" -c 'import mentoring_site, pytest, xdist' || return 1
        echo "$want" >"$venv/.install-stamp"
    fi
    step "$name: $("$venv/bin/python" --version) with $("$venv/bin/python" - "${PACKAGES[@]}" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

found = []
for name in sys.argv[1:]:
    try:
        found.append(f"{name} {version(name)}")
    except PackageNotFoundError:
        found.append(f"{name} (absent)")
print(", ".join(found))
EOF
)"
    local started=$SECONDS status=0
    # Python 3.13's sqlite3 warns of a connection closed only by the garbage collector. The
    # section's own engines close theirs when collected (db.close_when_dropped), so the
    # summary should show none; one shown is a leak to mend, not yet a failed leg.
    "$venv/bin/python" -m pytest -q -p no:cacheprovider -n "${MENTORING_TEST_WORKERS:-2}" \
        -W default::ResourceWarning --dist loadgroup -m "$MARKERS" \
        "${IGNORED[@]/#/--ignore=}" tests || status=$?
    step "$name: pytest took $((SECONDS - started)) s (exit $status)"
    return "$status"
}

# The sitemaps.org schema scripts/test.sh fetched, for tests/test_feeds.py's sitemap check.
xsd=.cache/sitemaps.org/sitemap.xsd
[[ -z ${MENTORING_SITEMAP_XSD:-} && -s $xsd ]] && export MENTORING_SITEMAP_XSD="$PWD/$xsd"

legs=("$@")
((${#legs[@]})) || legs=(lowest newest)
status=0
for leg in "${legs[@]}"; do
    case $leg in
        lowest) run_leg lowest 3.10 -c constraints/lowest.txt || status=1 ;;
        newest) run_leg newest 3.13 --upgrade --upgrade-strategy eager || status=1 ;;
        *) echo "error: unknown leg $leg (lowest, newest)" >&2; exit 2 ;;
    esac
done
((status == 0)) || echo "error: the dependency matrix failed" >&2
exit "$status"
