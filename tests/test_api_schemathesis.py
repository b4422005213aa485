"""schemathesis against the live API (in-process WSGI) with its own OpenAPI document.

Every operation is called with generated arguments, valid and invalid; every answer
must match the document (status, headers, JSON schema with no unknown fields) and no
answer may be a server error. Kept small (a few examples an operation) to stay fast.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.conftest import make_app

# Fuzzing (hundreds of generated requests): left out of the quick loop, run by CI's full run.
# The contract itself is checked test by test in tests/test_api.py and test_api_contract.py.
pytestmark = pytest.mark.slow


@pytest.fixture
def api_app(_templates, tmp_path):
    """The seeded demo on SQLite (PostgreSQL answers the same: see tests/test_api.py)."""
    template = _templates("sqlite", seed=True)
    shutil.copytree(template.uploads, tmp_path / "uploads")
    shutil.copyfile(template.source, tmp_path / "api.sqlite")
    app = make_app(f"sqlite:///{tmp_path / 'api.sqlite'}", tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


@pytest.fixture
def api_schema(api_app):
    return schemathesis.openapi.from_wsgi("/nastavnichestvo/api/v1/openapi.json", api_app)


# Hypothesis runs inside the test (schemathesis' own pytest integration depends on pytest
# internals that pytest 9 no longer has).
COLLECTIONS = ["/documents", "/materials", "/programs", "/mentors", "/mentees", "/cases",
               "/honors", "/news"]
VALID, INVALID = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


@pytest.mark.parametrize(("path", "mode"), [
    *[(p, VALID) for p in ["/", "/summary", *COLLECTIONS]],
    *[(p, INVALID) for p in COLLECTIONS],  # only these take arguments to get wrong
], ids=lambda v: v.value if isinstance(v, GenerationMode) else v)
def test_the_api_keeps_its_contract(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        # The WSGI transport does not undo gzip as an HTTP client would: ask for the plain
        # body (compression has its own tests in tests/test_compression.py).
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    check()
