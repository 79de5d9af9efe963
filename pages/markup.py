"""Staff's texts in a small, safe markup: Markdown, rendered by markdown-it-py with
raw HTML switched off, then cleaned by nh3 (ammonia) down to the few tags a text on
this site needs. Two layers on purpose: whatever slips past the renderer (a link
scheme, an attribute) the sanitiser removes."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "commonmark" with html=False: `<script>` in a text is shown as text, not run.
MARKDOWN = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
)
# A page's own heading is its h1; a text's headings start at h2.
TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def markdown_to_html(text: str) -> SafeString:
    """Markdown as sanitised HTML, safe to put in a page."""
    rendered = MARKDOWN.render(text or "")
    # "# Påmelding" in a text is a section of the page, as "## Påmelding" is.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitised(rendered)


def sanitised(html: str) -> SafeString:
    """Only the allowed tags, attributes and link schemes of `html` are left."""
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)
