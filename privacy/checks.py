"""Deployment checks (`manage.py check --deploy`) for the privacy machinery."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def email_key_has_its_own_secret(app_configs, **kwargs):
    """Rotating SECRET_KEY must not let unsubscribed addresses back in."""
    if settings.PRIVACY_EMAIL_KEY_SECRET != settings.SECRET_KEY:
        return []
    return [
        Warning(
            "PRIVACY_EMAIL_KEY_SECRET is SECRET_KEY: rotating SECRET_KEY would break "
            "the newsletter's suppression list, the proof of consent and "
            "restrictions.",
            hint="Set PRIVACY_EMAIL_KEY_SECRET to its own 50+ random characters "
            "before the site stores any (or to today's SECRET_KEY, then rotate "
            "SECRET_KEY).",
            id="privacy.W001",
        )
    ]
