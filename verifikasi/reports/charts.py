"""Charts drawn on the server as SVG, readable without JavaScript (issue 19).

The page's CSP forbids inline ``style`` attributes, so the drawing uses only SVG
presentation attributes and CSS classes (``chart-*`` in app.css). Each chart carries
a title and a description for screen readers; the table beside it has the numbers.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list[float]]],
              chart_id: str) -> str:
    """Grouped vertical bars: one group per category, one bar per series, a legend."""
    top = _nice_max(max((v or 0 for _, values in series for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = []
    steps = 5 if str(top)[0] in "15" else 4  # 0, 10, 20 … 50 rather than 12.5, 37.5
    for i in range(steps + 1):  # horizontal grid lines and their values
        value = top * i / steps
        y = TOP + plot_h - plot_h * i / steps
        parts.append(format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT, WIDTH - RIGHT, f"{y:.1f}", f"{y:.1f}", LEFT - 4, f"{y + 4:.1f}",
            f"{value:g}"))
    for c, category in enumerate(categories):
        x0 = LEFT + c * group_w + group_w * 0.1
        for s, (label, values) in enumerate(series):
            value = values[c] or 0
            h = plot_h * value / top
            parts.append(format_html(
                '<rect class="chart-s{}" x="{}" y="{}" width="{}" height="{}">'
                '<title>{}: {} {}</title></rect>',
                s % 4, f"{x0 + s * bar_w:.1f}", f"{TOP + plot_h - h:.1f}",
                f"{max(bar_w - 1, 1):.1f}", f"{h:.1f}", category, label, f"{value:g}"))
        if len(categories) <= 16 or c % 2 == 0:
            parts.append(format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{LEFT + c * group_w + group_w / 2:.1f}", TOP + plot_h + 14, category))
    for s, (label, _values) in enumerate(series):  # the legend
        x = LEFT + s * 150
        parts.append(format_html(
            '<rect class="chart-s{}" x="{}" y="{}" width="10" height="10"/>'
            '<text class="chart-legend" x="{}" y="{}">{}</text>',
            s % 4, x, HEIGHT - 18, x + 14, HEIGHT - 9, label))
    return _svg(title, chart_id, parts)


def hbar_chart(title: str, items: list[tuple[str, float]], chart_id: str) -> str:
    """Horizontal bars, one per labelled value (e.g. the backlog by status)."""
    label_w, row_h = 190, 24
    height = TOP + row_h * max(len(items), 1) + 8
    top = _nice_max(max((v or 0 for _, v in items), default=0))
    plot_w = WIDTH - label_w - RIGHT - 40
    parts = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * row_h
        w = plot_w * (value or 0) / top
        parts.append(format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect class="chart-s0" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title>'
            '</rect><text class="chart-axis" x="{}" y="{}">{}</text>',
            label_w - 6, y + 15, label, label_w, y + 4, f"{w:.1f}", row_h - 8, label,
            f"{value or 0:g}", f"{label_w + w + 4:.1f}", y + 15, f"{value or 0:g}"))
    return _svg(title, chart_id, parts, height)


def _svg(title: str, chart_id: str, parts: list[str], height: int = HEIGHT) -> str:
    return mark_safe(  # noqa: S308 -- every value above went through format_html
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{escape(chart_id)}-title">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>{"".join(parts)}</svg>')
