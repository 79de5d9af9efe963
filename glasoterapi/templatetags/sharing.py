"""Tags for what a page says about itself to other sites: its title and
description once for the <title>, the meta description and Open Graph, and its
picture for a shared link."""

from django import template
from django.utils.safestring import mark_safe

from pages.sharing import shared_image

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist  # found by {% extends %}: blocks inside still work
        self.name = name

    def render(self, context):
        # The output is rendered template text, escaped already.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture page_title %}{% block title %}…{% endblock %}{% endcapture %}`:
    a block's text in a variable, so one block fills several tags."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError(
            "{% capture name %} takes one name."
        ) from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.inclusion_tag("_share_image.html")
def share_image(image=None):
    """`{% share_image course.image %}`: og:image with its size and text, and the
    same for Twitter's large card; the site's picture when `image` is None."""
    return {"shared": shared_image(image)}
