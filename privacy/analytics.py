"""Google Analytics 4 (gtag.js), only for visitors who consented to statistics."""

import json

from django.utils.html import escape

# Google's documented hosts for GA4 with gtag.js:
# https://developers.google.com/tag-platform/security/guides/csp
GOOGLE_CSP = {
    "script-src": ["https://*.googletagmanager.com"],
    "img-src": ["https://*.google-analytics.com", "https://*.googletagmanager.com"],
    "connect-src": [
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ],
}

# Consent Mode v2, basic: ads storage and signals denied, analytics granted (the
# visitor said yes to statistics and to nothing else). anonymize_ip is a no-op in
# GA4, which never logs IP addresses, but the promise is kept explicitly.
CONSENT_DEFAULTS = {
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
    "analytics_storage": "granted",
}
CONFIG = {
    "anonymize_ip": True,
    "allow_google_signals": False,
    "allow_ad_personalization_signals": False,
}


def gtag_snippet(*, measurement_id: str, nonce: str) -> str:
    loader_url = f"https://www.googletagmanager.com/gtag/js?id={measurement_id}"
    return (
        f'<script nonce="{escape(nonce)}" async src="{escape(loader_url)}"></script>'
        f'<script nonce="{escape(nonce)}">'
        "window.dataLayer=window.dataLayer||[];"
        "function gtag(){dataLayer.push(arguments);}"
        f"gtag('consent','default',{json.dumps(CONSENT_DEFAULTS)});"
        "gtag('js',new Date());"
        f"gtag('config',{json.dumps(measurement_id)},{json.dumps(CONFIG)});"
        "</script>"
    )
