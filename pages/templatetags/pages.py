from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import SafeString

from pages.markup import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """`{{ page.body|markdown }}`: staff's Markdown as sanitised HTML."""
    return markdown_to_html(text)


@register.inclusion_tag("pages/_picture.html")
def picture(image, *, sizes="100vw", width=960, eager=False, css_class=""):
    """`{% picture page.image sizes="(min-width: 60rem) 50vw, 100vw" eager=True %}`:
    WebP with a JPEG fallback at every stored width, and the width and height of
    the variant in `src`, so the browser keeps the space before it loads. `eager`
    for the largest image on the first screen: never lazy, fetched early."""
    if image is None:
        return {"image": None}
    widths = image.widths
    fallback = min(widths, key=lambda w: (w < width, abs(w - width)))

    def srcset(extension):
        return ", ".join(
            f"{default_storage.url(image.variant_name(w, extension))} {w}w"
            for w in widths
        )

    return {
        "image": image,
        "webp_srcset": srcset("webp"),
        "jpeg_srcset": srcset("jpg"),
        "src": default_storage.url(image.variant_name(fallback, "jpg")),
        "width": fallback,
        "height": image.height_at(fallback),
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }
