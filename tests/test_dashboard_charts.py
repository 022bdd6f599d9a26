"""The dashboard's SVG charts: well-formed, accessible, escaped, scaled to round maxima."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from ciwhy.web.dashboard.charts import chart, nice_ceiling, sparkline

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_is_an_accessible_image_with_axes_and_a_tooltip_per_point(kind: str) -> None:
    points = [(f"11-{d:02d}", float(n)) for d, n in zip(range(1, 8), [0, 3, 1, 7, 2, 0, 4],
                                                        strict=True)]  # fmt: skip
    root = parse(chart(points, label="Failures per day", unit="failures", kind=kind))
    assert root.get("role") == "img" and root.get("aria-label") == "Failures per day"
    assert root.find(f"{NS}title").text == "Failures per day"
    marks = root.findall(f".//{NS}rect" if kind == "bar" else f".//{NS}circle")
    assert [m.find(f"{NS}title").text for m in marks][:2] == ["11-01: 0 failures",
                                                              "11-02: 3 failures"]  # fmt: skip
    ticks = [t.text for t in root.findall(f"{NS}g[@class='axis']/{NS}text")]
    assert ticks == ["0", "5", "10"]  # 7 rounds up to 10
    xs = [t.text for t in root.findall(f"{NS}g[@class='axis x']/{NS}text")]
    assert xs == [p[0] for p in points]


def test_bars_scale_to_the_axis_and_never_go_negative() -> None:
    root = parse(chart([("a", 10), ("b", 5), ("c", -3), ("d", math.nan)], label="x"))
    heights = [float(r.get("height")) for r in root.iter(f"{NS}rect")]
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[2:] == [0, 0]


def test_labels_and_titles_are_escaped() -> None:
    evil = '<script>alert("x")</script>&'
    svg = chart([(evil, 1)], label=evil) + sparkline([1, 2], label=evil)
    assert "<script>" not in svg
    for part in (chart([(evil, 1)], label=evil), sparkline([1, 2], label=evil)):
        root = parse(part)
        assert root.get("aria-label") == evil and root.find(f"{NS}title").text == evil
    assert parse(chart([(evil, 1)], label="l")).find(f".//{NS}rect/{NS}title").text == f"{evil}: 1"


def test_many_points_get_spaced_labels_and_no_points_say_so() -> None:
    root = parse(chart([(str(k), k) for k in range(90)], label="x"))
    assert len(root.findall(f"{NS}g[@class='axis x']/{NS}text")) <= 8
    empty = parse(chart([], label="nothing"))
    assert empty.find(f"{NS}text[@class='empty']").text == "No data"
    with pytest.raises(ValueError):
        chart([("a", 1)], label="x", kind="pie")


def test_sparkline() -> None:
    root = parse(sparkline([0, 2, 4], label="3 in 3 days", width=100, height=20))
    assert root.get("role") == "img" and root.get("viewBox") == "0 0 100 20"
    pts = [
        tuple(map(float, p.split(","))) for p in root.find(f"{NS}polyline").get("points").split()
    ]
    assert [x for x, _ in pts] == [0, 50, 100]
    assert pts[0][1] == 18 and pts[2][1] == 2  # zero at the bottom, the maximum at the top
    assert parse(sparkline([], label="none")).find(f"{NS}polyline") is None
    assert parse(sparkline([0, 0], label="flat")).find(f"{NS}polyline") is not None


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20),
                                                (23, 25), (260, 500), (0.3, 0.5)])  # fmt: skip
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)
