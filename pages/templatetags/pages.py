from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pages.markup import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """`{{ page.body|markdown }}`: staff's Markdown as sanitised HTML."""
    return markdown_to_html(text)


# How wide each kind of picture is shown, for the browser to choose a variant
# before the CSS has loaded (site.css sets the same widths).
SIZES = {
    "hero": "(min-width: 75rem) 35rem, (min-width: 60rem) 47vw, 100vw",
    "page": "(min-width: 46rem) 44rem, 100vw",
    "person": "(min-width: 40rem) 12rem, 40vw",
    "card": "(min-width: 64rem) 24rem, (min-width: 48rem) 50vw, 100vw",
}


@register.inclusion_tag("pages/_picture.html")
def picture(image, layout, *, width=960, eager=False, css_class=""):
    """`{% picture page.image "hero" eager=True %}`: WebP with a JPEG fallback at
    every stored width, and the width and height of the variant in `src`, so the
    browser keeps the space before it loads. `eager` for the largest image on the
    first screen: never lazy, fetched early (and `preload_picture` in the head)."""
    if image is None:
        return {"image": None}
    fallback = min(image.widths, key=lambda w: (w < width, abs(w - width)))
    return {
        "image": image,
        "webp_srcset": srcset(image, "webp"),
        "jpeg_srcset": srcset(image, "jpg"),
        "src": default_storage.url(image.variant_name(fallback, "jpg")),
        "width": fallback,
        "height": image.height_at(fallback),
        "sizes": SIZES[layout],
        "eager": eager,
        "css_class": css_class,
    }


@register.simple_tag
def preload_picture(image, layout) -> str:
    """`{% preload_picture page.image "hero" %}` in the head: the browser starts
    fetching the first screen's image before it reads the body. WebP, which every
    browser the site supports shows; `type` lets any other skip it."""
    if image is None:
        return ""
    return format_html(
        '<link rel="preload" as="image" type="image/webp" imagesrcset="{}" '
        'imagesizes="{}" fetchpriority="high">',
        srcset(image, "webp"),
        SIZES[layout],
    )


def srcset(image, extension: str) -> str:
    return ", ".join(
        f"{default_storage.url(image.variant_name(w, extension))} {w}w"
        for w in image.widths
    )
