"""Settings for glasoterapi.no, read from the environment (or a `.env` file).

Every variable is documented in `.env.example` and in the README. Local development
needs no `.env` at all; production (`DEBUG=False`) refuses to start without a real
`SECRET_KEY` and `ALLOWED_HOSTS`.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)

INSECURE_SECRET_KEY_PREFIX = "django-insecure-"  # noqa: S105 (a marker, not a key)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default=f"{INSECURE_SECRET_KEY_PREFIX}local-development-only" if DEBUG else "",
)
# The key of the keyed hashes that let the site recognise an address it no longer
# keeps (the newsletter's suppression list, proof of consent, restrictions). Set it
# to the old SECRET_KEY before rotating SECRET_KEY, or every suppressed address
# could be added again.
PRIVACY_EMAIL_KEY_SECRET = env.str("PRIVACY_EMAIL_KEY_SECRET", default=SECRET_KEY)
# The erasure journal: every erasure and unsubscription as a keyed hash, in a file
# outside the database, so that a restored backup can have them done again
# (`manage.py replay_erasure_journal`; the README's "Backup and restore"). Not on
# the disk the backups are kept on, and never restored with one. Production sets
# it (check --deploy fails without); the site's user must be able to append.
PRIVACY_ERASURE_JOURNAL = env.str(
    "PRIVACY_ERASURE_JOURNAL",
    default=str(BASE_DIR / "erasure-journal.jsonl") if DEBUG else "",
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)


def passkey_origin(site_url: str) -> str:
    """SITE_URL when it is HTTPS; otherwise the same port on http://localhost, the
    one plain-HTTP origin where browsers allow passkeys (and a domain, not an IP)."""
    parts = urlsplit(site_url)
    if parts.scheme == "https":
        return f"https://{parts.netloc}"
    return f"http://localhost:{parts.port}" if parts.port else "http://localhost"


def refuse_insecure_production(*, secret_key: str, allowed_hosts: list[str]) -> None:
    """Fail at start-up, naming the variable, rather than run production unsafely."""
    if not secret_key or secret_key.startswith(INSECURE_SECRET_KEY_PREFIX):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG=False."
        )
    if len(secret_key) < 50 or len(set(secret_key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too short or too simple: use at least 50 random characters."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the site's host names when DEBUG=False."
        )


if not DEBUG:
    refuse_insecure_production(secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "staff.admin_site.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "outbox",
    "staff",
    "glasoterapi",
    "privacy",
    "newsletter",
    "contact",
    # Before courses: courses point at its people and images (and seed_demo fills
    # it first).
    "pages",
    "courses",
]

MIDDLEWARE = [
    # Outermost, so that it compresses the page as sent. Django pads compressed
    # responses with random bytes against BREACH (since 4.2).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that could make a page personal: it only answers
    # requests that cannot (glasoterapi/pagecache.py), and keeps the headers of
    # the page it stored, those of the middleware below included.
    "glasoterapi.pagecache.VisitorPageCacheMiddleware",
    # Outside CommonMiddleware: an error it answers early (a 400 for an unknown
    # host) still gets the CSP, X-Frame-Options and Permissions-Policy.
    "glasoterapi.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "staff.middleware.StaffIdleTimeoutMiddleware",
    # Inside CSPMiddleware: it widens the CSP for visitors who consented.
    "privacy.middleware.ConsentMiddleware",
    # Last: turns a locked-out login into the Norwegian lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "glasoterapi.urls"
WSGI_APPLICATION = "glasoterapi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "glasoterapi.context_processors.business",
                "privacy.context_processors.consent",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
# SQLite by default; PostgreSQL (psycopg 3) when DATABASE_URL is set, e.g.
# postgres://user:password@host:5432/name
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so that concurrent
    # writers queue (up to `timeout` seconds) instead of failing with "database is
    # locked" halfway through: https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Persistent connections, checked before reuse so a restarted server recovers.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Cache
# ------------------------------------------------------------------------------
# The database cache by default, so that every gunicorn process shares it (rate
# limits must hold across processes); CACHE_URL=redis://127.0.0.1:6379/1 for Redis.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://django_cache"),
    # Per process, for rendered fragments that may be a minute old (the home
    # page's course list): correctness never depends on it.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# How long the home page's list of upcoming courses may be stale (seconds).
HOME_COURSES_CACHE_SECONDS = env.int("HOME_COURSES_CACHE_SECONDS", default=60)
# How long the course list may miss what changes with time alone (a sign-up deadline
# that passes); a change to a course, date or booking shows at once.
COURSE_LIST_CACHE_SECONDS = env.int("COURSE_LIST_CACHE_SECONDS", default=60)

# ------------------------------------------------------------------------------
# Mail
# ------------------------------------------------------------------------------
# EMAIL_URL=smtp+tls://user:password@smtp.example.no:587 in production.
# Sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS and EMAIL_USE_SSL from one URL (django-environ's documented idiom).
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="glasoterapi.no <post@glasoterapi.no>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Mail is queued in the database (outbox.services) and sent by
# `manage.py send_queued_mail`. Locally it is also sent right after the request.
MAIL_SEND_ON_COMMIT = env.bool("MAIL_SEND_ON_COMMIT", default=DEBUG)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)
# A mail claimed by a worker longer ago than this is taken over by another: the
# first one died. Longer than any batch takes to send.
MAIL_STALE_CLAIM_SECONDS = env.int("MAIL_STALE_CLAIM_SECONDS", default=600)
MAIL_RETENTION_DAYS = env.int("MAIL_RETENTION_DAYS", default=30)
# send_queued_mail exits non-zero (cron then mails the operator) while mail has
# failed to get through for this long.
MAIL_ALERT_MINUTES = env.int("MAIL_ALERT_MINUTES", default=30)

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REDIRECT_EXEMPT = [r"^helse/$"]  # load balancers probe over plain HTTP
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "glasoterapi.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Moving the admin away from /admin/ takes it out of the scanners' first guess.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
# Where a login with no safe `next` ends (the passkey step's answer included).
LOGIN_REDIRECT_URL = "/" + ADMIN_URL

# Strict CSP: scripts and styles only from this site or with the request's nonce.
# Google's hosts are added per response, and only for visitors who consented.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Features this site never uses are switched off for every page and any embed.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
    "browsing-topics": [],
}

# ------------------------------------------------------------------------------
# Staff login
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username or client before the
    # password is even checked. https://django-axes.readthedocs.io/
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Locked: one account from one client, and one client whatever account it tries.
# Never an account by its name alone: a stranger elsewhere could then lock staff
# out with five wrong passwords. Guessing one account from many clients still
# meets the second factor.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
# No log of successful logins (IP addresses and user agents we have no use for),
# and no verbose axes log lines (they carry the IP address); lockouts are logged
# by staff/apps.py (log_lockout) without personal data.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (1 behind
# nginx or a load balancer). Rate limits and login throttling key on the visitor's
# address; with 0 behind a proxy every visitor would share the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The lockout asks the rate limits' function for the client's address, so that both
# read X-Forwarded-For alike. (axes would use django-ipware, which is not installed;
# without either it keys on REMOTE_ADDR, the proxy's address for every visitor.)
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=60)
# Two-factor login for staff (staff.twofactor): the issuer shown in the app.
OTP_TOTP_ISSUER = "glasoterapi.no"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ------------------------------------------------------------------------------
# Language and time
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
# "kl. 14.05" rather than Django's "14:05" (glasoterapi/formats/nb/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]
# What Django's own nb translation lacks (the admin's newer strings).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static files
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# ------------------------------------------------------------------------------
# Uploaded images (pages/images.py)
# ------------------------------------------------------------------------------
# Only resized variants under content-hashed names are stored here; in production
# nginx serves MEDIA_URL from this directory with `expires max` (deploy/nginx.conf).
# https://docs.djangoproject.com/en/5.2/ref/settings/#media-root
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Django serves MEDIA_URL itself: for `make run` (DEBUG) and `make serve`; never
# needed behind nginx.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
CONTENT_IMAGE_MAX_BYTES = env.int("CONTENT_IMAGE_MAX_BYTES", default=10_000_000)
# A bigger picture than this (a 40-megapixel camera's) is refused before it is
# decoded: a small file can unpack to gigabytes (a decompression bomb).
CONTENT_IMAGE_MAX_PIXELS = env.int("CONTENT_IMAGE_MAX_PIXELS", default=40_000_000)
# How long "Om oss" and the purchase terms may be kept for anonymous visitors; an
# edit shows at once (pages/version.py).
CONTENT_PAGE_CACHE_SECONDS = env.int("CONTENT_PAGE_CACHE_SECONDS", default=600)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def static_file_headers(headers, path: str, url: str) -> None:
    """Static files carry the pages' security headers too (an SVG opened on its
    own, say): whitenoise answers them before any middleware runs. Built once,
    not once per file."""
    from glasoterapi.middleware import security_headers  # imports Django settings

    if not _static_security_headers:
        _static_security_headers.update(security_headers())
    for name, value in _static_security_headers.items():
        headers.setdefault(name, value)


# Lower case: not a setting, only the headers built at the first static file.
_static_security_headers: dict[str, str] = {}


# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_ADD_HEADERS_FUNCTION
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# ------------------------------------------------------------------------------
# Logging: one line per event on stdout, key=value, never personal data.
# ------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_data": {"()": "core.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "keyvalue": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "keyvalue",
            "filters": ["redact_personal_data"],
        },
        # Errors to ADMINS, queued in the outbox (outbox/logging.py), redacted.
        "admins": {
            "()": "outbox.logging.QueuedAdminEmailHandler",
            "formatter": "keyvalue",
            "filters": ["redact_personal_data"],
        },
    },
    "root": {"handlers": ["stdout", "admins"], "level": LOG_LEVEL},
    "loggers": {
        "django": {
            "handlers": ["stdout", "admins"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}
# Who gets the errors by mail, "Name <address>" or addresses, comma-separated:
# ADMINS=drift@glasoterapi.no. Empty: errors only in the log.
ADMINS = [
    ("", address) for address in env.list("ADMINS", default=[]) if address.strip()
]
EMAIL_SUBJECT_PREFIX = "[glasoterapi.no] "

# ------------------------------------------------------------------------------
# The business: who is responsible for the site (core/business.py)
# ------------------------------------------------------------------------------
# The name the site goes by in titles, greetings and sign-offs.
BUSINESS_NAME = env.str("BUSINESS_NAME", default="Glasoterapi")
# Who the business is, in the footer, the privacy statement, every mail, Mine data's
# download and the record of processing: GDPR art. 13(1)(a), and ehandelsloven § 8
# (name, geographic address, e-mail and organisation number on the site). Production
# sets every one: `check --deploy` fails while one is empty (glasoterapi/checks.py).
# With DEBUG=True they default to placeholders that are plainly not real.
BUSINESS_LEGAL_NAME = env.str(
    "BUSINESS_LEGAL_NAME", default="Glasoterapi Demo AS" if DEBUG else ""
)
# Nine digits (spaces allowed); an invalid number stops every start (the check).
BUSINESS_ORGNR = env.str("BUSINESS_ORGNR", default="123456785" if DEBUG else "")
BUSINESS_ADDRESS = env.str(
    "BUSINESS_ADDRESS", default="Eksempelveien 1, 0150 Oslo" if DEBUG else ""
)
BUSINESS_PHONE = env.str("BUSINESS_PHONE", default="+47 12 34 56 78" if DEBUG else "")
BUSINESS_EMAIL = env.str(
    "BUSINESS_EMAIL", default="post@glasoterapi.no" if DEBUG else ""
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Passkeys for staff (django-otp-webauthn, a second factor only: never instead of
# the password). A passkey belongs to a domain name, and browsers allow WebAuthn
# only over HTTPS or on http://localhost; so a plain-HTTP SITE_URL such as
# http://127.0.0.1:8000 enrols passkeys at http://localhost:8000 instead.
# https://django-otp-webauthn.readthedocs.io/en/latest/reference/settings.html
PASSKEY_ORIGIN = env.str("PASSKEY_ORIGIN", default=passkey_origin(SITE_URL))
OTP_WEBAUTHN_RP_ID = urlsplit(PASSKEY_ORIGIN).hostname
OTP_WEBAUTHN_RP_NAME = "glasoterapi.no"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [PASSKEY_ORIGIN]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# ------------------------------------------------------------------------------
# Privacy
# ------------------------------------------------------------------------------
# Bump when the privacy statement changes in substance; with the declared
# non-necessary cookies it makes the consent revision, so visitors are asked again.
# The year and month it was published, with -2, -3 ... for a further version in the
# same month. The version it replaces goes to privacy/templates/privacy/archive/.
PRIVACY_POLICY_VERSION = "2026-12-2"
PRIVACY_CONSENT_MAX_AGE_DAYS = env.int("PRIVACY_CONSENT_MAX_AGE_DAYS", default=365)
# Consent records are proof (GDPR art. 7(1)) kept for the general limitation
# period of three years (foreldelsesloven § 2).
PRIVACY_CONSENT_RECORD_RETENTION_DAYS = env.int(
    "PRIVACY_CONSENT_RECORD_RETENTION_DAYS", default=3 * 365
)
# Where a new data-subject request is announced (a link to it in admin, nothing of
# the person); empty: the addresses of the Personvern group's members.
PRIVACY_NOTIFY_EMAILS = env.list("PRIVACY_NOTIFY_EMAILS", default=[])
# The log of staff exports of personal data (privacy.AccessAudit).
PRIVACY_ACCESS_AUDIT_RETENTION_DAYS = env.int(
    "PRIVACY_ACCESS_AUDIT_RETENTION_DAYS", default=365
)
# Who receives personal data besides us, each "Name, Country" (GDPR art. 13(1)(e)):
# the processor that hosts the site (personvernerklæringen punkt 6), the e-mail
# provider the site sends through, and the accounting system invoices go to. The
# privacy page names them; check --deploy fails while one is empty.
PRIVACY_DATA_PROCESSOR = env.str(
    "PRIVACY_DATA_PROCESSOR", default="Lykke Media AS, Norge"
)
PRIVACY_EMAIL_PROVIDER = env.str(
    "PRIVACY_EMAIL_PROVIDER", default="Demo E-post AS, Norge" if DEBUG else ""
)
PRIVACY_ACCOUNTING_SYSTEM = env.str(
    "PRIVACY_ACCOUNTING_SYSTEM", default="Demo Regnskap AS, Norge" if DEBUG else ""
)
GA_MEASUREMENT_ID = env.str("GA_MEASUREMENT_ID", default="")
# What the Google Analytics property is set to keep (Admin > Data collection and
# modification > Data retention: 2 or 14 months); the privacy page says it.
GA_DATA_RETENTION_MONTHS = env.int("GA_DATA_RETENTION_MONTHS", default=2)
# Newsletter: confirmation links live 7 days; a new one to the same address is sent
# at most this often, and unconfirmed sign-ups are deleted after this many days.
NEWSLETTER_RESEND_MINUTES = env.int("NEWSLETTER_RESEND_MINUTES", default=10)
NEWSLETTER_PENDING_RETENTION_DAYS = env.int(
    "NEWSLETTER_PENDING_RETENTION_DAYS", default=30
)
NEWSLETTER_SIGNUP_RATE_LIMIT = env.int("NEWSLETTER_SIGNUP_RATE_LIMIT", default=10)
# Soft opt-in ends this many months after the customer's last course
# (markedsføringsloven § 15 second paragraph: an existing customer relationship).
NEWSLETTER_CUSTOMER_MONTHS = env.int("NEWSLETTER_CUSTOMER_MONTHS", default=24)

# ------------------------------------------------------------------------------
# Contact
# ------------------------------------------------------------------------------
# Staff addresses told about each new inquiry (a link to it in admin, no content).
CONTACT_NOTIFY_EMAILS = env.list("CONTACT_NOTIFY_EMAILS", default=[])
# Inquiries are deleted this many days after they are closed (contact/privacy.py).
CONTACT_RETENTION_DAYS = env.int("CONTACT_RETENTION_DAYS", default=365)
# Spam protection without third parties: submissions per client per hour, counted
# in the shared cache, and the least number of seconds between showing the form
# and receiving it (people take longer than that; simple bots do not).
CONTACT_RATE_LIMIT = env.int("CONTACT_RATE_LIMIT", default=10)
CONTACT_MIN_FILL_SECONDS = env.int("CONTACT_MIN_FILL_SECONDS", default=3)

# ------------------------------------------------------------------------------
# Courses
# ------------------------------------------------------------------------------
# Names and addresses of participants and contacts are anonymised this many days
# after the course date (courses/privacy.py); invoicing data follows bokføringsloven.
COURSES_PARTICIPANT_RETENTION_DAYS = env.int(
    "COURSES_PARTICIPANT_RETENTION_DAYS", default=365
)
# The most participants one sign-up (one invoice) may have; larger groups call us.
COURSES_MAX_PARTICIPANTS_PER_BOOKING = env.int(
    "COURSES_MAX_PARTICIPANTS_PER_BOOKING", default=20
)
# Sign-ups per client per hour: stops one client from filling seats with fakes.
COURSES_SIGNUP_RATE_LIMIT = env.int("COURSES_SIGNUP_RATE_LIMIT", default=10)
# How long a seat from the waitlist is held for its contact to confirm it with the
# invoicing details (never past the course's start); then it goes to the next.
COURSES_SEAT_OFFER_HOURS = env.int("COURSES_SEAT_OFFER_HOURS", default=48)

# Errors to Sentry when SENTRY_DSN is set, without personal data: sentry-sdk sends
# no cookies, user or IP address by default, here no local variables or request
# bodies either, and core.error_reports.scrub_event removes and redacts the rest.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    from core.error_reports import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
