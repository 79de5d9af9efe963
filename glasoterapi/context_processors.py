from core.business import business as current_business


def business(request):
    """Who the business is, for the footer and the privacy statement."""
    return {"business": current_business()}
