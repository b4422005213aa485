"""The import rules of docs/ARCHITECTURE.md, checked: a forbidden import fails here, not in review.

The package is layered. Lower parts never import higher ones, so a reader can learn a
lower part without the rest, and a rule or a query can be tested without HTTP:

    models, clock, db, markup            the ground floor: no Flask views, no queries
    contract                             the API's shapes, on the models' enums
    rules                                reads models only: what the public may see
    queries, auth, media, editing ...    the domain: reads rules, never a blueprint
    public, admin, api                   blueprints: thin views over the domain
    municipal                            the office's own app: reads schools' open data
    demo, cli, extension, __main__       wiring: may import anything

Each entry below names a part and what it must never import; the test parses every
module with ``ast`` (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mentoring_site"

BLUEPRINTS = ("public", "admin", "api")
WIRING = ("demo", "cli", "extension", "__main__")
DOMAIN = (
    "queries", "auth", "media", "lifecycle", "permalinks", "audit", "editing", "monitoring",
    "reports", "questionnaires", "starter", "events", "outbox", "transfer",
)

# part -> parts it must never import (a part is a top-level module or subpackage name)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "models": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "markup"),
    "clock": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db"),
    "db": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models"),
    "markup": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db"),
    # The API's shapes, shared by a school and the registry: the models' enums and the
    # text check, nothing that reads the database or decides visibility.
    "contract": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "markup"),
    # The differences between the supported Pythons and dependency versions: under everything.
    "compat": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db", "markup",
               "clock", "contract", "config", "signals", "office", "readiness", "theming",
               "templating", "security", "urls", "migrate", "csp"),
    "signals": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db"),
    "rules": (*BLUEPRINTS, *WIRING, *DOMAIN, "municipal", "db"),
    "queries": (*BLUEPRINTS, *WIRING, "municipal"),
    "auth": (*BLUEPRINTS, *WIRING, "municipal", "queries", "media"),
    "media": (*BLUEPRINTS, *WIRING, "municipal", "queries", "auth"),
    "lifecycle": (*BLUEPRINTS, *WIRING, "municipal", "monitoring"),
    "monitoring": (*BLUEPRINTS, *WIRING, "municipal", "queries", "reports"),
    # Reports read the domain (queries, monitoring) and make files; nothing reads them back
    # but the wiring and the admin screen.
    "reports": (*BLUEPRINTS, *WIRING, "municipal", "editing"),
    "permalinks": (*BLUEPRINTS, *WIRING, "municipal"),
    # Public forms: read and check a submission, keep bots out (auth's signer and throttle
    # table), store the answer. Never a query module: answers have no public read model.
    "questionnaires": (*BLUEPRINTS, *WIRING, "municipal", "queries", "media", "reports",
                       "monitoring"),
    # The starter kit (federal acts for a new section) saves through editing, nothing more.
    # It may build the roadmap's blank documents with ``reports`` (the office's templates).
    "starter": (*BLUEPRINTS, *WIRING, "municipal", "queries"),
    # Event registration: the form, the registration stored, the curator's decisions
    # (through editing) and their letters; the outbox only queues and sends mail.
    "events": (*BLUEPRINTS, *WIRING, "municipal", "queries", "media", "reports",
               "monitoring"),
    "outbox": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "markup"),
    # A school's reader of the office's JSON (its management-mentoring programmes): plain
    # HTTP and checks, nothing of the section's data and nothing of the office's code.
    "office": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db", "markup"),
    # Compiled templates on disk: Jinja and the app's settings, nothing of the section.
    "template_code": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "db",
                      "markup"),
    # Is the section set up to serve (tables at head, the base template found): asked by the
    # blueprints' error handlers and the commands, so it knows none of them.
    "readiness": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "markup"),
    "audit": (*BLUEPRINTS, *WIRING, "municipal"),
    # The whole section as an archive: reads and writes our tables and files, nothing else.
    "transfer": (*BLUEPRINTS, *WIRING, "municipal", "queries", "reports", "editing"),
    # The data version: our MetaData and the session's events, below the models.
    "datastamp": (*BLUEPRINTS, *WIRING, *DOMAIN, "rules", "municipal", "models", "markup",
                  "cache"),
    # The response cache: the stamp (data version, the rules' moments), the store and the
    # hooks; it reads the VI cookie through ``public.accessibility`` and the admin cookie's
    # name, and knows no view, query or the office's code.
    "cache": ("admin", "api", *WIRING, *(p for p in DOMAIN if p != "auth"), "municipal",
              "markup"),
    "editing": (*BLUEPRINTS, *WIRING, "municipal", "queries"),
    "public": ("admin", *WIRING, "municipal"),
    "admin": ("api", *WIRING, "municipal"),
    "api": ("admin", *WIRING, "municipal"),
    # The office's registry knows schools only through their open data: of our models it
    # reads only its own tables (``models.registry``, checked below), never a school's content.
    # Its admin screens (``municipal/admin.py``) sit in the section's admin: its gate, its
    # forms and its layout, so ``admin`` is the one blueprint it may import. The League's
    # order files enter through ``media`` (the one door for uploads) and its API counts
    # requests in ``auth.throttle``'s table: those two domain parts it may use.
    "municipal": ("public", "api", *(p for p in DOMAIN if p not in ("media", "auth")),
                  "rules", "demo", "markup", "signals"),
}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(path: Path) -> set[str]:
    """Top-level parts of mentoring_site that ``path`` imports, relative or absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(PACKAGE).parent.parts)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bits = alias.name.split(".")
                if bits[0] == "mentoring_site" and len(bits) > 1:
                    found.add(bits[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "mentoring_site":
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                found.add(target[0])
            else:  # "from .. import a, b" at the package root
                found.update(alias.name for alias in node.names)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
#: Wiring inside a part: builds a whole site, so it may import anything (like ``demo``).
WIRING_FILES = {"municipal/site.py", "municipal/demo_office.py", "municipal/demo.py"}


def test_every_part_is_named_in_the_rules_or_is_wiring():
    """A new top-level module must be placed in the picture (and in ARCHITECTURE.md)."""
    known = set(FORBIDDEN) | set(WIRING) | {
        "__init__", "config", "templating", "theming", "security", "urls", "migrate", "csp",
    }
    unplaced = sorted({_part(p) for p in MODULES} - known)
    assert not unplaced, (
        f"place these in tests/test_architecture.py and ARCHITECTURE.md: {unplaced}")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_forbidden_import(path):
    if path.relative_to(PACKAGE).as_posix() in WIRING_FILES:
        return
    part = _part(path)
    bad = sorted(_imported_parts(path) & set(FORBIDDEN.get(part, ())))
    assert not bad, f"{path.relative_to(PACKAGE)} ({part}) must not import {bad}"


def _imported_models(path: Path) -> set[str]:
    """The modules of ``models`` that ``path`` imports (``models`` itself counts as the whole)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and node.module:
            bits = node.module.split(".")
            if bits[0] == "models":
                found.add(".".join(bits))
        elif isinstance(node, ast.ImportFrom) and node.module:
            bits = node.module.split(".")
            if bits[:2] == ["mentoring_site", "models"]:
                found.add(".".join(bits[1:]))
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "municipal").glob("*.py")),
                         ids=lambda p: p.name)
def test_the_registry_reads_only_its_own_tables(path):
    if path.relative_to(PACKAGE).as_posix() in WIRING_FILES:
        return
    # Its own tables (the registry, the League, management mentoring) and the roles of the
    # accounts that sign in to its admin; never a school's content.
    own = {"models.registry", "models.league", "models.management", "models.accounts"}
    assert _imported_models(path) <= own, path.name


def test_the_checker_sees_relative_and_absolute_imports(tmp_path):
    """The parser itself: it must see what a forbidden import would look like."""
    assert {"audit", "media", "permalinks"} <= _imported_parts(PACKAGE / "editing.py")
    assert {"editing", "markup"} <= _imported_parts(PACKAGE / "admin" / "crud.py")
    assert "models" in _imported_parts(PACKAGE / "rules.py")
    assert "public" in _imported_parts(PACKAGE / "templating.py")  # accessibility's images_hidden
