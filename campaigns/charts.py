"""Charts of the summary report, drawn on the server as inline SVG (no charting JavaScript).

Every chart has a title and a description (``<title>``/``<desc>``, ``role="img"`` and an
``aria-label`` as its text alternative), axis labels and the value written on each bar.
Bars are dark fills with black labels next to them, so a black-and-white print reads the same
as the screen. No ``style`` attribute anywhere (CSP): sizes and fills are SVG presentation
attributes, the rest is in static/css/report.css (``.chart``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from registry.formatting import number

WIDTH = 640
FONT = 'font-family="Arial, Helvetica, sans-serif"'
BAR_FILL = "#1f2d3d"  # dark enough to print as near-black on a monochrome printer
AXIS = "#000"


def _svg(chart_id: str, title: str, description: str, height: int, body: list[str]) -> SafeString:
    label = f"{title}. {description}"
    return mark_safe(
        f'<svg class="chart" id="{chart_id}" role="img" aria-label="{escape(label)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<text x="{WIDTH // 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold" '
        f'fill="#000">{escape(title)}</text>' + "".join(body) + "</svg>"
    )


def _describe(items: list[tuple[str, object]], fmt) -> str:
    return "; ".join(f"{label}: {fmt(value)}" for label, value in items) or _("Không có số liệu")


def _truncate(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(
    chart_id: str,
    *,
    title: str,
    items: list[tuple[str, int]],
    axis_label: str,
    category_label: str,
    fmt=number,
) -> SafeString:
    """One bar per item, labels on the left, the value after each bar."""
    label_width, right_margin, row, top = 230, 70, 28, 50
    plot_width = WIDTH - label_width - right_margin
    largest = max([value for _label, value in items] + [0]) or 1
    height = top + max(len(items), 1) * row + 46
    body = [
        f'<text x="{label_width - 8}" y="{top - 10}" text-anchor="end" font-size="12" '
        f'font-style="italic" fill="#000">{escape(category_label)}</text>'
    ]
    if not items:
        body.append(
            f'<text x="{WIDTH // 2}" y="{top + 18}" text-anchor="middle" font-size="13" '
            f'fill="#000">{escape(_("Không có số liệu"))}</text>'
        )
    for index, (label, value) in enumerate(items):
        y = top + index * row
        width = round(plot_width * max(value, 0) / largest)
        body.append(
            f"<g><title>{escape(label)}: {escape(fmt(value))}</title>"
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="12" '
            f'fill="#000">{escape(_truncate(label))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{max(width, 1)}" height="{row - 8}" '
            f'fill="{BAR_FILL}" stroke="#000" stroke-width="1"/>'
            f'<text x="{label_width + width + 6}" y="{y + 18}" font-size="12" font-weight="bold" '
            f'fill="#000">{escape(fmt(value))}</text></g>'
        )
    axis_y = top + max(len(items), 1) * row + 4
    body.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{axis_y}" stroke="{AXIS}"/>'
        f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot_width}" y2="{axis_y}" '
        f'stroke="{AXIS}"/>'
        f'<text x="{label_width + plot_width // 2}" y="{axis_y + 28}" text-anchor="middle" '
        f'font-size="12" font-style="italic" fill="#000">{escape(axis_label)}</text>'
    )
    return _svg(chart_id, title, _describe(items, fmt), height, body)


# The mark of a withheld figure, explained under the chart's table.
WITHHELD_MARK = "*"


def _millions(value: int) -> str:
    return number((Decimal(value) / 1_000_000).quantize(Decimal("0.1")))


def columns(
    chart_id: str,
    *,
    title: str,
    items: list[tuple[str, int]],
    axis_label: str,
    category_label: str,
) -> SafeString:
    """Vertical columns (money by month): values in millions of đồng on top of each column."""
    left, right, top, plot_height = 60, 20, 50, 200
    plot_width = WIDTH - left - right
    count = max(len(items), 1)
    slot = plot_width / count
    bar = max(min(slot * 0.7, 48), 2)
    largest = max([value for _label, value in items if value is not None] + [0]) or 1
    rotate = count > 12
    height = top + plot_height + (90 if rotate else 64)
    base = top + plot_height
    body = []
    for index, (label, value) in enumerate(items):
        x = left + index * slot + (slot - bar) / 2
        # A withheld month (None: campaigns.queries.disclosure) has no column, only its mark.
        h = 0 if value is None else round(plot_height * max(value, 0) / largest)
        centre = x + bar / 2
        value_text = escape(WITHHELD_MARK if value is None else _millions(value))
        label_text = escape(label)
        body.append(
            f"<g><title>{label_text}: {value_text} {escape(axis_label)}</title>"
            f'<rect x="{x:.1f}" y="{base - h}" width="{bar:.1f}" height="{max(h, 1)}" '
            f'fill="{BAR_FILL}" stroke="#000" stroke-width="1"/>'
            f'<text x="{centre:.1f}" y="{base - h - 5}" text-anchor="middle" font-size="10" '
            f'font-weight="bold" fill="#000">{value_text}</text>'
        )
        if rotate:
            body.append(
                f'<text x="{centre:.1f}" y="{base + 14}" text-anchor="end" font-size="10" '
                f'fill="#000" transform="rotate(-45 {centre:.1f} {base + 14})">{label_text}</text>'
            )
        else:
            body.append(
                f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle" font-size="10" '
                f'fill="#000">{label_text}</text>'
            )
        body.append("</g>")
    body.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{AXIS}"/>'
        f'<line x1="{left}" y1="{base}" x2="{left + plot_width}" y2="{base}" stroke="{AXIS}"/>'
        f'<text x="{left - 10}" y="{top + plot_height // 2}" text-anchor="middle" font-size="12" '
        f'font-style="italic" fill="#000" '
        f'transform="rotate(-90 {left - 40} {top + plot_height // 2})">{escape(axis_label)}</text>'
        f'<text x="{left + plot_width // 2}" y="{height - 8}" text-anchor="middle" '
        f'font-size="12" font-style="italic" fill="#000">{escape(category_label)}</text>'
    )
    description = _describe(
        items, lambda v: str(_("không công khai")) if v is None else f"{_millions(v)} {axis_label}"
    )
    return _svg(chart_id, title, description, height, body)


def funnel(chart_id: str, *, title: str, steps: list[tuple[str, int]], axis_label: str):
    """The path of models: centred bars narrowing from registered to recognised."""
    top, row, label_width = 50, 40, 150
    plot_width = WIDTH - label_width - 90
    first = steps[0][1] if steps else 0
    largest = max([value for _label, value in steps] + [0]) or 1
    height = top + max(len(steps), 1) * row + 40
    centre = label_width + plot_width / 2
    body = []
    for index, (label, value) in enumerate(steps):
        y = top + index * row
        width = max(round(plot_width * value / largest), 2)
        share = f" ({round(value * 100 / first)}%)" if first and index else ""
        body.append(
            f"<g><title>{escape(label)}: {value}{share}</title>"
            f'<text x="{label_width - 8}" y="{y + 23}" text-anchor="end" font-size="13" '
            f'fill="#000">{escape(label)}</text>'
            f'<rect x="{centre - width / 2:.1f}" y="{y + 5}" width="{width}" height="{row - 10}" '
            f'fill="{BAR_FILL}" stroke="#000" stroke-width="1"/>'
            f'<text x="{centre + width / 2 + 6:.1f}" y="{y + 24}" font-size="13" '
            f'font-weight="bold" fill="#000">{value}{escape(share)}</text></g>'
        )
    body.append(
        f'<text x="{centre:.1f}" y="{height - 10}" text-anchor="middle" font-size="12" '
        f'font-style="italic" fill="#000">{escape(axis_label)}</text>'
    )
    return _svg(chart_id, title, _describe(steps, str), height, body)


def report_charts(report) -> dict[str, SafeString]:
    """The three charts of a report (``campaigns.reports.Report``)."""
    return {
        "by_field": horizontal_bars(
            "chart-field",
            title=_("Mô hình, điển hình theo lĩnh vực"),
            items=[(row["label"], row["count"]) for row in report.by_field],
            axis_label=_("Số mô hình, điển hình"),
            category_label=_("Lĩnh vực"),
        ),
        "by_month": columns(
            "chart-month",
            title=_("Đóng góp đã nhận theo tháng"),
            items=[(row["label"], row["total"]) for row in report.by_month],
            axis_label=_("triệu đồng"),
            category_label=_("Tháng"),
        ),
        "funnel": funnel(
            "chart-funnel",
            title=_("Từ đăng ký đến công nhận"),
            steps=[(row["label"], row["count"]) for row in report.funnel],
            axis_label=_("Số mô hình, điển hình (tỉ lệ so với số đăng ký)"),
        ),
    }
