"""storage.py: images re-encoded without metadata, bad files refused, writes atomic."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image
from sqlalchemy.orm import Session

from mentoring_site.db import metadata
from mentoring_site.media import storage
from mentoring_site.media.storage import StorageError, path_for, store_document, store_image
from mentoring_site.models import MediaFile, MediaKind


@pytest.fixture
def session():
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as sess:
        yield sess
    engine.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def _jpeg(size=(200, 100), **save_args) -> bytes:
    im = Image.new("RGB", size, "blue")
    im.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))  # left half red
    out = io.BytesIO()
    im.save(out, format="JPEG", **save_args)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge 1-bit picture but carries almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(
        b"IEND", b""
    )


def test_exif_orientation_applied_and_all_metadata_dropped(session, folder):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 45.0, 21.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (37.0, 37.0, 4.0),
    }
    data = _jpeg(exif=exif.tobytes(), comment=b"secret comment")
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries GPS data
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    media = store_image(session, folder, data, original_name="IMG_0001.JPG", alt_text="Урок")

    assert media.id is not None and media.kind is MediaKind.IMAGE
    assert (media.content_type, media.width, media.height) == ("image/jpeg", 100, 200)
    stored = path_for(folder, media.stored_name).read_bytes()
    assert media.size == len(stored)
    assert b"Exif" not in stored and b"PhoneMaker" not in stored and b"secret" not in stored
    with Image.open(io.BytesIO(stored)) as im:
        assert im.format == "JPEG" and im.size == (100, 200)
        assert not im.getexif() and "exif" not in im.info and "comment" not in im.info
        # Orientation 6 means "turn 90° clockwise": the red left half is now on top.
        r, _g, b = im.convert("RGB").getpixel((50, 30))
        assert r > 200 and b < 60
        r, _g, b = im.convert("RGB").getpixel((50, 170))
        assert b > 200 and r < 60
    assert path_for(folder, media.thumb_name).is_file()
    assert _files(folder) == sorted([media.stored_name, media.thumb_name])


def test_large_image_is_cut_down_and_thumbnail_made(session, folder):
    media = store_image(
        session, folder, _jpeg((4000, 3000)), original_name="big.jpg", alt_text="Большое фото"
    )
    assert (media.width, media.height) == (1600, 1200)
    with Image.open(path_for(folder, media.thumb_name)) as thumb:
        assert thumb.size == (480, 360)


def test_transparency_keeps_png_and_opaque_png_becomes_jpeg(session, folder):
    im = Image.new("RGBA", (300, 200), (0, 128, 0, 0))
    im.paste((0, 128, 0, 255), (0, 0, 150, 200))
    out = io.BytesIO()
    im.save(out, format="PNG")
    media = store_image(session, folder, out.getvalue(), original_name="a.png", alt_text="")
    assert media.content_type == "image/png" and media.stored_name.endswith(".png")

    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 255)).save(out, format="PNG")
    media = store_image(session, folder, out.getvalue(), original_name="b.png", alt_text="")
    assert media.content_type == "image/jpeg" and media.stored_name.endswith(".jpg")


def test_truncated_image_refused_quickly(session, folder):
    im = Image.effect_noise((800, 600), 60).convert("RGB")
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=95)
    data = out.getvalue()
    start = time.monotonic()
    with pytest.raises(StorageError, match="Не удалось прочитать изображение"):
        store_image(session, folder, data[: len(data) // 2], original_name="x.jpg", alt_text="")
    assert time.monotonic() - start < 1
    assert _files(folder) == []


@pytest.mark.parametrize("side", [30_000, 7_000])  # far above the limit, and just above it
def test_decompression_bomb_refused_fast(session, folder, side):
    data = _png_header_only(side, side)
    assert len(data) < 200
    start = time.monotonic()
    with pytest.raises(StorageError, match="слишком большое"):
        store_image(session, folder, data, original_name="bomb.png", alt_text="")
    assert time.monotonic() - start < 1
    assert _files(folder) == []


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"%PDF-1.4\n"])
def test_empty_and_non_images_refused(session, folder, data):
    with pytest.raises(StorageError):
        store_image(session, folder, data, original_name="x.jpg", alt_text="")
    assert _files(folder) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(MediaFile)) == 0


@pytest.mark.parametrize("fail_on_call", [1, 2])  # the picture, or its thumbnail
def test_failed_replace_leaves_no_file_behind(session, folder, monkeypatch, fail_on_call):
    calls = []
    real_replace = os.replace

    def flaky_replace(src, dst):
        calls.append(dst)
        if len(calls) == fail_on_call:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", flaky_replace)
    with pytest.raises(OSError, match="No space"):
        store_image(session, folder, _jpeg(), original_name="x.jpg", alt_text="")
    monkeypatch.undo()
    assert len(calls) == fail_on_call
    assert _files(folder) == []  # neither temp files nor half a pair
    assert not session.new


def test_store_document(session, folder):
    media = store_document(
        session, folder, b"%PDF-1.4\n%%EOF\n", original_name="../../Положение.PDF",
        content_type="application/pdf", private=True,
    )
    assert media.stored_name.endswith(".pdf") and media.kind is MediaKind.DOCUMENT
    assert media.original_name == "Положение.PDF" and media.is_private
    assert path_for(folder, media.stored_name).read_bytes() == b"%PDF-1.4\n%%EOF\n"

    # The caller's content type is not trusted: the content decides.
    for ctype, name in [("application/pdf", "x.pdf"), ("text/html", "x.html"),
                        ("application/octet-stream", "x.php")]:
        with pytest.raises(StorageError, match="Можно загрузить PDF, DOC, DOCX"):
            store_document(session, folder, b"<p>", original_name=name, content_type=ctype)
    with pytest.raises(StorageError, match="пустой"):
        store_document(session, folder, b"", original_name="a.pdf",
                       content_type="application/pdf")
    assert _files(folder) == [media.stored_name]

@pytest.mark.parametrize(
    "name",
    ["../x", "..", "", "/etc/passwd", "a/b.jpg", ".tmp-abc.part", ".hidden",
     "0" * 32 + ".jpg/../x", "0" * 32 + ".JPG", "0" * 31 + ".jpg", "0" * 32 + ".jpg\n"],
)
def test_path_for_refuses_names_we_did_not_generate(tmp_path, name):
    with pytest.raises(StorageError):
        path_for(tmp_path, name)


def test_path_for_accepts_generated_names(tmp_path):
    name = "0123456789abcdef0123456789abcdef.jpg"
    assert path_for(tmp_path, name) == tmp_path / name
