from django.conf import settings

from core.business import business as current_business


def business(request):
    """Who the business is, for the footer and the privacy statement, and the
    site's own address, for links shared elsewhere (Open Graph)."""
    return {"business": current_business(), "site_url": settings.SITE_URL}
