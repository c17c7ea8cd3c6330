"""Rules for the photos attached to a treatment record: limits, formats, what is stored, and the messages."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sclerochart.domain.errors import FieldError, ValidationError

PHOTO_FIELD = "Photo"

MAX_PHOTO_BYTES = 40 * 1024 * 1024
"""A file larger than this is refused from its size alone, before it is read."""

MAX_PHOTO_PIXELS = 80_000_000
"""Width × height a photo may claim (80 megapixels). Larger is refused before it is decoded: a small file that
claims a huge picture (an "image bomb") would otherwise take all the memory. Kept below Pillow's own warning
threshold (about 89.5 megapixels) so every photo accepted here decodes without it."""

MAX_STORED_EDGE = 3000
"""Pixels of the longer edge kept; a larger photo is scaled down."""

THUMBNAIL_EDGE = 240
"""Pixels of the longer edge of the thumbnail shown in lists."""

STORED_MIME = "image/jpeg"
STORED_QUALITY = 88
THUMBNAIL_QUALITY = 80

ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "TIFF", "WEBP", "BMP")
"""The decoders a photo may go through (Pillow's format names); no other decoder ever sees the file.
An MPO (the JPEG some cameras write with a second, smaller picture inside) opens as a JPEG."""

FORMAT_WORDS = "JPEG, PNG, TIFF, WebP or BMP"

PHOTO_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".bmp")
"""For the file dialog's filter; the file's content decides, never its name."""

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"})

EARLIEST_TAKEN = dt.datetime(1990, 1, 1)
"""A camera date before this is a clock that was never set, not a date the photo was taken."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo as it is stored: JPEG, upright, sRGB, at most MAX_STORED_EDGE, with no metadata left in it.

    Attributes:
        data: The JPEG bytes to store (no EXIF, GPS, XMP, comment or colour profile).
        mime: Always STORED_MIME.
        width: Pixels across, as the picture stands.
        height: Pixels down, as the picture stands.
        sha256: Hex digest of ``data``.
        taken_at: The camera's DateTimeOriginal as naive local wall-clock time, or None when absent or not sane.
        thumbnail: A JPEG whose longer edge is at most THUMBNAIL_EDGE.
        original_name: The file name the clinician chose (no folder), for display only.
    """

    data: bytes
    mime: str
    width: int
    height: int
    sha256: str
    taken_at: dt.datetime | None
    thumbnail: bytes
    original_name: str


def stored_size(width: int, height: int, longest: int = MAX_STORED_EDGE) -> tuple[int, int]:
    """The size a picture is scaled to so that its longer edge is at most ``longest`` (never scaled up)."""
    edge = max(width, height)
    if edge <= longest:
        return width, height
    scale = longest / edge
    return max(1, round(width * scale)), max(1, round(height * scale))


def is_heif(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an HEIC/HEIF or AVIF picture (an ISO "ftyp" box)."""
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def parse_exif_datetime(value: object, now: dt.datetime) -> dt.datetime | None:
    """The camera's "YYYY:MM:DD HH:MM:SS" as a naive datetime, or None when it is absent, blank or not sane.

    Not sane: unparsable, the all-zero or all-blank placeholder cameras write, before EARLIEST_TAKEN, or more than a
    day after ``now`` (a naive local time).
    """
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if not isinstance(value, str):
        return None
    text = value.strip("\x00 \t\r\n")
    try:
        taken = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if taken < EARLIEST_TAKEN or taken > now + dt.timedelta(days=1):
        return None
    return taken


# --- What the clinician reads ------------------------------------------------------------------------------------


def photo_label(name: str) -> str:
    """How a message names the file: its name in quotes, or "The photo" when it has none."""
    return f"“{name}”" if name else "The photo"


def megabytes(size: int) -> str:
    """A file size as "200 MB" or "40.1 MB": rounded up, so a file over the limit never reads as the limit."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    if tenths >= 1000 or tenths % 10 == 0:
        return f"{math.ceil(tenths / 10)} MB"
    return f"{tenths // 10}.{tenths % 10} MB"


def photo_error(message: str) -> ValidationError:
    """The error raised for a photo that cannot be taken."""
    return ValidationError([FieldError(PHOTO_FIELD, message)])


def missing_message(name: str) -> str:
    """The file is not where it was chosen."""
    return (
        f"{photo_label(name)} could not be found: it may have been moved, renamed or deleted, or the drive it was on "
        "is no longer connected. Choose the photo again."
    )


def folder_message(name: str) -> str:
    """A folder was chosen instead of a file."""
    return f"{photo_label(name)} is a folder, not a photo. Open the folder and choose the photo inside it."


def unreadable_message(name: str) -> str:
    """The file exists but this computer would not let it be read."""
    return (
        f"{photo_label(name)} could not be opened: this computer did not allow ScleroChart to read it. "
        "Copy the photo into your Pictures folder and add it again."
    )


def empty_message(name: str) -> str:
    """A zero-byte file."""
    return (
        f"{photo_label(name)} is empty: it holds no picture (perhaps the copy from the camera did not finish). "
        "Copy the photo again and add it again."
    )


def too_large_message(name: str, size: int) -> str:
    """A file over MAX_PHOTO_BYTES."""
    return (
        f"{photo_label(name)} is {megabytes(size)}; a photo may be at most {megabytes(MAX_PHOTO_BYTES)}. "
        "Export it from the camera or phone as JPEG at a smaller size and add it again."
    )


def not_a_picture_message(name: str) -> str:
    """Not an image, or an image in a format that is not allowed."""
    return (
        f"{photo_label(name)} is not a picture ScleroChart can read ({FORMAT_WORDS}). "
        "Export it from the camera as JPEG and add it again."
    )


def heic_message(name: str) -> str:
    """An HEIC/HEIF (or AVIF) photo, as iPhones save by default: not supported."""
    return (
        f"{photo_label(name)} is an HEIC photo (the format iPhones save in), which ScleroChart cannot read; "
        f"it reads {FORMAT_WORDS}. Export the photo as JPEG, or set the iPhone to Settings › Camera › Formats › "
        "Most Compatible, and add it again."
    )


def too_many_pixels_message(name: str, width: int, height: int) -> str:
    """A picture claiming more than MAX_PHOTO_PIXELS (a real giant, or a damaged or deliberately built file)."""
    megapixels = math.ceil(width * height / 1_000_000)
    return (
        f"{photo_label(name)} is {width} × {height} pixels ({megapixels} megapixels), too large to open safely; "
        f"a photo may be at most {MAX_PHOTO_PIXELS // 1_000_000} megapixels. Save a smaller copy of it, or set the "
        "camera to its usual picture size, and add it again."
    )


def out_of_memory_message(name: str) -> str:
    """This computer ran out of memory opening the picture."""
    return f"{photo_label(name)} is too large to open on this computer. Save a smaller copy of it and add it again."


def damaged_message(name: str) -> str:
    """A picture that starts well but cannot be read to the end: truncated, corrupt, or stored in an odd way."""
    return (
        f"{photo_label(name)} could not be read to the end: the file is damaged or incomplete (perhaps the copy "
        "from the camera did not finish). Copy it from the camera again, or export it as JPEG, and add it again."
    )
