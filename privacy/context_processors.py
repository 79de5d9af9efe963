from privacy.consent import NO_CHOICE, categories_in_use

SETTINGS_PATH = "/personvern/informasjonskapsler/"


def consent(request):
    """Whether to show the banner: until the visitor chooses, and only when there is
    something to choose (a non-necessary cookie is declared and analytics is on)."""
    current = getattr(request, "consent", NO_CHOICE)
    return {
        "consent": current,
        "show_consent_banner": (
            not current.has_choice
            and bool(categories_in_use())
            and request.path != SETTINGS_PATH
        ),
    }
