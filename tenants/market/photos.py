"""An ad's photo: refuse what is not an image or too large, downscale, and re-encode as JPEG so
that no metadata (EXIF, GPS position) survives."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


def clean_photo(upload: Any) -> ContentFile:
    """A new JPEG from an uploaded file, or ValidationError with the reason."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is larger than 5 MB. Choose a smaller one."), code="too_large"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This photo has too many pixels."), code="too_large")
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : none kept
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            _("This file is not a photo we can read. Choose a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
