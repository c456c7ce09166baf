"""Avatar images: an upload is checked, then redrawn from its pixels into small square
variants, so nothing of the original file (EXIF, GPS, comments, hidden payloads) survives."""

import io
import logging
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.storage import storage_errors

logger = logging.getLogger(__name__)
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
SIZES = (256, 64)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
FOLDER = "avatars"


def _max_bytes() -> int:
    return getattr(settings, "AVATAR_MAX_BYTES", DEFAULT_MAX_BYTES)


def _max_pixels() -> int:
    return getattr(settings, "AVATAR_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _invalid(message: str) -> ValidationError:
    return ValidationError({"avatar": message})


def _open(upload) -> Image.Image:
    """Opens the upload with one of the accepted decoders after refusing images whose
    header claims more pixels than allowed (checked before any pixel is decoded)."""
    upload.seek(0)
    image = Image.open(upload, formats=FORMATS)
    width, height = image.size
    if width * height > _max_pixels():
        raise _invalid(
            _("The picture has too many pixels (at most %(count)s million).")
            % {"count": _max_pixels() // 1_000_000 or 1}
        )
    return image


def _square(image: Image.Image, size: int) -> Image.Image:
    """A new image holding only the pixels: no info, EXIF, ICC profile or palette tricks."""
    fitted = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    return Image.frombytes(fitted.mode, fitted.size, fitted.tobytes())


def render(upload) -> dict[int, bytes]:
    """WebP bytes for each of SIZES. Raises ValidationError({"avatar": ...}) for anything
    that is not a JPEG, PNG, WebP or GIF within the size and pixel limits."""
    if upload.size > _max_bytes():
        raise _invalid(
            _("The picture is too large (at most %(size)s MB).")
            % {"size": _max_bytes() // (1024 * 1024) or 1}
        )
    not_an_image = _invalid(_("Upload a JPEG, PNG, WebP or GIF picture."))
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check only warns below twice its limit: make that an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(upload) as probe:
                probe.verify()
            # verify() leaves the image unusable; decode from a fresh open.
            with _open(upload) as image:
                image.draft("RGB", (2 * SIZES[0], 2 * SIZES[0]))  # JPEG: decode scaled down
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA", "PA") or ("transparency" in upright.info)
                pixels = upright.convert("RGBA" if has_alpha else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(_("The picture has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    variants = {}
    for size in SIZES:
        out = io.BytesIO()
        _square(pixels, size).save(out, "WEBP", quality=85, method=4)
        variants[size] = out.getvalue()
    return variants


def store(variants: dict[int, bytes]) -> dict[str, str]:
    """Saves the variants under one unguessable stem; returns their storage names by size.
    When the storage cannot be used (the object store down or too slow, a full disk)
    raises ValidationError({"avatar": ...}), after trying to delete what it saved."""
    stem = uuid.uuid4().hex
    names: dict[str, str] = {}
    try:
        for size, data in variants.items():
            name = f"{FOLDER}/{stem}-{size}.webp"
            names[str(size)] = default_storage.save(name, ContentFile(data))
    except storage_errors():
        logger.error("An avatar could not be stored", exc_info=True)
        try:
            delete(names)
        except storage_errors():
            logger.warning("Could not delete the stored part of an avatar: %s", names)
        raise _invalid(
            _("Your picture could not be saved just now. Please try again in a few minutes.")
        ) from None
    return names


def delete(names: dict[str, str]) -> None:
    for name in names.values():
        default_storage.delete(name)
