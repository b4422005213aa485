"""B: bare Flask answering fixed bytes from memory: the cost of Flask itself.

    BENCH_B_PAGES=folder gunicorn -w 2 app_b:app

The folder holds ``pages.json`` ({path: file name}) and the files: each path is answered
with its file's bytes as ``text/html; charset=utf-8``, so B serves exactly the bytes A did.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, Response, abort, request

FOLDER = Path(os.environ["BENCH_B_PAGES"])
PAGES = {path: (FOLDER / name).read_bytes()
         for path, name in json.loads((FOLDER / "pages.json").read_text()).items()}

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def page(path: str):
    body = PAGES.get(request.path)
    if body is None:
        abort(404)
    return Response(body, mimetype="text/html")
