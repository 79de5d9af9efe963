import re

from django.template import Context, Template

from pages.markup import markdown_to_html, sanitised


def rendered(text: str) -> str:
    return Template("{% load pages %}{{ text|markdown }}").render(
        Context({"text": text})
    )


def tags(html: str) -> list[str]:
    return re.findall(r"<[^>]+>", html)


def test_markdown_gives_paragraphs_emphasis_lists_and_links():
    html = rendered(
        "Første avsnitt med **fet** og *kursiv*.\n\n- en\n- to\n\n"
        "[Kontakt](/kontakt/) og [Forbrukertilsynet](https://www.forbrukertilsynet.no/)"
    )

    assert "<p>Første avsnitt med <strong>fet</strong> og <em>kursiv</em>.</p>" in html
    assert "<ul>\n<li>en</li>\n<li>to</li>\n</ul>" in html
    assert '<a href="/kontakt/" rel="noopener">Kontakt</a>' in html
    assert 'href="https://www.forbrukertilsynet.no/"' in html


def test_a_text_heading_is_a_section_below_the_page_heading():
    html = rendered("# Påmelding\n\n## Betaling")

    assert "<h1>" not in html
    assert "<h2>Påmelding</h2>" in html
    assert "<h2>Betaling</h2>" in html


def test_script_in_a_text_is_shown_as_text_never_run():
    html = rendered("Hei <script>alert('x')</script>")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_event_handlers_never_reach_the_page():
    html = rendered('<img src="x" onerror="alert(1)">\n\n![bilde](x.png)')

    assert not [tag for tag in tags(html) if "onerror" in tag]
    assert "<img" not in html


def test_javascript_links_are_removed():
    html = rendered(
        "[klikk](javascript:alert(1)) [klikk](JAVASCRIPT:alert(1)) "
        "[klikk](data:text/html;base64,PHNjcmlwdD4=)"
    )

    assert "href" not in html


def test_the_sanitiser_removes_what_the_renderer_might_let_through():
    html = sanitised(
        '<p onclick="x()">Hei</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">a</a><img src=x onerror=alert(1)>'
        '<iframe src="https://example.com"></iframe><p style="color:red">b</p>'
    )

    assert html == '<p>Hei</p><a rel="noopener">a</a><p>b</p>'


def test_an_empty_text_renders_nothing():
    assert markdown_to_html("") == ""
