"""The dashboard's SVG charts: readable without colour (patterns, markers, dashes, values
written on the chart), described for screen readers, safe with any forum name, and right
with no data or with net savings below zero."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from insights import charts
from insights.figures import MonthRow, Response
from insights.templatetags.insights_tags import NO_VALUE

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["Jan 2024", "Feb 2024", "Mar 2024"]


def _tree(svg: str) -> ET.Element:
    """Parsing fails if anything was left unescaped."""
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup, not untrusted input


def _texts(root: ET.Element, css_class: str = "value") -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == css_class]


def _bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def _response(**fields) -> Response:
    values = {
        "questions": 0,
        "due": 0,
        "answered_24h": 0,
        "answer_rate": None,
        "ttfa_median": None,
        "ttfa_p90": None,
        "peer_solutions": 0,
        "staff_solutions": 0,
        "peer_share": None,
    }
    return Response(**(values | fields))


def _month(month: int, *, deflected=0, net="0.00", **response) -> MonthRow:
    net = Decimal(net)
    return MonthRow(
        month=date(2024, month, 1),
        deflected=deflected,
        gross_savings=max(net, Decimal(0)),
        points_value=Decimal(0),
        net_savings=net,
        response=_response(**response),
    )


def test_bar_panels_fill_their_bars_with_a_pattern_per_series_and_write_each_value():
    svg = charts.bar_panels(
        chart_id="c",
        title="Savings",
        desc="Bars",
        labels=LABELS,
        series=[
            charts.Series("Deflected", [3, 5, 0], ["3", "5", "0"]),
            charts.Series("Net", [Decimal("2.5"), 1, 4], ["2.50", "1.00", "4.00"]),
        ],
    )
    root = _tree(svg)

    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"c-p0", "c-p1"}
    fills = {bar.get("fill") for bar in _bars(root)}
    assert fills == {"url(#c-p0)", "url(#c-p1)"}
    # the legend shows the same patterns as the bars
    legend = [r.get("fill") for g in root.iter(f"{SVG}g") for r in g.iter(f"{SVG}rect")]
    assert legend == ["url(#c-p0)", "url(#c-p1)"]
    assert _texts(root) == ["3", "5", "0", "2.50", "1.00", "4.00"]
    assert _texts(root, "axis")[-3:] == LABELS


def test_a_chart_has_a_title_a_description_and_an_aria_label():
    svg = charts.line_chart(
        chart_id="t",
        title="Time to first answer",
        desc="Two lines",
        labels=LABELS,
        series=[charts.Series("Median", [1, 2, 3], ["1 h", "2 h", "3 h"])],
    )
    root = _tree(svg)

    assert root.get("role") == "img"
    assert root.get("aria-label") == "Time to first answer"
    assert root.find(f"{SVG}title").text == "Time to first answer"
    assert root.find(f"{SVG}desc").text == "Two lines"
    assert root.get("aria-describedby") == "t-desc"


def test_negative_net_savings_hang_below_the_zero_line():
    svg = charts.bar_panels(
        chart_id="n",
        title="Net",
        desc="Net",
        labels=LABELS,
        series=[charts.Series("Net", [Decimal("4"), Decimal("-2"), 0], ["4", "-2", "0"])],
    )
    root = _tree(svg)
    zero = float(
        next(line for line in root.iter(f"{SVG}line") if line.get("class") == "zero").get("y1")
    )
    positive, negative, nothing = _bars(root)

    assert float(positive.get("y")) + float(positive.get("height")) == pytest.approx(zero, abs=0.1)
    assert float(negative.get("y")) == pytest.approx(zero, abs=0.1)
    assert float(negative.get("height")) > 0
    # the bar of 4 is twice as tall as the bar of -2
    assert float(positive.get("height")) == pytest.approx(
        2 * float(negative.get("height")), abs=0.2
    )
    assert float(nothing.get("height")) == 0
    # the negative value is written under its bar
    value = next(t for t in root.iter(f"{SVG}text") if t.text == "-2")
    assert float(value.get("y")) > zero + float(negative.get("height"))


def test_lines_differ_by_dash_and_marker_shape():
    svg = charts.line_chart(
        chart_id="l",
        title="TTFA",
        desc="Lines",
        labels=LABELS,
        series=[
            charts.Series("Median", [1, 2, 3], ["1", "2", "3"], below=True),
            charts.Series("P90", [4, 5, 6], ["4", "5", "6"]),
        ],
    )
    root = _tree(svg)
    lines = list(root.iter(f"{SVG}polyline"))

    assert [line.get("stroke-dasharray") for line in lines] == ["none", "7 4"]
    points = [g for g in root.iter(f"{SVG}g") if g.get("class") == "point"]
    shapes = [g[0].tag.removeprefix(SVG) for g in points]
    assert shapes == ["circle"] * 3 + ["rect"] * 3
    assert _texts(root) == ["1", "2", "3", "4", "5", "6"]


def test_a_month_without_a_value_breaks_the_line_and_draws_no_marker():
    svg = charts.line_chart(
        chart_id="g",
        title="Rate",
        desc="Rate",
        labels=LABELS,
        series=[charts.Series("Rate", [Decimal("0.5"), None, 1], ["50 %", NO_VALUE, "100 %"])],
        ceiling=1,
    )
    root = _tree(svg)

    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert _texts(root) == ["50 %", "100 %"]


@pytest.mark.parametrize("draw", [charts.bar_panels, charts.share_bars])
def test_charts_without_any_data_draw_without_dividing_by_zero(draw):
    svg = draw(
        chart_id="z",
        title="Nothing",
        desc="Nothing yet",
        labels=LABELS,
        series=[charts.Series("A", [0, 0, None], ["0", "0", NO_VALUE])],
    )

    root = _tree(svg)
    assert "nan" not in str(svg).lower()
    assert _texts(root, "axis")[-3:] == LABELS


def test_the_dashboard_charts_of_twelve_empty_months_render():
    rows = [_month(m) for m in range(1, 13)]

    drawn = charts.dashboard_charts(rows, place="the whole community")

    assert set(drawn) == {"savings", "ttfa", "answer_rate", "peer_share"}
    for svg in drawn.values():
        assert "nan" not in str(svg).lower()
        _tree(svg)


def test_the_share_chart_writes_each_share_inside_its_part():
    rows = [
        _month(1, peer_solutions=3, staff_solutions=1),
        _month(2, peer_solutions=0, staff_solutions=2),
        _month(3),
    ]

    root = _tree(charts.dashboard_charts(rows, place="x")["peer_share"])

    assert _texts(root) == ["75 %", "25 %", "100 %", NO_VALUE]
    fills = [bar.get("fill") for bar in _bars(root)]
    assert fills == [
        "url(#chart-peer-share-p0)",
        "url(#chart-peer-share-p1)",
        "url(#chart-peer-share-p1)",
    ]


def test_a_forum_name_with_markup_is_escaped_in_every_chart():
    rows = [_month(1, deflected=2, net="-3.10")]

    drawn = charts.dashboard_charts(rows, place='forum <script>alert("x")</script>')

    for svg in drawn.values():
        assert "<script>" not in str(svg)
        assert "&lt;script&gt;" in str(svg)
        assert "<script>" in _tree(svg).find(f"{SVG}title").text


def test_the_savings_chart_labels_money_for_the_language():
    rows = [_month(1, deflected=1234, net="-1.50"), _month(2, net="2345.40")]

    with translation.override("de"):
        root = _tree(charts.dashboard_charts(rows, place="x")["savings"])

    assert _texts(root) == ["1.234", "0", "-1,50", "2.345"]
    assert re.fullmatch(r"Jan\.? 2024", _texts(root, "axis")[-2])


def test_the_time_chart_is_in_hours():
    rows = [_month(1, ttfa_median=timedelta(minutes=90), ttfa_p90=timedelta(hours=22))]

    root = _tree(charts.dashboard_charts(rows, place="x")["ttfa"])

    assert _texts(root) == ["1.5 h", "22.0 h"]
