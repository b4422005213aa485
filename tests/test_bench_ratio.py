"""scripts/bench_ratio.py works end to end: a smoke run, not a measure.

One round of 1 s on one page, 30 rows, one worker a server, every goal: the script starts
the section, the reference apps B and C and nginx, measures, and prints each ratio with its
verdict. The figures themselves mean nothing here (a benchmark is not a timed test); only
that every goal got a line and the run finished. Its usage errors are Russian messages, not
tracebacks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.nginx_support import find_nginx

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench_ratio.py"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The script's run; past the time limit it is stopped with SIGTERM, so that it stops
    the servers it started (a SIGKILL would leave them running)."""
    with subprocess.Popen([sys.executable, str(SCRIPT), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}) as proc:
        try:
            out, err = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.terminate()
            out, err = proc.communicate(timeout=60)
            pytest.fail(f"bench_ratio.py ran over 180 s:\n{out}\n{err}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.slow
@pytest.mark.xdist_group("nginx")
def test_a_tiny_run_prints_every_goal_with_a_verdict():
    missing = [tool for tool, found in (("wrk", shutil.which("wrk")), ("nginx", find_nginx()))
               if not found]
    if missing:
        if os.environ.get("MENTORING_REQUIRE_NGINX") == "1":
            pytest.fail(f"{', '.join(missing)} required (MENTORING_REQUIRE_NGINX=1)",
                        pytrace=False)
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install nginx wrk)")
    out = run("--rows", "30", "--rounds", "1", "--duration", "1", "--warmup", "0",
              "--workers", "1", "--only", "news")
    assert out.returncode == 0, out.stdout + out.stderr
    verdicts = re.findall(r"^  news \(30 rows\) .* (met|NOT met)(?:  \(.*\))?$",
                          out.stdout, re.M)
    assert len(verdicts) == 5, out.stdout  # cold, cached, 304, nginx, weight
    assert "section home (30 rows)" in out.stdout
    floor = re.search(r"the schema alone: mapping its (\d+) classes takes ([\d.]+) s", out.stdout)
    assert floor and int(floor[1]) > 40, out.stdout  # every model of the section was mapped
    assert re.search(r"^  news \(no records\) +A +\d+ r/s, C +\d+ r/s +[\d.]+$",
                     out.stdout, re.M), out.stdout
    assert re.search(r"^\d+ of 6 goals met$", out.stdout, re.M), out.stdout


def test_wrong_options_get_a_russian_message():
    out = run("--only", "news,nothing")
    assert out.returncode == 2
    assert "неизвестно: nothing" in out.stderr
    out = run("--rows", "many")
    assert out.returncode == 2 and "нужны числа через запятую" in out.stderr
    out = run("--workers", "0")
    assert out.returncode == 2 and "--workers — от 1" in out.stderr


def test_without_wrk_it_says_how_to_get_it(tmp_path):
    (tmp_path / "python3").symlink_to(sys.executable)
    out = run("--rows", "30", env={"PATH": str(tmp_path)})
    assert out.returncode == 2
    assert "wrk не установлен: apt-get install wrk" in out.stderr
