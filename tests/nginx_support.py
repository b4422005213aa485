"""nginx with the README's recipe (docs/nginx.conf), started on loopback for a test or a benchmark.

The recipe is used as written: only the values its comments mark for change (the app's
address, the port, the folders) are replaced, each found exactly once, so a recipe edited
out of shape fails here instead of drifting from what is tested. nginx runs from a
temporary prefix (``-p``), its logs and cache there; as root its workers run as root so
they can read the temporary folders. Used by tests/test_nginx.py and scripts/bench_ratio.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "docs" / "nginx.conf"


def find_nginx() -> str | None:
    """The nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def package_layout(folder: Path) -> Path:
    """The folder of an installed ``mentoring_site`` (static/ and themes/ side by side), as
    the recipe's ``root`` expects; made of links when the package is installed editable
    (the themes then live beside the package, not inside it)."""
    import mentoring_site
    from mentoring_site import theming

    package = Path(mentoring_site.__file__).parent
    themes = theming.shipped_themes_folder()
    if (package / "themes").resolve() == themes.resolve():
        return package
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").symlink_to(package / "static")
    (folder / "themes").symlink_to(themes)
    return folder


def _replace_once(text: str, old: str, new: str) -> str:
    count = text.count(old)
    if count != 1:
        raise ValueError(f"docs/nginx.conf: «{old}» found {count} times, expected once")
    return text.replace(old, new)


def recipe(*, upstream: str, listen: str, cache: Path, package: Path, static: Path) -> str:
    """The README's recipe with the marked values replaced."""
    text = RECIPE.read_text(encoding="utf-8")
    text = _replace_once(text, "server 127.0.0.1:8000;", f"server {upstream};")
    text = _replace_once(text, "listen 80;", f"listen {listen};")
    text = _replace_once(text, "/var/cache/nginx/school ", f"{cache} ")
    text = _replace_once(text, "root /srv/school/venv/lib/python3.11/site-packages/mentoring_site;",
                         f"root {package};")
    return _replace_once(text, "alias /srv/school/static/;", f"alias {static}/;")


def main_config(folder: Path, site: Path) -> str:
    """The nginx.conf around the recipe: everything in ``folder``, nothing of /etc but
    the MIME types."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {folder / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n    access_log off;\n"
            f"{temp}\n    include {site};\n}}\n")


class Nginx:
    """nginx with the recipe in front of ``upstream`` (host:port), listening on a free port.

    ``static`` is the folder the recipe's ``/static/`` serves (the site's own files)."""

    def __init__(self, folder: Path, upstream: str, static: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        site = folder / "school.conf"
        site.write_text(recipe(upstream=upstream, listen=f"127.0.0.1:{self.port}",
                               cache=folder / "cache", package=package_layout(folder / "pkg"),
                               static=static), encoding="utf-8")
        self.config = folder / "nginx.conf"
        self.config.write_text(main_config(folder, site), encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self, binary: str) -> Nginx:
        args = [binary, "-p", f"{self.folder}/", "-c", str(self.config),
                "-e", str(self.folder / "error.log"), "-g", "daemon off;"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self.errors()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen within 10 s: {self.errors()}")

    def errors(self) -> str:
        parts = []
        if self.process is not None and self.process.stderr and self.process.poll() is not None:
            parts.append(self.process.stderr.read().decode(errors="replace"))
        log = self.folder / "error.log"
        if log.exists():
            parts.append(log.read_text(errors="replace")[-2000:])
        return "\n".join(p for p in parts if p).strip()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # nginx: fast shutdown of master and workers
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
