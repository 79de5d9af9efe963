"""Error reports to Sentry (when SENTRY_DSN is set) carry no personal data.

sentry-sdk sends no cookies, user or IP address by default, and is told to send no
local variables or request bodies; this hook removes what it would still send —
query strings, headers beyond a few harmless ones, the command line, breadcrumb
data — and redacts e-mail addresses, phone numbers and signed link tokens from
every string left (messages, exception values, the URL), as the log filter does.
"""

from typing import Any

from core.logging import redact

KEPT_HEADERS = {"Accept", "Accept-Language", "Host", "User-Agent", "Referer"}


def scrub_event(event: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    request["headers"] = {
        name: value for name, value in headers.items() if name.title() in KEPT_HEADERS
    }
    event.pop("user", None)
    # A command's arguments can name a person (`reset_2fa kari`).
    (event.get("extra") or {}).pop("sys.argv", None)
    if isinstance(event.get("logentry"), dict):
        event["logentry"].pop("params", None)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        crumb.pop("data", None)
    # Whatever else quotes input (an exception's message, a log line): every
    # string left is redacted.
    return redacted(event)


def redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redacted(item) for item in value]
    return value
