"""Throwaway PostgreSQL server for the test suite (a pytest plugin).

Why: the plug-in must work on PostgreSQL, and SQLite hides dialect bugs. Rather than
depend on a server someone has to set up, the suite starts its own: ``initdb`` into a
fresh temp dir, ``pg_ctl start`` on a free loopback port with durability switched off
(fsync etc.), one database for the session, and stops/removes everything at the end.
It takes about a second. PostgreSQL refuses to run as root, so as root the server runs
as the ``postgres`` system user (or a ``mentoring-pg`` one created on the fly).

Under pytest-xdist every worker process starts a server of its own (session fixtures are
per process): its own temp dir, port and template databases, nothing shared to lock; a
worker whose tests need no PostgreSQL starts none.

No server binaries -> the tests skip, unless MENTORING_REQUIRE_POSTGRES=1 (set by
scripts/test.sh under CI), where they fail instead.

Load with ``pytest_plugins = ["tests.pgserver"]`` in tests/conftest.py.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn

import pytest

SUPERUSER = "mentoring"
SESSION_DB = "mentoring_test"
HOST = "127.0.0.1"


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
        msg = f"PostgreSQL is required (MENTORING_REQUIRE_POSTGRES=1): {reason}"
        pytest.fail(msg, pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


def _find_bindir() -> str | None:
    """Newest /usr/lib/postgresql/<ver>/bin with initdb and pg_ctl, else the one on PATH."""

    def version(path: str) -> tuple[int, ...]:
        ver = path.split("/")[-2]
        return tuple(int(p) for p in ver.split(".") if p.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(os.path.dirname(on_path))
    for bindir in candidates:
        if all(os.access(os.path.join(bindir, b), os.X_OK) for b in ("initdb", "pg_ctl")):
            return bindir
    return None


def _server_user() -> str | None:
    """The user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "mentoring-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    made = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "mentoring-pg"],
        capture_output=True,
        text=True,
    )
    try:  # another xdist worker may have created it a moment ago
        pwd.getpwnam("mentoring-pg")
    except KeyError:
        raise RuntimeError(f"useradd mentoring-pg failed: {made.stderr}") from None
    return "mentoring-pg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    port: int
    user: str = SUPERUSER
    host: str = HOST

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def admin(self, sql: str) -> None:
        """Run one statement in autocommit (CREATE/DROP DATABASE need it)."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)


class _Cluster:
    def __init__(self, bindir: str, tmpdir: str, user: str | None) -> None:
        self.bindir, self.tmpdir, self.user = bindir, tmpdir, user
        self.datadir = os.path.join(tmpdir, "data")
        self.logfile = os.path.join(tmpdir, "server.log")
        self.started = False

    def run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        argv = [os.path.join(self.bindir, cmd[0]), *cmd[1:]]
        if self.user:
            argv = ["runuser", "-u", self.user, "--", *argv]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return subprocess.run(
            argv,
            cwd=self.tmpdir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=120,
        )

    def log_tail(self) -> str:
        try:
            with open(self.logfile, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return ""

    def init(self) -> None:
        args = f"-A trust -E UTF8 -U {SUPERUSER} --no-sync".split()
        res = self.run("initdb", "-D", self.datadir, *args, "--locale=C.UTF-8")
        if res.returncode != 0:  # C.UTF-8 missing on this system: fall back to no locale
            res = self.run("initdb", "-D", self.datadir, *args, "--no-locale")
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{res.stdout}{res.stderr}")

    def start(self) -> int:
        fast = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        for _ in range(3):  # the free port may be taken between picking and binding
            port = _free_port()
            opts = f"-h {HOST} -p {port} -k {self.tmpdir} {fast}"
            res = self.run(
                "pg_ctl", "-D", self.datadir, "-l", self.logfile, "-w", "-o", opts, "start"
            )
            if res.returncode == 0:
                self.started = True
                return port
        raise RuntimeError(f"pg_ctl start failed:\n{res.stdout}{res.stderr}\n{self.log_tail()}")

    def stop(self) -> None:
        if self.started:
            self.run("pg_ctl", "-D", self.datadir, "-m", "immediate", "stop")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The running throwaway server (host, port, superuser; ``url(db)``, ``admin(sql)``)."""
    bindir = _find_bindir()
    if bindir is None:
        _unavailable(
            "no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH "
            "(apt-get install postgresql)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")

    user = _server_user()
    tmpdir = tempfile.mkdtemp(prefix="mentoring-pg-", dir="/tmp" if user else None)
    cluster = _Cluster(bindir, tmpdir, user)
    try:
        if user:
            shutil.chown(tmpdir, user)
        cluster.init()
        server = PgServer(port=cluster.start())
        yield server
    finally:
        cluster.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgresql_url(pg_server: PgServer) -> str:
    """SQLAlchemy URL of the session database ``mentoring_test``."""
    pg_server.admin(f"CREATE DATABASE {SESSION_DB}")
    return pg_server.url(SESSION_DB)


@pytest.fixture
def fresh_postgresql_url(pg_server: PgServer) -> Iterator[str]:
    """SQLAlchemy URL of a new empty database, dropped after the test (for migrations)."""
    name = f"test_{uuid.uuid4().hex}"
    pg_server.admin(f"CREATE DATABASE {name}")
    try:
        yield pg_server.url(name)
    finally:
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
