"""The palette in static/css/site.css meets WCAG 2.1 AA for every pair of colours
the stylesheet declares it uses (its `@contrast` lines): text at least 4.5:1
(success criterion 1.4.3), borders and focus rings at least 3:1 (1.4.11)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
MINIMUM_RATIO = {"text": 4.5, "ui": 3.0}
PAIR = re.compile(r"@contrast\s+(text|ui)\s+(--[\w-]+)\s+on\s+(--[\w-]+)")
HEX_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\s*;")


def palette(css: str) -> dict[str, str]:
    """The custom properties of the first `:root` block that are hex colours."""
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return {name: value for name, value in HEX_PROPERTY.findall(root)}


def declared_pairs(css: str) -> list[tuple[str, str, str]]:
    return PAIR.findall(css)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    if len(hex_colour) == 3:
        hex_colour = "".join(digit * 2 for digit in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio("000000", "ffffff") == pytest.approx(21)
    assert contrast_ratio("ffffff", "ffffff") == pytest.approx(1)
    # #767676 on white is the lightest grey that passes 4.5:1.
    assert contrast_ratio("767676", "ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_stylesheet_declares_the_pairs_it_uses():
    css = CSS.read_text()
    colours = palette(css)
    pairs = declared_pairs(css)

    assert len(pairs) >= 20
    undefined = {name for _, *names in pairs for name in names} - colours.keys()
    assert undefined == set()


@pytest.mark.parametrize(
    ("kind", "foreground", "background"), declared_pairs(CSS.read_text())
)
def test_every_declared_pair_meets_wcag_aa(kind, foreground, background):
    colours = palette(CSS.read_text())

    ratio = contrast_ratio(colours[foreground], colours[background])

    assert ratio >= MINIMUM_RATIO[kind], f"{foreground} on {background}: {ratio:.2f}:1"
