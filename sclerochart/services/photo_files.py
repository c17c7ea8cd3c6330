"""Turning a photo file a clinician attaches into what is stored: checked, upright, sRGB JPEG, no metadata, thumbnail.

Pure functions of their input (no Qt, no database, no global state changed), so they are safe to run off the GUI
thread. Pillow's global settings (``Image.MAX_IMAGE_PIXELS``, ``ImageFile.LOAD_TRUNCATED_IMAGES``) are left at
their defaults: the pixel limit is checked here from the picture's header, below Pillow's own, and Pillow's
``DecompressionBombError``/``DecompressionBombWarning`` (the warning raised when warnings are errors) are caught as
the same refusal.

Colour: a photo with an embedded colour profile (an iPhone's Display P3, a camera's Adobe RGB, a CMYK profile) is
converted to sRGB with LittleCMS (``ImageCms``), then stored without any profile, since a JPEG without one is read as
sRGB everywhere. A profile that cannot be used is ignored and the pixels are taken as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from sclerochart.domain.photos import (
    ALLOWED_FORMATS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_STORED_EDGE,
    STORED_MIME,
    STORED_QUALITY,
    THUMBNAIL_EDGE,
    THUMBNAIL_QUALITY,
    PreparedPhoto,
    damaged_message,
    empty_message,
    folder_message,
    heic_message,
    is_heif,
    missing_message,
    not_a_picture_message,
    out_of_memory_message,
    parse_exif_datetime,
    photo_error,
    stored_size,
    too_large_message,
    too_many_pixels_message,
    unreadable_message,
)

__all__ = ["prepare_photo", "read_image_size", "thumbnail_of"]

_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 36867
_ORIENTATION = 0x0112
_TURNED = (5, 6, 7, 8)  # orientations that swap width and height
_WHITE = (255, 255, 255)

_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)
"""What Pillow's decoders raise on a truncated or corrupt file."""

_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def prepare_photo(
    path_or_bytes: str | os.PathLike[str] | bytes, original_name: str = "", *, now: dt.datetime | None = None
) -> PreparedPhoto:
    """Check a photo file and make what is stored of it.

    Args:
        path_or_bytes: The file's path, or its content.
        original_name: The name shown in messages and kept with the photo; defaults to the path's file name.
        now: Local wall-clock time a camera date may not be later than (by more than a day); defaults to now.

    Returns:
        The stored JPEG (upright, sRGB, longer edge at most MAX_STORED_EDGE, no metadata), its size, digest,
        camera date and thumbnail.

    Raises:
        ValidationError: On the "Photo" field, in the clinician's words, when the file is missing or unreadable,
            empty, larger than MAX_PHOTO_BYTES (refused before it is read), not a picture in an allowed format,
            claims more than MAX_PHOTO_PIXELS, or is damaged or incomplete.
    """
    if isinstance(path_or_bytes, bytes):
        name = original_name
        data = path_or_bytes
        _check_length(name, len(data))
    else:
        path = Path(path_or_bytes)
        name = original_name or path.name
        data = _read_file(path, name)

    with _opened(data, name) as image:
        taken_at = _taken_at(image, now or dt.datetime.now())
        _reduce_while_decoding(image, MAX_STORED_EDGE)
        upright = _decoded_upright_rgb(image, name)
    upright = _fit(upright, MAX_STORED_EDGE)
    stored = _jpeg(upright, STORED_QUALITY)
    return PreparedPhoto(
        data=stored,
        mime=STORED_MIME,
        width=upright.width,
        height=upright.height,
        sha256=hashlib.sha256(stored).hexdigest(),
        taken_at=taken_at,
        thumbnail=_jpeg(_fit(upright, THUMBNAIL_EDGE), THUMBNAIL_QUALITY),
        original_name=name,
    )


def thumbnail_of(data: bytes) -> bytes:
    """A JPEG thumbnail (longer edge at most THUMBNAIL_EDGE, upright, sRGB) of a picture's bytes.

    Raises:
        ValidationError: As prepare_photo, when the bytes are not a picture that can be read.
    """
    _check_length("", len(data))
    with _opened(data, "") as image:
        _reduce_while_decoding(image, THUMBNAIL_EDGE)
        upright = _decoded_upright_rgb(image, "")
    return _jpeg(_fit(upright, THUMBNAIL_EDGE), THUMBNAIL_QUALITY)


def read_image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a picture as it stands (EXIF orientation applied), read from its header only.

    Raises:
        ValidationError: As prepare_photo, when the bytes are not a picture in an allowed format.
    """
    _check_length("", len(data))
    with _opened(data, "") as image:
        width, height = image.size
        if _orientation(image) in _TURNED:
            return height, width
        return width, height


# --- Reading the file --------------------------------------------------------------------------------------------


def _check_length(name: str, size: int) -> None:
    if size == 0:
        raise photo_error(empty_message(name))
    if size > MAX_PHOTO_BYTES:
        raise photo_error(too_large_message(name, size))


def _read_file(path: Path, name: str) -> bytes:
    """The file's bytes; its size is checked from the directory entry first, so a huge file is never read."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise photo_error(folder_message(name))
        _check_length(name, info.st_size)
        with open(path, "rb") as file:
            data = file.read(MAX_PHOTO_BYTES + 1)  # the file may have grown since it was measured
    except FileNotFoundError as error:
        raise photo_error(missing_message(name)) from error
    except IsADirectoryError as error:
        raise photo_error(folder_message(name)) from error
    except OSError as error:  # permission denied, a drive gone mid-read, a name the system cannot take
        raise photo_error(unreadable_message(name)) from error
    _check_length(name, len(data))
    return data


def _opened(data: bytes, name: str) -> Image.Image:
    """The picture opened from its header (nothing decoded yet), after the format and pixel-count checks."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except _BOMB as error:
        raise photo_error(too_many_pixels_message(name, *_claimed_size(data))) from error
    except MemoryError as error:
        raise photo_error(out_of_memory_message(name)) from error
    except _DAMAGED as error:  # UnidentifiedImageError included: no allowed decoder recognises it
        if is_heif(data[:12]):
            raise photo_error(heic_message(name)) from error
        raise photo_error(not_a_picture_message(name)) from error
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        image.close()
        raise photo_error(too_many_pixels_message(name, width, height))
    if width <= 0 or height <= 0 or not _intact(data):
        image.close()
        raise photo_error(damaged_message(name))
    return image


def _intact(data: bytes) -> bool:
    """Whether the file passes its format's own integrity check, without decoding (a PNG's chunk checksums).

    A PNG whose picture data was damaged can otherwise decode without complaint into a garbled picture.
    """
    try:
        with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as image:
            image.verify()
    except MemoryError:
        raise
    except Exception:  # whatever the check raises, the file is not as it was written
        return False
    return True


def _claimed_size(data: bytes) -> tuple[int, int]:
    """The size claimed by a picture Pillow refused as a bomb, for the message.

    Read from the header through the format's own reader, which (unlike ``Image.open``) does not apply Pillow's
    pixel limit; nothing is decoded and the image is not kept. (0, 0) when it cannot be read.
    """
    for format_id in ALLOWED_FORMATS:
        factory, accept = Image.OPEN[format_id]
        if accept is not None and not accept(data[:16]):
            continue
        try:
            return factory(io.BytesIO(data), "").size
        except Exception:  # only the message is at stake: the file is refused anyway
            continue
    return 0, 0


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # damaged metadata: the picture itself may be fine
        return 1
    return value if isinstance(value, int) else 1


def _taken_at(image: Image.Image, now: dt.datetime) -> dt.datetime | None:
    """The camera's DateTimeOriginal, read before any metadata is dropped; None when absent, damaged or not sane."""
    try:
        value = image.getexif().get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL)
    except Exception:  # damaged metadata: the picture itself may be fine
        return None
    return parse_exif_datetime(value, now)


# --- Decoding and normalising ------------------------------------------------------------------------------------


def _reduce_while_decoding(image: Image.Image, longest: int) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale when the result is still at least the size kept.

    libjpeg scales while decoding (filtered, not by dropping pixels), which saves memory and time on big camera
    files; the final scaling to the exact size is done with a good filter afterwards.
    """
    if image.format not in ("JPEG", "MPO"):
        return
    target = stored_size(*image.size, longest=longest)
    if target != image.size:
        image.draft(None, target)


def _decoded_upright_rgb(image: Image.Image, name: str) -> Image.Image:
    """The whole picture decoded (a truncated file fails here), turned upright, in sRGB, with no metadata."""
    try:
        image.load()
        upright = _upright(image)
        rgb = _srgb(upright)
    except MemoryError as error:
        raise photo_error(out_of_memory_message(name)) from error
    except _BOMB as error:
        raise photo_error(too_many_pixels_message(name, *image.size)) from error
    except _DAMAGED as error:
        raise photo_error(damaged_message(name)) from error
    rgb.info = {}  # Pillow's JPEG writer would carry a comment or XMP across from here
    return rgb


def _upright(image: Image.Image) -> Image.Image:
    """The picture as it was taken, by its EXIF orientation; as it is when that cannot be read."""
    try:
        turned = ImageOps.exif_transpose(image)
    except MemoryError:
        raise
    except Exception:  # damaged metadata (Pillow may warn on it): the picture itself is fine
        return image.copy()
    return turned if turned is not None else image.copy()


def _srgb(image: Image.Image) -> Image.Image:
    """8-bit RGB in sRGB: transparency flattened on white, palette, greyscale, 16-bit and CMYK converted."""
    profile = image.info.get("icc_profile")
    image = _eight_bit(image)
    if _has_transparency(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode == "P":
        image = image.convert("RGB")
    if isinstance(profile, bytes) and profile:
        converted = _through_profile(image, profile)
        if converted is not None:
            return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def _eight_bit(image: Image.Image) -> Image.Image:
    """Greyscale of more than 8 bits (16-bit PNG or TIFF, 32-bit, float) scaled to 0–255, not clipped; "1" as "L".

    A 16-bit mode is scaled by its full range; a 32-bit or float picture by what it holds (float 0–1 as 0–255).
    A transparent colour given in the deeper range is dropped (it no longer names a value).
    """
    if image.mode == "1":
        return image.convert("L")
    if not (image.mode.startswith("I") or image.mode == "F"):
        return image
    if image.mode.startswith("I;16"):
        scale = 1 / 257
        wide = image.convert("I")
    else:
        wide = image
        _, high = wide.getextrema()
        peak = float(high) if isinstance(high, int | float) else 255.0
        if image.mode == "F" and 0 < peak <= 1.0:
            scale = 255.0
        elif peak <= 255:
            scale = 1.0
        else:
            scale = 1 / 257 if peak <= 65535 else 255 / peak
    grey = wide.point(lambda v: v * scale).convert("L")
    grey.info.pop("transparency", None)
    return grey


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _through_profile(image: Image.Image, profile: bytes) -> Image.Image | None:
    """The picture converted from its embedded profile to sRGB; None when the profile does not fit or is damaged."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return converted


def _fit(image: Image.Image, longest: int) -> Image.Image:
    size = stored_size(image.width, image.height, longest)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    """Baseline JPEG with nothing but the pixels: no EXIF, GPS, XMP, comment or colour profile."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, exif=b"", comment=b"")
    return out.getvalue()
