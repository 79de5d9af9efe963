"""A last line of defence: personal data must never reach the logs.

Code logs ids and event names, never names, addresses or message bodies. This filter
catches what slips through anyway (an e-mail address in a URL, a phone number in an
exception message) before it is written.
"""

import logging
import re

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Norwegian numbers (8 digits, optionally grouped and with +47/0047) and E.164.
# Groups of 2-4 digits only, so that "200 4283" (status and size) is left alone.
# A number may stand between slashes: a path segment (/kurs/91234567/) is redacted.
PHONE_NUMBER = re.compile(
    r"(?<![\w.-])((\+|00)\d{1,3} ?)?(\d{8,15}|\d{2,4}( \d{2,4}){2,5})(?![\w.-])"
)


# A signed link's token (django.core.signing: payload:timestamp:signature), as in
# /personvern/mine-data/bekreft/<token>/: whoever reads the log could use it.
SIGNED_TOKEN = re.compile(r"\.?[\w-]{8,}:[\w-]{4,}:[\w-]{16,}")


def redact(text: str) -> str:
    text = SIGNED_TOKEN.sub("[lenke]", text)
    text = EMAIL_ADDRESS.sub("[e-post]", text)
    return PHONE_NUMBER.sub("[telefon]", text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            # Exception messages can quote input: format and redact them now.
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
        return True
