"""The lowest versions the matrix tests are the lower bounds pyproject.toml declares.

scripts/test_matrix.sh proves the lower bounds by installing constraints/lowest.txt on
Python 3.10; a bound changed in one file and not the other would prove nothing, so a
dependency without a lower bound, or with one the constraints do not pin, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mentoring_site.compat import tomllib

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in (*project["dependencies"],
                                      *project["optional-dependencies"]["demo"])]


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_lower_bound_is_pinned_in_the_lowest_constraints():
    pins = _pinned()
    wrong = []
    for req in _declared():
        lower = [s.version for s in req.specifier if s.operator == ">="]
        name = canonicalize_name(req.name)
        if len(lower) != 1:
            wrong.append(f"{req}: no single lower bound (>=)")
        elif pins.get(name) is None:
            wrong.append(f"{req}: not pinned in constraints/lowest.txt")
        elif [int(x) for x in re.findall(r"\d+", pins[name])] != _padded(lower[0], pins[name]):
            wrong.append(f"{req}: constraints/lowest.txt pins {pins[name]}")
    assert not wrong, "\n".join(wrong)


def test_requires_python_is_the_matrix_lowest_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    script = (ROOT / "scripts" / "test_matrix.sh").read_text(encoding="utf-8")
    assert project["requires-python"] == ">=3.10"
    assert "run_leg lowest 3.10 -c constraints/lowest.txt" in script


def _padded(bound: str, pin: str) -> list[int]:
    """``>=3.0`` matches the pin ``3.0.0``: the bound's parts, padded with zeros to the pin's."""
    parts = [int(x) for x in re.findall(r"\d+", bound)]
    return parts + [0] * (len(re.findall(r"\d+", pin)) - len(parts))
