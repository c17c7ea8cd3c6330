"""A photo attached to a treatment record: what is stored of it, and every file refused in the clinician's words."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import sys
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from sclerochart.domain.errors import ValidationError
from sclerochart.domain.photos import (
    MAX_PHOTO_BYTES,
    MAX_STORED_EDGE,
    THUMBNAIL_EDGE,
    megabytes,
    parse_exif_datetime,
    stored_size,
)
from sclerochart.services import photo_files
from sclerochart.services.photo_files import prepare_photo, read_image_size, thumbnail_of

NOW = dt.datetime(2026, 11, 23, 10, 30)
RED = (220, 20, 30)
BLUE = (20, 40, 200)

CODE_WORDS = re.compile(
    r"Error|Exception|Traceback|errno|PIL|Pillow|None|MAX_|Decompression|OSError|[_{}<>\[\]\\]|0x|\bbytes\b"
    r"|DOMAIN|DESIGN\.md|§"
)
"""What a clinician must never read: code names, exception names, placeholders, developer references."""

# --- Making files ------------------------------------------------------------------------------------------------


def _save(image: Image.Image, path: Path, fmt: str, **options: object) -> Path:
    image.save(path, fmt, **options)
    return path


def _two_colour(width: int, height: int) -> Image.Image:
    """Blue, with a red block in the top-left corner (a quarter of the width, a quarter of the height)."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 4, height // 4))
    return image


def _camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Sclerotestcam Makers"  # Make
    exif[0x0110] = "Veinshooter 9000 Pro"  # Model
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to stand as taken
    exif[0x0131] = "Phototweak 2.1"  # Software
    exif.get_ifd(0x8769)[36867] = "2025:06:14 09:41:07"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1] = "N"
    gps[2] = (48.0, 8.0, 30.5)
    gps[3] = "E"
    gps[4] = (11.0, 34.0, 12.25)
    return exif


def _jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the picture data (APP0, DQT, SOF, DHT, APP1 for EXIF…)."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while data[at + 1] != 0xDA:  # start of scan: the pixels follow
        assert data[at] == 0xFF
        markers.append(data[at + 1])
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return markers


def _png(width: int, height: int, rows: int) -> bytes:
    """A one-bit greyscale PNG claiming width × height, with ``rows`` all-black rows of picture data.

    With every row it is a real decompression bomb: 20000 × 20000 compresses to some tens of kilobytes.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    packer = zlib.compressobj(9)
    row = b"\x00" + bytes((width + 7) // 8)
    picture = b"".join(packer.compress(row) for _ in range(rows)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", picture) + chunk(b"IEND", b"")


def _refusal(action: Callable[[], object]) -> str:
    """The one message on the Photo field of the refusal ``action`` raises."""
    with pytest.raises(ValidationError) as caught:
        action()
    assert [error.field for error in caught.value.errors] == ["Photo"]
    message = caught.value.errors[0].message
    assert caught.value.for_field("Photo") == message
    return message


def _assert_plain(message: str, name: str) -> None:
    """The message names the file and holds no code words; what is wrong, then in a sentence of its own what to do."""
    assert f"“{name}”" in message, message
    rest = message.replace(f"“{name}”", "")
    assert not CODE_WORDS.search(rest), message
    assert re.search(r"[.;:] [A-Z][a-z]+ .*\.$", rest), message
    assert rest.rstrip().endswith("."), message


def _opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# --- What is stored ----------------------------------------------------------------------------------------------


def test_a_camera_jpeg_is_stored_upright_dated_and_with_no_metadata_at_all(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = _save(
        _two_colour(400, 200),
        tmp_path / "leg front.jpg",
        "JPEG",
        exif=_camera_exif(),
        icc_profile=srgb,
        comment=b"Sclerotestcam comment",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Veinshooter GPS 48.1417</x:xmpmeta>',
        quality=95,
    )
    source = path.read_bytes()
    with Image.open(path) as original:  # the file really carries what must go
        assert original.getexif().get_ifd(0x8825)[2] == (48.0, 8.0, 30.5)
        assert original.getexif()[0x0110] == "Veinshooter 9000 Pro"
    assert b"Exif\x00\x00" in source and b"Veinshooter" in source and b"ICC_PROFILE" in source

    photo = prepare_photo(path, now=NOW)

    assert photo.original_name == "leg front.jpg"
    assert photo.mime == "image/jpeg"
    assert photo.taken_at == dt.datetime(2025, 6, 14, 9, 41, 7)
    assert (photo.width, photo.height) == (200, 400)  # orientation 6 applied: portrait
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()

    stored = _opened(photo.data)
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert stored.size == (200, 400)
    assert _near(stored.getpixel((190, 10)), RED), "the red corner turned clockwise to the top right"
    assert _near(stored.getpixel((10, 10)), BLUE)
    assert _near(stored.getpixel((190, 390)), BLUE)

    assert len(stored.getexif()) == 0
    assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & set(stored.info)
    assert not {0xE1, 0xE2, 0xED, 0xFE} & set(_jpeg_segments(photo.data)), "no APP1, ICC, IPTC or comment segment"
    for trace in (b"Exif", b"GPS", b"Sclerotestcam", b"Veinshooter", b"Phototweak", b"2025:06:14", b"ICC_PROFILE"):
        assert trace not in photo.data, trace
    for trace in (b"Exif", b"GPS", b"Veinshooter", b"ICC_PROFILE"):
        assert trace not in photo.thumbnail, trace


def test_a_png_with_transparency_is_flattened_on_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 60, 80))
    photo = prepare_photo(_save(image, tmp_path / "marked.png", "PNG"), now=NOW)
    stored = _opened(photo.data)
    assert stored.mode == "RGB" and (photo.width, photo.height) == (120, 80)
    assert _near(stored.getpixel((100, 40)), (255, 255, 255), 8), "transparent parts are white, not black"
    assert _near(stored.getpixel((20, 40)), (200, 30, 30))
    assert photo.taken_at is None


def test_a_palette_png_with_a_transparent_colour_is_flattened_on_white(tmp_path: Path) -> None:
    image = Image.new("P", (60, 40), 0)
    image.putpalette([0, 0, 0, 30, 160, 60] + [0] * 762)
    image.paste(1, (0, 0, 30, 40))
    path = _save(image, tmp_path / "sketch.png", "PNG", transparency=0)
    stored = _opened(prepare_photo(path, now=NOW).data)
    assert _near(stored.getpixel((50, 20)), (255, 255, 255), 8)
    assert _near(stored.getpixel((10, 20)), (30, 160, 60))


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path: Path) -> None:
    image = Image.new("I;16", (64, 48), 40000)
    image.paste(65535, (0, 0, 32, 48))
    path = _save(image, tmp_path / "ultrasound.png", "PNG")
    with Image.open(path) as reread:
        assert reread.mode.startswith("I")  # really deeper than 8 bits
    stored = _opened(prepare_photo(path, now=NOW).data)
    assert stored.mode == "RGB"
    mid, full = stored.getpixel((50, 20)), stored.getpixel((10, 20))
    assert isinstance(mid, tuple) and isinstance(full, tuple)
    assert 150 <= mid[0] <= 160, "40000 of 65535 is mid grey; clipping would have made it white"
    assert full[0] >= 250


def test_a_cmyk_jpeg_is_converted_to_rgb(tmp_path: Path) -> None:
    path = _save(Image.new("CMYK", (64, 48), (0, 230, 220, 20)), tmp_path / "printed.jpg", "JPEG", quality=95)
    with Image.open(path) as reread:
        assert reread.mode == "CMYK"
    photo = prepare_photo(path, now=NOW)
    stored = _opened(photo.data)
    assert stored.mode == "RGB" and stored.size == (64, 48)
    pixel = stored.getpixel((30, 20))
    assert isinstance(pixel, tuple)
    red, green, blue = pixel
    assert red > 180 and green < 80 and blue < 80


def test_a_large_photo_is_scaled_to_the_longer_edge_kept(tmp_path: Path) -> None:
    path = _save(_two_colour(4000, 3000), tmp_path / "camera.jpg", "JPEG")
    photo = prepare_photo(path, now=NOW)
    assert (photo.width, photo.height) == (MAX_STORED_EDGE, 2250)
    assert _opened(photo.data).size == (MAX_STORED_EDGE, 2250)
    assert read_image_size(photo.data) == (MAX_STORED_EDGE, 2250)


def test_a_very_large_jpeg_is_decoded_reduced_and_still_scaled_exactly(tmp_path: Path) -> None:
    path = _save(_two_colour(9000, 3000), tmp_path / "panorama.jpg", "JPEG", quality=70)
    photo = prepare_photo(path, now=NOW)
    assert (photo.width, photo.height) == (MAX_STORED_EDGE, 1000)
    stored = _opened(photo.data)
    assert _near(stored.getpixel((100, 100)), RED) and _near(stored.getpixel((2900, 900)), BLUE)


def test_a_tall_png_is_scaled_by_its_height(tmp_path: Path) -> None:
    photo = prepare_photo(_save(Image.new("RGB", (1000, 3600), BLUE), tmp_path / "whole leg.png", "PNG"), now=NOW)
    assert (photo.width, photo.height) == (833, MAX_STORED_EDGE)


@pytest.mark.parametrize(("fmt", "suffix"), [("TIFF", "tif"), ("WEBP", "webp"), ("BMP", "bmp"), ("PNG", "png")])
def test_every_allowed_format_is_taken(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = _save(_two_colour(160, 120), tmp_path / f"photo.{suffix}", fmt)
    photo = prepare_photo(path, now=NOW)
    assert (photo.width, photo.height) == (160, 120)
    assert _near(_opened(photo.data).getpixel((5, 5)), RED)


def test_the_thumbnail_is_small_upright_and_plain(tmp_path: Path) -> None:
    path = _save(_two_colour(1600, 800), tmp_path / "leg.jpg", "JPEG", exif=_camera_exif())
    photo = prepare_photo(path, now=NOW)
    thumbnail = _opened(photo.thumbnail)
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) <= THUMBNAIL_EDGE
    assert thumbnail.size == (120, 240)  # portrait, as the stored photo
    assert len(thumbnail.getexif()) == 0
    assert _opened(thumbnail_of(photo.data)).size == (120, 240)
    assert max(_opened(thumbnail_of(path.read_bytes())).size) == THUMBNAIL_EDGE


def test_the_size_read_from_a_header_stands_as_taken(tmp_path: Path) -> None:
    path = _save(_two_colour(400, 200), tmp_path / "leg.jpg", "JPEG", exif=_camera_exif())
    assert read_image_size(path.read_bytes()) == (200, 400)
    assert read_image_size(prepare_photo(path, now=NOW).data) == (200, 400)


def test_bytes_are_taken_as_a_file_is_and_the_same_photo_gives_the_same_digest(tmp_path: Path) -> None:
    path = _save(_two_colour(300, 200), tmp_path / "leg.png", "PNG")
    from_file = prepare_photo(path, now=NOW)
    from_bytes = prepare_photo(path.read_bytes(), "leg.png", now=NOW)
    assert from_bytes == from_file


def test_photos_can_be_prepared_on_several_threads_at_once(tmp_path: Path) -> None:
    paths = [_save(_two_colour(800 + 10 * n, 600), tmp_path / f"leg {n}.jpg", "JPEG") for n in range(6)]
    alone = [prepare_photo(path, now=NOW) for path in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda p: prepare_photo(p, now=NOW), paths * 2))
    assert together == alone * 2


# --- The camera's date -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025:06:14 09:41:07", dt.datetime(2025, 6, 14, 9, 41, 7)),
        ("2025:06:14 09:41:07\x00", dt.datetime(2025, 6, 14, 9, 41, 7)),
        (b"2024:02:29 23:59:59", dt.datetime(2024, 2, 29, 23, 59, 59)),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        ("", None),
        ("2025-06-14 09:41:07", None),
        ("1980:01:01 00:00:00", None),  # a clock never set
        ("2026:11:25 10:30:00", None),  # after today
        ("2026:11:24 09:00:00", dt.datetime(2026, 11, 24, 9)),  # a camera a few hours ahead is still believed
        (None, None),
        (20250614, None),
    ],
)
def test_only_a_sane_camera_date_is_kept(value: object, expected: dt.datetime | None) -> None:
    assert parse_exif_datetime(value, NOW) == expected


def test_a_photo_whose_camera_date_is_not_sane_has_none(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "0000:00:00 00:00:00"
    path = _save(_two_colour(100, 80), tmp_path / "leg.jpg", "JPEG", exif=exif)
    assert prepare_photo(path, now=NOW).taken_at is None


def test_sizes_and_megabytes() -> None:
    assert stored_size(6000, 4000) == (3000, 2000)
    assert stored_size(2000, 1000) == (2000, 1000)
    assert stored_size(10, 30000) == (1, 3000)
    assert megabytes(200 * 1024 * 1024) == "200 MB"
    assert megabytes(MAX_PHOTO_BYTES) == "40 MB"
    assert megabytes(MAX_PHOTO_BYTES + 1) == "40.1 MB", "a file over the limit never reads as the limit"


# --- What is refused ---------------------------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leg.jpg"
    path.write_text("Patient consented to photographs.\n", encoding="utf-8")
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "leg.jpg")
    assert "is not a picture ScleroChart can read (JPEG, PNG, TIFF, WebP or BMP)" in message


def test_a_pdf_is_refused_with_the_formats_that_are_read(tmp_path: Path) -> None:
    path = tmp_path / "leg.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    message = _refusal(lambda: prepare_photo(path))
    assert message == (
        "“leg.pdf” is not a picture ScleroChart can read (JPEG, PNG, TIFF, WebP or BMP). "
        "Export it from the camera as JPEG and add it again."
    )


def test_a_picture_in_a_format_not_allowed_is_refused(tmp_path: Path) -> None:
    path = _save(Image.new("P", (40, 30), 1), tmp_path / "leg.gif", "GIF")
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "leg.gif")
    assert "not a picture ScleroChart can read" in message


def test_an_heic_photo_is_refused_saying_heic_is_not_supported(tmp_path: Path) -> None:
    path = tmp_path / "IMG 4411.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200))
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "IMG 4411.HEIC")
    assert "HEIC" in message.replace("“IMG 4411.HEIC”", "") and "JPEG" in message


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leg.jpg"
    path.touch()
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "leg.jpg")
    assert "empty" in message


def test_empty_bytes_are_refused_naming_the_file_given() -> None:
    message = _refusal(lambda: prepare_photo(b"", "from scanner.png"))
    _assert_plain(message, "from scanner.png")


def test_a_truncated_jpeg_is_refused(tmp_path: Path) -> None:
    whole = io.BytesIO()
    _two_colour(800, 600).effect_spread(4).save(whole, "JPEG")
    path = tmp_path / "leg.jpg"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "leg.jpg")
    assert "damaged or incomplete" in message


def test_a_png_with_damaged_picture_data_is_refused(tmp_path: Path) -> None:
    whole = io.BytesIO()
    Image.effect_noise((200, 150), 60).save(whole, "PNG")
    data = bytearray(whole.getvalue())
    start = data.index(b"IDAT") + 40
    data[start : start + 64] = bytes(64)
    path = tmp_path / "leg.png"
    path.write_bytes(bytes(data))
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "leg.png")
    assert "damaged or incomplete" in message


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "video still.jpg"
    with path.open("wb") as file:
        file.truncate(41 * 1024 * 1024)  # sparse: takes no room on the disk

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(photo_files, "open", never, raising=False)
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "video still.jpg")
    assert "is 41 MB; a photo may be at most 40 MB" in message


def test_bytes_over_the_limit_are_refused() -> None:
    message = _refusal(lambda: prepare_photo(bytes(200 * 1024 * 1024), "scan.tif"))
    assert "is 200 MB; a photo may be at most 40 MB" in message
    _assert_plain(message, "scan.tif")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    message = _refusal(lambda: prepare_photo(tmp_path / "gone.jpg"))
    _assert_plain(message, "gone.jpg")
    assert "could not be found" in message


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Camera Roll"
    folder.mkdir()
    message = _refusal(lambda: prepare_photo(folder))
    _assert_plain(message, "Camera Roll")
    assert "folder" in message


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not stop this user")
def test_a_file_this_computer_will_not_let_be_read_is_refused(tmp_path: Path) -> None:
    path = _save(_two_colour(40, 30), tmp_path / "locked.jpg", "JPEG")
    path.chmod(0)
    try:
        message = _refusal(lambda: prepare_photo(path))
    finally:
        path.chmod(0o600)
    _assert_plain(message, "locked.jpg")


def test_a_file_that_cannot_be_read_midway_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save(_two_colour(40, 30), tmp_path / "on the stick.jpg", "JPEG")

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(photo_files, "open", refused, raising=False)
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "on the stick.jpg")
    assert "could not be opened" in message


def test_a_decompression_bomb_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png(20000, 20000, rows=20000))
    assert path.stat().st_size < 200_000  # small on the disk, 400 megapixels when opened
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "bomb.png")
    assert "20000 × 20000 pixels (400 megapixels)" in message
    assert "at most 80 megapixels" in message


@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (10000, 9000)])
def test_a_picture_over_the_pixel_limit_but_under_pillows_own_is_refused(
    tmp_path: Path, width: int, height: int
) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_png(width, height, rows=1))
    message = _refusal(lambda: prepare_photo(path))
    _assert_plain(message, "huge.png")
    assert f"{width} × {height} pixels" in message


def test_the_size_of_bytes_that_are_not_a_picture_is_refused() -> None:
    message = _refusal(lambda: read_image_size(b"not a picture at all"))
    assert message.startswith("The photo is not a picture ScleroChart can read")
    assert not CODE_WORDS.search(message)
    message = _refusal(lambda: thumbnail_of(b"not a picture at all"))
    assert message.startswith("The photo is not a picture")
