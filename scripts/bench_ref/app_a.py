"""A: the section mounted the way a school's site mounts it, for scripts/bench_ratio.py.

    BENCH_A_DATABASE=sqlite:///… BENCH_A_UPLOADS=… gunicorn -w 2 app_a:app

BENCH_A_CACHE=0 switches the section's response cache off (MENTORING_RESPONSE_CACHE) to
measure a cold render; where this build has no such setting there is nothing to switch.
Pages list 20 records, as the hand-written page C does.
"""

from __future__ import annotations

import os

from flask import Flask

from mentoring_site import config
from mentoring_site.extension import Mentoring

app = Flask("school")
app.config.update(
    SECRET_KEY=os.environ.get("BENCH_SECRET", "bench-only"),
    MENTORING_DATABASE_URI=os.environ["BENCH_A_DATABASE"],
    MENTORING_UPLOAD_FOLDER=os.environ["BENCH_A_UPLOADS"],
    MENTORING_SCHOOL_NAME="МБОУ «Средняя школа № 1»",
    MENTORING_PER_PAGE=20,
)
if "MENTORING_RESPONSE_CACHE" in config.DEFAULTS:
    app.config["MENTORING_RESPONSE_CACHE"] = os.environ.get("BENCH_A_CACHE", "1") == "1"
Mentoring(app)
