from django.conf import settings


def business(request):
    """The business's contact details, for the footer and the privacy statement."""
    return {
        "business": {
            "name": settings.BUSINESS_NAME,
            "email": settings.BUSINESS_EMAIL,
            "phone": settings.BUSINESS_PHONE,
            "address": settings.BUSINESS_ADDRESS,
            "orgnr": settings.BUSINESS_ORGNR,
        }
    }
