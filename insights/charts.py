"""The dashboard's charts as inline SVG, drawn on the server: no JavaScript chart library.

They must be readable without colour: series differ by hatching, marker shape and dash,
every value is written on the chart, the legend repeats the patterns, and each SVG
carries a <title>, a <desc> and an aria-label. The templates put the same numbers in a
table under each chart. Every text is escaped (forum names are typed by people).

`dashboard_charts` turns figures.months into the four charts; the drawing functions
below know nothing of the figures and take values plus their texts, formatted by the
caller for the reader's language."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.formatting import NO_VALUE, number
from insights.figures import MonthRow

Number = int | float | Decimal

WIDTH = 720
LEFT = 40
RIGHT = 8
LEGEND = 28
AXIS = 22  # month names under the plot
FONT = 11


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]  # None: nothing to show that month
    texts: Sequence[str]  # what is written on the chart for each value
    below: bool = False  # line charts: write the values under the points


@dataclass(frozen=True)
class Style:
    colour: str
    tint: str
    pattern: str  # the inside of a <pattern>, 8 x 8
    marker: str  # circle, square or triangle
    dash: str  # stroke-dasharray of a line


STYLES = (
    Style(
        "#0b5cad",
        "#dbe7f5",
        '<line x1="0" y1="8" x2="8" y2="0" stroke="{c}" stroke-width="2"/>'
        '<line x1="-2" y1="2" x2="2" y2="-2" stroke="{c}" stroke-width="2"/>'
        '<line x1="6" y1="10" x2="10" y2="6" stroke="{c}" stroke-width="2"/>',
        "circle",
        "",
    ),
    Style(
        "#8a4b00",
        "#fff3e0",
        '<circle cx="2" cy="2" r="1.6" fill="{c}"/><circle cx="6" cy="6" r="1.6" fill="{c}"/>',
        "square",
        "7 4",
    ),
    Style(
        "#106b3a",
        "#e3f4ea",
        '<path d="M0 4H8M4 0V8" stroke="{c}" stroke-width="1.5"/>',
        "triangle",
        "2 3",
    ),
)


def _n(value: float) -> str:
    """Coordinates with one decimal: short markup, no locale."""
    return f"{value:.1f}"


def _joined(parts: Sequence[SafeString]) -> SafeString:
    """Markup made by format_html, kept as it is (and anything else escaped)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _slot(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def _centre(index: int, count: int) -> float:
    return LEFT + _slot(count) * (index + 0.5)


def _defs(chart_id: str, count: int) -> SafeString:
    patterns = [
        format_html(
            '<pattern id="{}-p{}" width="8" height="8" patternUnits="userSpaceOnUse">'
            '<rect width="8" height="8" fill="{}"/>{}</pattern>',
            chart_id,
            index,
            style.tint,
            format_html(style.pattern, c=style.colour),
        )
        for index, style in enumerate(STYLES[:count])
    ]
    return format_html("<defs>{}</defs>", _joined(patterns))


def _marker(style: Style, x: float, y: float) -> SafeString:
    if style.marker == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="4.5" fill="#fff" stroke="{}" stroke-width="2"/>',
            _n(x),
            _n(y),
            style.colour,
        )
    if style.marker == "square":
        return format_html(
            '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>',
            _n(x - 4),
            _n(y - 4),
            style.colour,
        )
    points = f"{_n(x)},{_n(y - 5.5)} {_n(x + 5.5)},{_n(y + 4.5)} {_n(x - 5.5)},{_n(y + 4.5)}"
    return format_html('<polygon points="{}" fill="{}"/>', points, style.colour)


def _legend(chart_id: str, series: Sequence[Series], *, lines: bool) -> SafeString:
    """Swatches with the same pattern (bars) or dash and marker (lines) as the chart."""
    items, x = [], LEFT
    for index, one in enumerate(series):
        style = STYLES[index]
        if lines:
            swatch = format_html(
                '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2"'
                ' stroke-dasharray="{}"/>{}',
                x,
                x + 24,
                style.colour,
                style.dash or "none",
                _marker(style, x + 12, 12),
            )
        else:
            swatch = format_html(
                '<rect x="{}" y="4" width="24" height="16" fill="url(#{}-p{})" stroke="{}"/>',
                x,
                chart_id,
                index,
                style.colour,
            )
        items.append(
            format_html(
                '<g class="legend-item">{}<text x="{}" y="16" font-size="{}">{}</text></g>',
                swatch,
                x + 30,
                FONT + 1,
                one.label,
            )
        )
        x += 30 + 8 * len(one.label) + 24
    return format_html_join("", "{}", ((item,) for item in items))


def _value_text(x: float, y: float, text: str, *, anchor: str = "middle") -> SafeString:
    """A value written on the chart, with a white halo so it reads over a pattern."""
    return format_html(
        '<text class="value" x="{}" y="{}" text-anchor="{}" font-size="{}" paint-order="stroke"'
        ' stroke="#fff" stroke-width="3" stroke-linejoin="round">{}</text>',
        _n(x),
        _n(y),
        anchor,
        FONT,
        text,
    )


def _months_axis(labels: Sequence[str], y: float) -> SafeString:
    return format_html_join(
        "",
        '<text class="axis" x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>',
        ((_n(_centre(i, len(labels))), _n(y), FONT, label) for i, label in enumerate(labels)),
    )


def _zero_line(y: float, text: str = "0") -> SafeString:
    return format_html(
        '<line class="zero" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5562" stroke-width="1.5"/>'
        '<text class="axis" x="{}" y="{}" text-anchor="end" font-size="{}">{}</text>',
        LEFT,
        _n(y),
        WIDTH - RIGHT,
        _n(y),
        LEFT - 6,
        _n(y + 4),
        FONT,
        text,
    )


def _svg(chart_id: str, title: str, desc: str, height: float, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="100%" role="img"'
        ' aria-label="{title}" aria-describedby="{id}-desc"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=_n(height),
        title=title,
        desc=desc,
        body=body,
    )


def bar_panels(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """One panel of bars per series, stacked, each on its own scale (a count and an
    amount of euros do not share an axis) with its zero line: negative values hang
    below it."""
    panel, gap, pad = 130, 22, 16
    count = len(labels)
    width = _slot(count) * 0.6
    parts = [_defs(chart_id, len(series)), _legend(chart_id, series, lines=False)]
    top = LEGEND
    for index, one in enumerate(series):
        style = STYLES[index]
        known = [float(v) for v in one.values if v is not None]
        high, low = max([0.0, *known]), min([0.0, *known])
        span = (high - low) or 1.0

        def y(value: float, top=top, high=high, span=span) -> float:
            return top + gap + pad + (high - value) / span * (panel - 2 * pad)

        parts.append(
            format_html(
                '<text class="panel-title" x="{}" y="{}" font-size="{}"'
                ' font-weight="600">{}</text>',
                LEFT,
                top + 14,
                FONT + 1,
                one.label,
            )
        )
        zero = y(0.0)
        for i, (value, text) in enumerate(zip(one.values, one.texts, strict=True)):
            x = _centre(i, count)
            if value is None:
                parts.append(_value_text(x, zero - 4, NO_VALUE))
                continue
            end = y(float(value))
            parts.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="url(#{}-p{})"'
                    ' stroke="{}"><title>{}: {}</title></rect>',
                    _n(x - width / 2),
                    _n(min(zero, end)),
                    _n(width),
                    _n(abs(zero - end)),
                    chart_id,
                    index,
                    style.colour,
                    labels[i],
                    text,
                )
            )
            parts.append(_value_text(x, end - 5 if value >= 0 else end + FONT + 3, text))
        parts.append(_zero_line(zero))
        top += gap + panel
    parts.append(_months_axis(labels, top + 16))
    return _svg(chart_id, title, desc, top + AXIS, _joined(parts))


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    ceiling: Number | None = None,
) -> SafeString:
    """Lines on one scale from zero to `ceiling` (or the largest value); a month
    without a value breaks the line."""
    plot, pad = 170, 22
    count = len(labels)
    known = [float(v) for one in series for v in one.values if v is not None]
    high = float(ceiling) if ceiling is not None else max([0.0, *known])
    high = high or 1.0
    top = LEGEND + 4

    def y(value: float) -> float:
        return top + pad + (high - value) / high * (plot - 2 * pad)

    parts = [_legend(chart_id, series, lines=True), _zero_line(y(0.0))]
    for index, one in enumerate(series):
        style = STYLES[index]
        points = [
            None if value is None else (_centre(i, count), y(float(value)))
            for i, value in enumerate(one.values)
        ]
        runs, run = [], []
        for point in [*points, None]:
            if point is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(point)
        for run in runs:
            parts.append(
                format_html(
                    '<polyline class="line" fill="none" stroke="{}" stroke-width="2.5"'
                    ' stroke-dasharray="{}" points="{}"/>',
                    style.colour,
                    style.dash or "none",
                    " ".join(f"{_n(px)},{_n(py)}" for px, py in run),
                )
            )
        for i, (point, text) in enumerate(zip(points, one.texts, strict=True)):
            if point is None:
                continue
            px, py = point
            parts.append(
                format_html(
                    '<g class="point">{}<title>{}, {}: {}</title></g>',
                    _marker(style, px, py),
                    labels[i],
                    one.label,
                    text,
                )
            )
            parts.append(_value_text(px, py + FONT + 6 if one.below else py - 9, text))
    parts.append(_months_axis(labels, top + plot + 16))
    return _svg(chart_id, title, desc, top + plot + AXIS, _joined(parts))


def share_bars(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Bars of 100 %, split by each series' share of the month's total (values are
    counts). A share is written inside its part when the part is tall enough; a month
    with nothing to share shows a dash."""
    plot = 170
    count = len(labels)
    width = _slot(count) * 0.6
    top = LEGEND + 6
    bottom = top + plot
    parts = [_defs(chart_id, len(series)), _legend(chart_id, series, lines=False)]
    for i in range(count):
        x = _centre(i, count)
        total = sum(float(one.values[i] or 0) for one in series)
        if not total:
            parts.append(_value_text(x, bottom - 6, NO_VALUE))
            continue
        base = bottom
        for index, one in enumerate(series):
            height = float(one.values[i] or 0) / total * plot
            if not height:
                continue
            parts.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="url(#{}-p{})"'
                    ' stroke="{}"><title>{}, {}: {}</title></rect>',
                    _n(x - width / 2),
                    _n(base - height),
                    _n(width),
                    _n(height),
                    chart_id,
                    index,
                    STYLES[index].colour,
                    labels[i],
                    one.label,
                    one.texts[i],
                )
            )
            if height >= FONT + 8:
                parts.append(_value_text(x, base - height / 2 + FONT / 2 - 1, one.texts[i]))
            base -= height
    parts.append(_zero_line(bottom, "0 %"))
    parts.append(_months_axis(labels, bottom + 16))
    return _svg(chart_id, title, desc, bottom + AXIS, _joined(parts))


# --- the dashboard's four charts --------------------------------------------------------


def _euros(amount: Decimal) -> str:
    """Cents while they matter; the table under the chart always has them."""
    return number(amount, 2 if abs(amount) < 100 else 0)


def _percent(rate: Decimal | None) -> str:
    return NO_VALUE if rate is None else _("%(value)s %%") % {"value": number(rate * 100)}


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 3600


def _hours_text(hours: float | None) -> str:
    return NO_VALUE if hours is None else _("%(value)s h") % {"value": number(hours, 1)}


def dashboard_charts(months: Sequence[MonthRow], *, place: str) -> dict[str, SafeString]:
    """The charts for figures.months; `place` names the forum or the whole community."""
    labels = [formats.date_format(row.month, "M Y") for row in months]
    span = {"first": labels[0], "last": labels[-1]} if labels else {"first": "", "last": ""}
    table_note = _("The same numbers are in the table under the chart.")
    peer = [row.response.peer_solutions for row in months]
    staff = [row.response.staff_solutions for row in months]
    pairs = list(zip(peer, staff, strict=True))
    medians = [_hours(row.response.ttfa_median) for row in months]
    p90s = [_hours(row.response.ttfa_p90) for row in months]
    rates = [row.response.answer_rate for row in months]
    return {
        "savings": bar_panels(
            chart_id="chart-savings",
            title=_("Deflected contacts and net savings per month, %(place)s") % {"place": place},
            desc=_(
                "Two bar charts from %(first)s to %(last)s: deflected contacts, and net "
                "savings in euros (below the zero line when the points cost more than "
                "was saved)."
            )
            % span
            + " "
            + table_note,
            labels=labels,
            series=[
                Series(
                    _("Deflected contacts"),
                    [row.deflected for row in months],
                    [number(row.deflected) for row in months],
                ),
                Series(
                    _("Net savings (EUR)"),
                    [row.net_savings for row in months],
                    [_euros(row.net_savings) for row in months],
                ),
            ],
        ),
        "ttfa": line_chart(
            chart_id="chart-ttfa",
            title=_("Time to first answer per month, %(place)s") % {"place": place},
            desc=_(
                "Two lines from %(first)s to %(last)s, in hours: the median (solid, circles) "
                "and the 90th percentile (dashed, squares)."
            )
            % span
            + " "
            + table_note,
            labels=labels,
            series=[
                Series(_("Median"), medians, [_hours_text(h) for h in medians], below=True),
                Series(_("90th percentile"), p90s, [_hours_text(h) for h in p90s]),
            ],
        ),
        "answer_rate": line_chart(
            chart_id="chart-answer-rate",
            title=_("Answer rate within 24 hours per month, %(place)s") % {"place": place},
            desc=_("One line from %(first)s to %(last)s, from 0 to 100 %%.") % span
            + " "
            + table_note,
            labels=labels,
            series=[Series(_("Answered within 24 hours"), rates, [_percent(r) for r in rates])],
            ceiling=1,
        ),
        "peer_share": share_bars(
            chart_id="chart-peer-share",
            title=_("Solutions by peers and by staff per month, %(place)s") % {"place": place},
            desc=_(
                "Bars of 100 %% from %(first)s to %(last)s: the share of accepted solutions "
                "by peers (hatched, at the bottom) and by staff (dotted, on top)."
            )
            % span
            + " "
            + table_note,
            labels=labels,
            series=[
                Series(_("Peers"), peer, [_share(p, p + s) for p, s in pairs]),
                Series(_("Staff"), staff, [_share(s, p + s) for p, s in pairs]),
            ],
        ),
    }


def _share(part: int, total: int) -> str:
    return _percent(Decimal(part) / Decimal(total) if total else None)
