"""Pictures as the section stores them, whatever came in.

Decoded and encoded again by Pillow, never kept as received: what is served is a plain
JPEG (or PNG when the picture has transparency) without EXIF, XMP, ICC or comments, so a
photo cannot leak the GPS position of a teacher's home or the camera's serial number, and
a file that only pretends to be an image is refused. The EXIF orientation is applied first,
so phone photos stand upright; colours are converted to sRGB before the profile goes.
Pictures are cut down to 1600 px on the long side, with a 480 x 360 thumbnail for lists.
Writing them to disk is ``storage``'s business.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from .filetypes import image_errors, open_image

#: Long side of a stored image, and the box of its thumbnail.
MAX_IMAGE_SIDE = 1600
THUMB_SIZE = (480, 360)
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Picture:
    main: bytes
    thumb: bytes
    format: str  # "JPEG" or "PNG"
    width: int
    height: int


def reencode(data: bytes, original_name: str, *, max_bytes: int | None = None) -> Picture:
    """The picture and its thumbnail, encoded afresh; ``StorageError`` for a bad file."""
    im, fmt = _decode(data, original_name, max_bytes)
    im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return Picture(_encode(im, fmt), _encode(_thumbnail(im), fmt), fmt, im.width, im.height)


def _decode(data: bytes, original_name: str, max_bytes: int | None) -> tuple[Image.Image, str]:
    """Decode, turn upright and normalise an image, with the format to store it in."""
    im = open_image(data, original_name, max_bytes=max_bytes)  # cheap checks first
    with image_errors(original_name):
        im.seek(0)
        im.load()  # a truncated file fails here
        return _normalise(ImageOps.exif_transpose(im))


def _has_alpha(im: Image.Image) -> bool:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        low, _high = im.convert("RGBA").getchannel("A").getextrema()
        return isinstance(low, int | float) and low < 255
    return False


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert colours from an embedded ICC profile to sRGB, since the profile is dropped."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "RGBA"):
        return im
    try:
        from PIL import ImageCms

        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(im, src, dst, outputMode=im.mode) or im
    except Exception:  # noqa: BLE001 - a broken profile: keep the pixels as they are
        return im


def _encode(im: Image.Image, fmt: str) -> bytes:
    clean = Image.new(im.mode, im.size)
    clean.paste(im)  # a fresh image: no info dict, so no EXIF, XMP, ICC or comments
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _normalise(im: Image.Image) -> tuple[Image.Image, str]:
    alpha = _has_alpha(im)
    if im.mode in ("I;16", "I", "F"):
        im = ImageOps.autocontrast(im.convert("L"))
    im = im.convert("RGBA" if alpha else "RGB")
    return _to_srgb(im), ("PNG" if alpha else "JPEG")


def _thumbnail(im: Image.Image) -> Image.Image:
    if im.width >= THUMB_SIZE[0] and im.height >= THUMB_SIZE[1]:
        return ImageOps.fit(im, THUMB_SIZE, method=Image.Resampling.LANCZOS)
    thumb = im.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    return thumb
