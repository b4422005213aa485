"""What a new worker loads before its first page: the JSON API's models (pydantic and
``mentoring_site.contract``, about 0.2 s) only when the API is asked (``api.LaterView``),
and Pillow (~30 ms) only when a picture is stored, never to answer a page or the API.
Measured by ``scripts/bench_ratio.py --only first``; here, in a fresh interpreter, that the
modules are not loaded and that the API still answers once asked."""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
from flask import Flask
from mentoring_site import Mentoring
app = Flask("fresh_worker")
app.config.update(SECRET_KEY="t", MENTORING_DATABASE_URI=sys.argv[1],
                  MENTORING_UPLOAD_FOLDER=sys.argv[2], MENTORING_TEMPLATE_CACHE=False)
Mentoring(app)
client = app.test_client()
loaded = lambda: sorted(m for m in ("pydantic", "mentoring_site.contract", "PIL")
                        if m in sys.modules)
seen = {"page": client.get("/nastavnichestvo/").status_code, "before": loaded()}
answer = client.get("/nastavnichestvo/api/v1/summary")
seen.update(api=answer.status_code, after=loaded(), school=answer.get_json()["school"])
seen["bad"] = client.get("/nastavnichestvo/api/v1/news?page=x").get_json()
print(json.dumps(seen))
"""


def test_the_api_models_load_at_the_first_api_request_and_pillow_never(
        seeded_database_uri, tmp_path):
    done = subprocess.run([sys.executable, "-c", CODE, seeded_database_uri, str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["page"] == 200 and seen["before"] == []
    assert seen["api"] == 200 and seen["after"] == ["mentoring_site.contract", "pydantic"]
    assert seen["school"] == "Образовательная организация"
    assert seen["bad"]["error"]  # the API's 400 answer: the contract's Error, loaded for it
