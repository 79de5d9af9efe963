"""Bar charts drawn on the server as inline SVG: no script, no third party, and
nothing the Content-Security-Policy forbids (colours come from classes in
staff/admin.css, never from style attributes)."""

import dataclasses
from datetime import date

from django.utils.formats import date_format

from core.norwegian import kroner
from courses.selectors import Revenue

BAR_WIDTH = 28
BAR_GAP = 12
PLOT_HEIGHT = 160
LABEL_HEIGHT = 20


@dataclasses.dataclass(frozen=True)
class Bar:
    """One month: the part without VAT at the bottom, the VAT on top of it, so the
    whole bar is the amount with VAT."""

    label: str
    title: str
    x: float
    label_x: float
    net_y: float
    net_height: float
    vat_y: float
    vat_height: float


@dataclasses.dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    plot_height: int
    label_y: int
    bar_width: int
    largest: str  # the amount of the tallest bar, written out


def revenue_chart(months: list[tuple[date, Revenue]]) -> BarChart:
    largest = max((revenue.total for _, revenue in months), default=0)
    scale = PLOT_HEIGHT / largest if largest else 0
    bars = []
    for index, (month, revenue) in enumerate(months):
        x = BAR_GAP / 2 + index * (BAR_WIDTH + BAR_GAP)
        net_height = round(float(revenue.net) * float(scale), 1)
        total_height = round(float(revenue.total) * float(scale), 1)
        bars.append(
            Bar(
                label=date_format(month, "b"),
                title=(
                    f"{date_format(month, 'F Y')}: {kroner(revenue.net)} ekskl. mva, "
                    f"{kroner(revenue.total)} inkl. mva"
                ),
                x=x,
                label_x=x + BAR_WIDTH / 2,
                net_y=round(PLOT_HEIGHT - net_height, 1),
                net_height=net_height,
                vat_y=round(PLOT_HEIGHT - total_height, 1),
                vat_height=round(total_height - net_height, 1),
            )
        )
    return BarChart(
        bars=bars,
        width=len(months) * (BAR_WIDTH + BAR_GAP),
        height=PLOT_HEIGHT + LABEL_HEIGHT,
        plot_height=PLOT_HEIGHT,
        label_y=PLOT_HEIGHT + LABEL_HEIGHT - 5,
        bar_width=BAR_WIDTH,
        largest=kroner(largest),
    )
