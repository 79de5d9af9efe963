import pytest

PUBLIC_PAGES = ["/"]

SECURITY_HEADERS = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
]


def csp_directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip()
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_in_norwegian(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_sends_security_headers(client, path):
    response = client.get(path)

    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value
    permissions = response["Permissions-Policy"]
    for feature in (
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "interest-cohort=()",
    ):
        assert feature in permissions


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_a_strict_content_security_policy(client, path):
    response = client.get(path)

    directives = csp_directives(response)
    for directive in CSP_DIRECTIVES:
        assert directive in directives.values()
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
def test_unknown_url_gives_the_norwegian_404_page(client):
    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()
    assert response["Content-Security-Policy"]


@pytest.mark.django_db
def test_form_without_csrf_token_gets_the_norwegian_csrf_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {})

    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()


@pytest.mark.django_db
def test_home_page_links_to_privacy_and_cookie_settings_in_the_footer(client):
    content = client.get("/").content.decode()

    assert 'href="/personvern/"' in content
    assert 'href="/personvern/informasjonskapsler/"' in content
    assert 'href="/kontakt/"' in content
    assert "Hopp til hovedinnholdet" in content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/kurs/", "/kontakt/", "/personvern/"])
def test_every_footer_says_who_the_business_is(client, business_identity, path):
    """Ehandelsloven § 8: name, geographic address, e-mail and organisation number
    on the site (the footer once had only the e-mail address)."""
    content = client.get(path).content.decode()
    footer = content[content.index('<footer class="site-footer">') :]

    assert "Glasoterapi AS, org.nr. 310 123 455" in footer
    assert "Storgata 1, 0155 Oslo" in footer
    assert '<a href="mailto:post@glasoterapi.no">post@glasoterapi.no</a>' in footer
    assert '<a href="tel:+4722334455">+47 22 33 44 55</a>' in footer


@pytest.mark.django_db
def test_search_engines_get_a_sitemap_of_public_pages_and_published_courses(client):
    """Found (issue #17): no sitemap.xml, robots.txt or canonical links."""
    from courses.models import Course

    Course.objects.create(
        title="Grunnkurs", slug="grunnkurs", price=4500, is_published=True
    )
    Course.objects.create(title="Utkast", slug="utkast", price=4500)

    sitemap = client.get("/sitemap.xml").content.decode()
    robots = client.get("/robots.txt")

    assert "<loc>http://testserver/kurs/grunnkurs/</loc>" in sitemap
    assert "<loc>http://testserver/kjopsvilkar/</loc>" in sitemap
    assert "utkast" not in sitemap
    assert "mine-data" not in sitemap
    assert robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /personvern/mine-data/" in robots.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots.content.decode()
    assert "admin" not in robots.content.decode()


@pytest.mark.django_db
def test_every_page_names_its_canonical_address(client):
    page = client.get("/kurs/?side=1").content.decode()

    assert '<link rel="canonical" href="http://127.0.0.1:8000/kurs/">' in page
