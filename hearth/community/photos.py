"""Photo shares: check what was uploaded by decoding it, then re-encode it so no metadata survives.

The type is decided by Pillow decoding the bytes, never by the file name or
the browser's content type. Re-encoding from pixels drops EXIF (including
GPS), XMP and ICC comments; the stored file is a fresh JPEG (or PNG when the
picture has transparency). Photos are served only through
``community:photo``, which runs the access check.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from hearth.core.errors import ActionError

MAX_BYTES = 8 * 1024 * 1024
# Pillow's own bomb limit is about 89 megapixels; 40 is plenty for a phone photo.
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048  # stored photos are scaled down to fit this square
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class StoredPhoto:
    name: str
    content_type: str


def check_photo(upload: UploadedFile[bytes]) -> Image.Image:
    """Decode the upload fully, or raise ``ActionError`` saying what to do instead."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ActionError("That photo is too big (the limit is 8 MB). Try a smaller photo or a screenshot of it.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ActionError("That photo is too big (the limit is 8 MB). Try a smaller photo or a screenshot of it.")
    try:
        with warnings.catch_warnings():
            # Pillow warns between MAX_PIXELS and 2 x MAX_PIXELS; we refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise ActionError("Photos can be JPEG, PNG, GIF or WebP pictures. That file isn't one of those.")
            if image.width * image.height > MAX_PIXELS:
                raise ActionError("That picture has too many pixels to share here. Try a smaller version of it.")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ActionError("That picture has too many pixels to share here. Try a smaller version of it.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ActionError(
            "That file isn't a picture we can open. Photos can be JPEG, PNG, GIF or WebP pictures."
        ) from None
    return image


def reencode(image: Image.Image) -> tuple[bytes, str, str]:
    """Fresh pixels in a fresh file: returns (bytes, extension, content type). No metadata is copied."""
    image = ImageOps.exif_transpose(image) or image  # keep the photo the right way up before EXIF goes
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        clean = Image.new("RGBA", image.size)
        clean.paste(image.convert("RGBA"))
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png", "image/png"
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg", "image/jpeg"


def store_photo(upload: UploadedFile[bytes]) -> StoredPhoto:
    """Check, re-encode and save an upload; returns the storage name."""
    data, ext, content_type = reencode(check_photo(upload))
    name = default_storage.save(f"community/photos/{uuid.uuid4().hex}.{ext}", ContentFile(data))
    return StoredPhoto(name=name, content_type=content_type)


def content_type_of(name: str) -> str:
    return "image/png" if name.endswith(".png") else "image/jpeg"


def delete_photo(name: str) -> None:
    if name:
        default_storage.delete(name)
