"""Experts' photos: an upload is checked to be an image of a known format and re-encoded
with Pillow into a fresh JPEG of bounded size. Only the pixels survive: no metadata (EXIF,
GPS, comments, colour profiles), no second frame, no script of an SVG or a polyglot file.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from agent_portal.experts.errors import N_, InvalidPhoto, Size, problem
from agent_portal.experts.models import ExpertPhoto

# What an upload may be; anything else (SVG, PDF, HTML, ...) is refused.
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# The longest side of a stored photo, in pixels.
STORED_MAX_SIDE = 512
STORED_FORMAT = "JPEG"
STORED_CONTENT_TYPE = "image/jpeg"
STORED_QUALITY = 85
# Larger pictures are refused before their pixels are decoded (decompression bombs).
UPLOAD_MAX_PIXELS = 40_000_000


def reencode(data: bytes, *, max_bytes: int) -> tuple[bytes, int, int]:
    """The upload as a JPEG of at most STORED_MAX_SIDE on its longest side: (bytes, width,
    height). Raises InvalidPhoto when it is empty, too large or not an image we accept."""
    if not data:
        raise InvalidPhoto(problem(N_("The photo is empty: choose an image file.")))
    if len(data) > max_bytes:
        raise InvalidPhoto(
            problem(N_("The photo is too large: at most %(limit)s."), limit=Size(max_bytes))
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise InvalidPhoto(_not_an_image())
                if image.width * image.height > UPLOAD_MAX_PIXELS:
                    raise InvalidPhoto(_too_many_pixels())
                image.seek(0)
                image.load()
                upright = ImageOps.exif_transpose(image)
                flat = _flattened(upright)
    except InvalidPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidPhoto(_too_many_pixels()) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as error:
        raise InvalidPhoto(_not_an_image()) from error
    flat.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the upload's info travels along.
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    out = io.BytesIO()
    clean.save(out, STORED_FORMAT, quality=STORED_QUALITY, optimize=True)
    return out.getvalue(), clean.width, clean.height


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: transparency (PNG, GIF, WebP) becomes the white a page shows."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _too_many_pixels():
    return problem(N_("The photo has too many pixels: make it smaller first."))


def _not_an_image():
    return problem(N_("The file is not a photo: upload a JPEG, PNG, WebP or GIF image."))


def new_photo(data: bytes, *, max_bytes: int) -> ExpertPhoto:
    """An unsaved ExpertPhoto holding the upload re-encoded (InvalidPhoto if it is not one)."""
    encoded, width, height = reencode(data, max_bytes=max_bytes)
    return ExpertPhoto(
        content_type=STORED_CONTENT_TYPE,
        data=encoded,
        width=width,
        height=height,
        digest=hashlib.sha256(encoded).hexdigest(),
    )
