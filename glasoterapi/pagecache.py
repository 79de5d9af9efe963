"""Whole pages for anonymous visitors, kept per process for a short time.

The home page and the course list are the pages most visitors see first, and they are
the same for every visitor who has not granted statistics, but for two values: the
CSP nonce and the CSRF token of the consent banner's form. A cached page is stored
with both replaced by marks, and every visitor gets a fresh nonce and a freshly
masked token for their own CSRF secret (in their cookie), so the strict CSP and CSRF
protection hold as on a rendered page.

A view opts in with `@cache_for_visitors` (core/visitor_cache.py). Only a request
that cannot make the page personal is answered from the cache (see `cache_key`);
anything else, a staff member's or a visitor with a session for instance, goes
through the whole stack.
"""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import secrets
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import (
    DisallowedHost,
    ImproperlyConfigured,
    MiddlewareNotUsed,
)
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape

from core.visitor_cache import VisitorCache
from glasoterapi.gzip_parts import deflated, gzip_member, stored
from privacy.consent import COOKIE_NAME as CONSENT_COOKIE_NAME
from privacy.consent import consent_from_request

CSP_HEADER = "Content-Security-Policy"
# Random per process (as the cache is), with characters that autoescaping changes, so
# that no text on a page can contain them.
NONCE_MARK = f"<nonce {secrets.token_hex(8)}>"
CSRF_MARK = f"<csrf {secrets.token_hex(8)}>"
FRESH_MARK = f"<fresh {secrets.token_hex(8)} {{name}}>"
# django-csp's nonce: 16 random bytes, base64.
NONCE_IN_CSP = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
# What Django's {% csrf_token %} renders: a masked token of 64 letters and digits.
CSRF_IN_FORM = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
# What Django keeps in the CSRF cookie: the secret itself.
CSRF_SECRET = re.compile(rf"[a-zA-Z0-9]{{{CSRF_SECRET_LENGTH}}}")
# (secret character, mask character) -> the secret's character shifted by the
# mask's, as django.middleware.csrf._mask_cipher_secret shifts them.
SHIFTED = {
    (secret, mask): CSRF_ALLOWED_CHARS[(i + j) % len(CSRF_ALLOWED_CHARS)]
    for i, secret in enumerate(CSRF_ALLOWED_CHARS)
    for j, mask in enumerate(CSRF_ALLOWED_CHARS)
}
USABLE_BYTES = 256 - 256 % len(CSRF_ALLOWED_CHARS)
BYTE_TO_CHARACTER = bytes.maketrans(
    bytes(range(USABLE_BYTES)),
    (CSRF_ALLOWED_CHARS * (USABLE_BYTES // len(CSRF_ALLOWED_CHARS))).encode("ascii"),
)
UNUSABLE_BYTES = bytes(range(USABLE_BYTES, 256))
# Set for each response.
UNCACHED_HEADERS = {"content-length", "date", "set-cookie"}


@dataclasses.dataclass(frozen=True)
class CachedPage:
    # The page's text around the marks of its per-visitor values: marks[i] stands
    # between parts[i] and parts[i + 1]. Each part is also kept compressed, so that
    # a visitor's gzipped copy costs no compression of the page (gzip_parts).
    parts: tuple[bytes, ...]
    deflated_parts: tuple[bytes, ...]
    marks: tuple[bytes, ...]
    headers: tuple[tuple[str, str], ...]
    fresh_inputs: tuple[str, ...] = ()

    @property
    def has_csrf_token(self) -> bool:
        return CSRF_MARK.encode() in self.marks


class VisitorPageCacheMiddleware:
    """Answers anonymous visitors' GETs of opted-in pages from a per-process cache.

    Must sit after SecurityMiddleware (HTTPS redirect) and before every middleware
    that could make a page personal; CSRF and CSP are handled here for a hit.
    """

    def __init__(self, get_response):
        if settings.DEBUG:
            # While developing, an edited template shows at the next reload.
            raise MiddlewareNotUsed
        if settings.CSRF_USE_SESSIONS:
            raise ImproperlyConfigured("The page cache needs the CSRF cookie.")
        self.get_response = get_response
        self.cache = caches["fragments"]

    def __call__(self, request):
        policy = visitor_cache_policy(request)
        key = cache_key(request, policy) if policy else None
        if key is None:
            return self.get_response(request)
        page = self.cache.get(key)
        if page is not None:
            return self.serve(request, page, policy)
        response = self.get_response(request)
        page = page_from_response(request, response, policy)
        if page is not None:
            self.cache.set(key, page, policy.seconds())
        return response

    def serve(self, request, page: CachedPage, policy: VisitorCache) -> HttpResponse:
        nonce = base64.b64encode(os.urandom(16)).decode("ascii")
        secret = csrf_secret(request) if page.has_csrf_token else ""
        values = visitor_values(page, policy, nonce=nonce, csrf_secret=secret)
        filled = [values[mark] for mark in page.marks]
        if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            blocks = interleaved(page.deflated_parts, [stored(v) for v in filled])
            response = HttpResponse(
                gzip_member(blocks, interleaved(page.parts, filled))
            )
            # GZipMiddleware leaves a response with an encoding alone.
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(b"".join(interleaved(page.parts, filled)))
        for name, value in page.headers:
            response[name] = value.replace(NONCE_MARK, nonce)
        response["Content-Length"] = str(len(response.content))
        if page.has_csrf_token:
            set_csrf_cookie(response, secret)
        return response


def visitor_values(
    page: CachedPage, policy: VisitorCache, *, nonce: str, csrf_secret: str
) -> dict[bytes, bytes]:
    """What each mark in `page` stands for in this visitor's copy."""
    values = {NONCE_MARK.encode(): nonce.encode()}
    if page.has_csrf_token:
        values[CSRF_MARK.encode()] = masked(csrf_secret).encode()
    for name in page.fresh_inputs:
        values[fresh_mark(name)] = escape(policy.fresh_inputs[name]()).encode()
    return values


def interleaved(parts: tuple[bytes, ...], values: list[bytes]) -> Iterator[bytes]:
    """parts[0], values[0], parts[1], ..., parts[-1]."""
    for part, value in zip(parts, [*values, b""], strict=True):
        yield part
        yield value


def csrf_secret(request: HttpRequest) -> str:
    """The visitor's CSRF secret from their cookie, or a new one."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if CSRF_SECRET.fullmatch(secret):
        return secret
    return random_csrf_string()


def masked(secret: str) -> str:
    """A new token for `secret`, as Django's get_token() makes one: a random mask,
    then the secret shifted by it, so that no two responses carry the same token
    (BREACH). CsrfViewMiddleware unmasks it."""
    mask = random_csrf_string()
    return mask + "".join(map(SHIFTED.__getitem__, zip(secret, mask, strict=True)))


def random_csrf_string() -> str:
    """Letters and digits, uniformly random, like Django's own CSRF strings, but from
    one call to the OS's random source instead of one per character (which cost more
    than the rest of a cached page): each byte below 248 (4 × 62) gives the
    character at its value modulo 62, the others are dropped."""
    string = b""
    while len(string) < CSRF_SECRET_LENGTH:
        string += secrets.token_bytes(48).translate(BYTE_TO_CHARACTER, UNUSABLE_BYTES)
    return string[:CSRF_SECRET_LENGTH].decode("ascii")


def set_csrf_cookie(response: HttpResponse, secret: str) -> None:
    """As CsrfViewMiddleware sets it with every token: new, or renewed."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


def visitor_cache_policy(request: HttpRequest) -> VisitorCache | None:
    if request.method != "GET":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    # One spelling of each page: /kurs/x/04/pamelding/ is the page of date 4 too,
    # but kept apart it would be one more copy for every number of zeros, pushing
    # the real pages out of the cache.
    if match.kwargs and reverse(match.view_name, kwargs=match.kwargs) != request.path:
        return None
    return getattr(match.func, "visitor_cache", None)


def cache_key(request: HttpRequest, policy: VisitorCache) -> str | None:
    """The key for this request's page, or None when it must be rendered."""
    # A query string can change the page (?side=2); its pages are rendered.
    if request.META.get("QUERY_STRING"):
        return None
    # A session, a message or any other cookie can make the page personal.
    if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME, CONSENT_COOKIE_NAME}:
        return None
    consent = consent_from_request(request)
    # The Google Analytics tag and the wider CSP for them are added per visitor.
    if consent.allows_statistics:
        return None
    version = policy.version() if policy.version else ""
    # A host not in ALLOWED_HOSTS is not answered here but by the whole stack, so
    # that its 400 carries every security header. The port is left out, so that
    # nobody can fill the cache with one page per port.
    try:
        domain, _ = split_domain_port(request.get_host())
    except DisallowedHost:
        return None
    return ":".join(
        [
            "visitor-page",
            request.scheme,
            domain,
            request.path,
            "choice" if consent.has_choice else "banner",
            version,
        ]
    )


def fresh_mark(name: str) -> bytes:
    return FRESH_MARK.format(name=name).encode()


def page_from_response(
    request: HttpRequest, response, policy: VisitorCache
) -> CachedPage | None:
    """The response as a page to keep, or None when it must not be kept."""
    if not is_cacheable(response):
        return None
    content = response.content
    fresh = []
    for name in policy.fresh_inputs:
        content, found = fresh_input_marked(content, name)
        if found:
            fresh.append(name)
    # Kept with it, so that `serve` need not add it: every copy it serves is
    # compressed or not by the visitor's Accept-Encoding (as GZipMiddleware adds it).
    patch_vary_headers(response, ("Accept-Encoding",))
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in UNCACHED_HEADERS
    ]
    nonce = NONCE_IN_CSP.search(response.get(CSP_HEADER, ""))
    if nonce:
        content = content.replace(nonce.group(1).encode(), NONCE_MARK.encode())
        headers = [
            (name, value.replace(nonce.group(1), NONCE_MARK)) for name, value in headers
        ]
    tokens = set(CSRF_IN_FORM.findall(content))
    for token in tokens:
        content = content.replace(token, CSRF_MARK.encode())
    if not only_known_csrf_tokens(request, response, content, tokens):
        return None
    marks = [NONCE_MARK.encode(), CSRF_MARK.encode(), *map(fresh_mark, fresh)]
    pieces = re.split(b"(" + b"|".join(map(re.escape, marks)) + b")", content)
    parts = tuple(pieces[0::2])
    return CachedPage(
        parts=parts,
        deflated_parts=tuple(map(deflated, parts)),
        marks=tuple(pieces[1::2]),
        headers=tuple(headers),
        fresh_inputs=tuple(fresh),
    )


def fresh_input_marked(content: bytes, name: str) -> tuple[bytes, int]:
    """The page with the value of each hidden input `name` replaced by its mark,
    and how many there were."""
    field = re.compile(
        rb'(<input type="hidden" name="'
        + re.escape(name.encode())
        + rb'" value=")[^"]*"'
    )
    mark = fresh_mark(name)
    return field.subn(lambda match: match.group(1) + mark + b'"', content)


def is_cacheable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        # Only the CSRF cookie, which `serve` sets per visitor; any other cookie means
        # the page was personal after all.
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
    )


def only_known_csrf_tokens(request, response, content: bytes, tokens: set) -> bool:
    """Whether every CSRF token of this visitor's in the page is in a form field that
    `serve` fills in afresh: a token anywhere else would go to every visitor."""
    # Django sends the CSRF cookie whenever the page asked for a token.
    used = settings.CSRF_COOKIE_NAME in response.cookies
    secret = (
        response.cookies[settings.CSRF_COOKIE_NAME].value
        if used
        else request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    )
    return (
        used == bool(tokens)
        and content.count(b"csrfmiddlewaretoken") == content.count(CSRF_MARK.encode())
        and not (secret and secret.encode() in content)
    )
