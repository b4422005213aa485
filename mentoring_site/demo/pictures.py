"""Pictures and PDF files drawn with Pillow for the demo content.

Real uploads come from curators; the demo draws its own so that it needs no files
from elsewhere and holds no real person's photo.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from . import content as C

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# -- pictures and PDF files drawn for the demo ---------------------------------------------


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(_FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _lighter(colour: str, share: float = 0.35) -> tuple[int, int, int]:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(c + (255 - c) * share) for c in (r, g, b))  # type: ignore[return-value]


def _jpeg(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=90)
    return out.getvalue()


def portrait(initials: str, colour: str) -> bytes:
    """A placeholder portrait: the initials large in a lighter circle."""
    im = Image.new("RGB", (600, 750), colour)
    draw = ImageDraw.Draw(im)
    draw.ellipse((100, 175, 500, 575), fill=_lighter(colour, 0.25))
    draw.text((300, 375), initials, font=_font(170), fill="white", anchor="mm")
    return _jpeg(im)


def illustration(text: str, colour: str) -> bytes:
    """A simple picture: a board, three figures, the caption on a light band."""
    im = Image.new("RGB", (1200, 800), _lighter(colour, 0.75))
    draw = ImageDraw.Draw(im)
    draw.rectangle((120, 90, 1080, 430), fill=colour)
    draw.rectangle((150, 120, 1050, 400), outline="white", width=4)
    for i, x in enumerate((300, 600, 900)):
        tone = _lighter(colour, 0.15 * i)
        draw.ellipse((x - 55, 460, x + 55, 570), fill=tone)
        draw.rounded_rectangle((x - 95, 580, x + 95, 700), radius=40, fill=tone)
    draw.text((600, 260), text, font=_font(64), fill="white", anchor="mm")
    return _jpeg(im)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def pdf_document(title: str, paragraphs: list[str]) -> bytes:
    """A small A4 PDF (black and white, 150 dpi) with the title and the paragraphs."""
    width, height, margin = 1240, 1754, 130
    bold, regular = _font(30), _font(24, bold=False)
    lines = [(ln, bold, 44) for ln in _wrap(title, bold, width - 2 * margin)]
    for para in ["", *paragraphs]:
        lines += [(ln, regular, 36) for ln in _wrap(para, regular, width - 2 * margin)]
        lines.append(("", regular, 20))
    pages: list[Image.Image] = []
    y = height
    for text, font, step in lines:
        if y > height - margin - step:
            pages.append(Image.new("L", (width, height), 255))
            y = margin
        ImageDraw.Draw(pages[-1]).text((margin, y), text, font=font, fill=0)
        y += step
    bw = [p.point(lambda v: 0 if v < 160 else 255).convert("1") for p in pages]
    out = io.BytesIO()
    bw[0].save(out, format="PDF", save_all=True, append_images=bw[1:], resolution=150.0,
               title=title, author=C.SCHOOL)
    return out.getvalue()
