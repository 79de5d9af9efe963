"""Images staff upload: checked, then kept only as resized variants.

An upload must be a JPEG, PNG or WebP that Pillow can read, no larger than
CONTENT_IMAGE_MAX_BYTES and CONTENT_IMAGE_MAX_PIXELS. It is turned upright (EXIF
orientation) and written again at each width in VARIANT_WIDTHS it is wide enough
for, as WebP and as JPEG for browsers without WebP. Nothing of the upload is kept
but its pixels: not its file name (which could say whose photo it is) nor its
metadata (camera, time, GPS position). Each variant is named after the hash of the
upload's content, so a name never changes its content and may be cached for ever
(deploy/nginx.conf: `expires max`).
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow
from PIL import ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

VARIANT_WIDTHS = (480, 960, 1600)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 80
JPEG_QUALITY = 82
KEY_LENGTH = 32  # hex characters of SHA-256: 128 bits, never the same for two images


@dataclass(frozen=True)
class Variants:
    key: str
    width: int  # of the largest variant
    height: int
    widths: list[int]
    files: dict[str, bytes]  # name in the storage -> content


def image_checked(upload) -> Pillow.Image:
    """The upload as a Pillow image, or ValidationError saying what is wrong."""
    max_bytes = settings.CONTENT_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"Bildet er for stort. Det kan være høyst {max_bytes // 1_000_000} MB.",
            code="too_large",
        )
    try:
        upload.seek(0)
        with Pillow.open(upload) as probe:
            kind = probe.format
            pixels = probe.width * probe.height
            probe.verify()  # a truncated or corrupt file fails here
        if kind not in ACCEPTED_FORMATS:
            raise ValidationError(
                "Bare bilder i formatene JPEG, PNG og WebP kan lastes opp.",
                code="wrong_type",
            )
        if pixels > settings.CONTENT_IMAGE_MAX_PIXELS:
            raise ValidationError(
                "Bildet har for mange piksler. Gjør det mindre og prøv igjen.",
                code="too_many_pixels",
            )
        upload.seek(0)
        picture = Pillow.open(upload)
        picture.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Pillow.DecompressionBombError,
    ):
        raise ValidationError(
            "Filen er ikke et bilde vi kan lese. Bruk JPEG, PNG eller WebP.",
            code="unreadable",
        ) from None
    return picture


def image_variants(upload) -> Variants:
    """The checked upload at each width, as WebP and JPEG, named by its content."""
    picture = image_checked(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    key = digest.hexdigest()[:KEY_LENGTH]

    upright = ImageOps.exif_transpose(picture)
    if upright.mode not in ("RGB", "RGBA"):
        upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
    # Each width it is wider than, and its own (up to the largest): never enlarged.
    largest = min(upright.width, VARIANT_WIDTHS[-1])
    widths = [w for w in VARIANT_WIDTHS if w < largest] + [largest]
    files = {}
    for width in widths:
        height = round(upright.height * width / upright.width)
        resized = upright.resize((width, height), Pillow.Resampling.LANCZOS)
        files[f"bilder/{key}-{width}.webp"] = encoded(resized, "WEBP")
        files[f"bilder/{key}-{width}.jpg"] = encoded(flattened(resized), "JPEG")
    return Variants(
        key=key,
        width=largest,
        height=round(upright.height * largest / upright.width),
        widths=widths,
        files=files,
    )


def flattened(picture: Pillow.Image) -> Pillow.Image:
    """JPEG has no transparency: transparent parts become white."""
    if picture.mode != "RGBA":
        return picture
    background = Pillow.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def encoded(picture: Pillow.Image, kind: str) -> bytes:
    # Saved without `exif=` or `icc_profile=`: no metadata goes with the pixels.
    buffer = io.BytesIO()
    if kind == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        picture.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    return buffer.getvalue()


def variants_store(variants: Variants) -> None:
    for name, content in variants.files.items():
        # The same upload twice gives the same names and the same bytes.
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:  # a storage that renames would break the links
                raise RuntimeError(f"Storage saved {name!r} as {saved!r}.")


def variants_delete(*, key: str, widths: list[int]) -> None:
    for width in widths:
        for extension in ("webp", "jpg"):
            default_storage.delete(f"bilder/{key}-{width}.{extension}")
    logger.info("event=image_files_deleted key=%s files=%s", key, len(widths) * 2)
