"""The one place where user-written text becomes HTML.

Editors write Markdown; everything they write ends up on a public school site, so the
result must never carry script, foreign images, inline styles or tracking links.
Markdown runs with raw HTML disabled (typed tags are shown as text), then nh3 sanitises
the output against an explicit safelist. Templates use ``to_html`` and ``to_plain``
only; nothing else in the project may mark user text as safe.
"""

from __future__ import annotations

import functools
import re
from html import escape as html_escape
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote
from xml.etree import ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

__all__ = ["to_html", "to_plain", "clean"]

MEDIA_PREFIX = "/nastavnichestvo/media/"

TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "blockquote",
    "code", "pre", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
})
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# Table alignment comes as the legacy ``align`` attribute (never ``style``), and only
# with these values.
ALIGN = {"th": {"align": {"left", "center", "right"}}, "td": {"align": {"left", "center", "right"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"
# Tags removed together with their content when clean() meets them in ready HTML.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "iframe", "noscript", "noembed", "noframes", "xmp",
    "textarea", "select", "title", "svg", "math", "object", "embed", "frameset",
})

# C0/C1 control characters except tab and newline, and lone surrogates. They also keep
# users from forging python-markdown's own \x02...\x03 placeholders.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")
_INLINE = frozenset({"a", "strong", "em", "code"})
_WORD_END = ",;:—–-(«\"'"


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _is_media(src: str, media_prefix: str) -> bool:
    """True for a URL inside our own media folder (no way out of it with ``..``)."""
    src = src.strip()
    if not src.startswith(media_prefix) or len(src) == len(media_prefix):
        return False
    rest = src[len(media_prefix):]
    path = unquote(rest)
    return not _URL_JUNK.search(rest) and "\\" not in path and ".." not in path.split("/")


def _is_safe_href(href: str) -> bool:
    """Absolute URLs with an allowed scheme, or paths on our own site."""
    norm = _URL_JUNK.sub("", unescape(href)).lower()
    if _SCHEME.match(norm):
        return norm.split(":", 1)[0] in URL_SCHEMES
    return norm.startswith("/") and not norm.startswith(("//", "/\\"))


def _make_filter(media_prefix: str):
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr == "href":
            return value if _is_safe_href(value) else None
        if attr == "src":
            return value if tag == "img" and _is_media(value, media_prefix) else None
        if attr == "start":
            return value if value.isascii() and value.isdigit() and len(value) < 7 else None
        return value

    return attribute_filter


@functools.lru_cache(maxsize=8)
def _cleaner(media_prefix: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        tag_attribute_values=ALIGN,
        attribute_filter=_make_filter(media_prefix),
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
    )


_cleaner(MEDIA_PREFIX)  # the default settings are built once, at import


class _SafeTree(Treeprocessor):
    """Make a level-1 heading level 2 (the page has its h1) and turn foreign images into
    their alt text. Other levels stay, so headings never skip a level."""

    def __init__(self, md: markdown.Markdown, media_prefix: str) -> None:
        super().__init__(md)
        self.media_prefix = media_prefix

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "h1":
                el.tag = "h2"
        bad = [(parent, img) for parent in root.iter() for img in parent
               if img.tag == "img" and not _is_media(unescape(img.get("src", "")),
                                                     self.media_prefix)]
        for parent, img in bad:
            text = (img.get("alt") or "") + (img.tail or "")
            index = list(parent).index(img)
            if index:
                before = parent[index - 1]
                before.tail = (before.tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(img)


class _SafeExtension(Extension):
    """Disable raw HTML: typed tags stay text and are escaped by the serializer."""

    def __init__(self, media_prefix: str) -> None:
        super().__init__()
        self.media_prefix = media_prefix

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeTree(md, self.media_prefix), "mentoring_safe", 1)


def clean(html: str, *, media_prefix: str = MEDIA_PREFIX) -> str:
    """Sanitise ready HTML against the safelist; clean(clean(x)) == clean(x)."""
    cleaner = _cleaner(media_prefix)
    # Character references such as &#14; can bring control characters back: strip again.
    out = _strip_controls(cleaner.clean(_strip_controls(html)))
    # Re-parsing sanitised HTML can still move things (stripped wrappers let the HTML
    # parser re-nest elements); repeat until the output is stable.
    for _ in range(5):
        again = _strip_controls(cleaner.clean(out))
        if again == out:
            break
        out = again
    return out


def to_html(text: str | None, *, media_prefix: str = MEDIA_PREFIX) -> Markup:
    """Render user Markdown to safe HTML for templates."""
    if not text:
        return Markup("")
    md = markdown.Markdown(  # built per call: Markdown instances are not thread-safe
        extensions=[
            TableExtension(use_align_attribute=True),
            SaneListExtension(),
            FencedCodeExtension(),
            Nl2BrExtension(),
            _SafeExtension(media_prefix),
        ],
        output_format="html",
    )
    text = _strip_controls(text)
    try:
        body = md.convert(text)
    except RecursionError:  # absurdly deep nesting: show the text as it was typed
        body = f"<p>{escape(text)}</p>"
    return Markup(clean(body, media_prefix=media_prefix))


# Quote-aware: nh3 before 0.3.1 leaves ``<`` and ``>`` unescaped inside attribute values.
_IMG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ATTR = re.compile(r'\s([\w-]+)="([^"]*)"')


def images_as_text(html: str) -> Markup:
    """Sanitised HTML with every picture replaced by its alternative text, the way
    ``_macros.image`` shows pictures when a visitor turns images off. A picture with an
    empty alt is decorative and simply goes.

    Works on :func:`clean` output only, where attribute values are double-quoted; the alt
    text is unescaped and escaped again, since not every nh3 escapes ``<`` in attributes.
    """

    def as_text(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(0)))
        text = unescape(attrs.get("alt", "")).strip()
        return f'<span class="m-img-alt">Изображение: {html_escape(text)}</span>' if text else ""

    return Markup(_IMG.sub(as_text, str(html)))


class _TextCollector(HTMLParser):
    """Text of sanitised HTML; block boundaries become spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object = None) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    handle_endtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def to_plain(text: str | None, *, limit: int | None = None) -> str:
    """Markdown to one line of plain text (for summaries and meta description).

    With ``limit`` the result is at most ``limit`` characters, cut on a word boundary
    and ended with "…". The same text is made plain once, then served from memory (feeds
    and the calendar ask for every item's text on every request).
    """
    return _plain(text or "", limit)


@functools.lru_cache(maxsize=1024)
def _plain(text: str, limit: int | None) -> str:
    collector = _TextCollector()
    collector.feed(str(to_html(text)))
    collector.close()
    plain = " ".join("".join(collector.parts).split())
    if limit is None or len(plain) <= limit:
        return plain
    if limit < 1:
        return ""
    cut = plain[: limit - 1]
    if plain[limit - 1].isalnum() and " " in cut:  # the cut splits a word: drop it
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip().rstrip(_WORD_END).rstrip() + "…"
