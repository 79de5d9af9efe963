"""An image as other sites see it: one absolute URL with its size, for Open Graph
tags and JSON-LD. A link shared elsewhere, or read by a search engine, cannot
resolve "/media/..." against our address, and neither reads a srcset."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static

from pages.models import Image

# The site's own picture for pages without one (1200 x 630, the size Facebook and
# LinkedIn recommend for a link preview), drawn with Pillow from the favicon's mark,
# DejaVu Sans and the site's accent colour: no photo, nothing fetched.
DEFAULT_IMAGE = "img/deling.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
DEFAULT_IMAGE_ALT = "glasoterapi.no: kurs og seminarer i glasoterapi"


@dataclass(frozen=True)
class SharedImage:
    url: str
    width: int
    height: int
    alt: str


def absolute(url: str) -> str:
    """A storage or static URL, absolute against SITE_URL unless it already is."""
    if url.startswith(("https://", "http://")):
        return url
    return settings.SITE_URL + url


def shared_image(image: Image | None) -> SharedImage:
    """The largest JPEG variant of `image` (every reader takes JPEG; not all take
    WebP), or the site's default picture when there is none."""
    if image is None or not image.widths:
        width, height = DEFAULT_IMAGE_SIZE
        return SharedImage(
            absolute(static(DEFAULT_IMAGE)), width, height, DEFAULT_IMAGE_ALT
        )
    width = max(image.widths)
    return SharedImage(
        url=absolute(default_storage.url(image.variant_name(width, "jpg"))),
        width=width,
        height=image.height_at(width),
        alt=image.alt,
    )
