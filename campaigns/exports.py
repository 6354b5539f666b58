"""The report as an Excel workbook (XLSX) and the model list as CSV, with constant memory.

- XLSX: XlsxWriter in ``constant_memory`` mode (each row goes straight to its sheet's
  temporary file; about twice as fast as openpyxl's write-only mode for the 280,000 cells of a
  province: bench/README.md), zipped into an anonymous temporary file that ``FileResponse``
  streams and then closes (deleting it).
  One sheet per section, Vietnamese headings, a frozen header row, money as whole đồng with
  the ``#,##0`` format, dates as real dates.
- CSV: UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), streamed row by
  row from ``QuerySet.iterator()``, through the product's one CSV writer (text starting like a
  formula gets a leading quote: ``wardmodels.spreadsheets``). The XLSX needs no such quote: it
  writes text with ``write_string``, which a spreadsheet never runs.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from registry.choices import InitiativeKind, InitiativeStatus
from wardmodels.spreadsheets import csv_writer

from .reports import Report, ReportPeriod, model_list

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
DECIMAL_FORMAT = "#,##0.##"
ITERATOR_CHUNK = 1000

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Money(int):
    """A whole-đồng amount: written with the ``#,##0`` format."""


def _filename(period: ReportPeriod, ext: str) -> str:
    return f"bao-cao-dan-van-kheo-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


# --- XLSX ---------------------------------------------------------------------------------------


class _Book:
    """An XlsxWriter workbook with the formats every sheet shares."""

    def __init__(self, target):
        self.workbook = Workbook(target, {"constant_memory": True})
        add = self.workbook.add_format
        self.heading = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.formats = {
            Money: add({"num_format": MONEY_FORMAT}),
            dt.date: add({"num_format": DATE_FORMAT}),
            Decimal: add({"num_format": DECIMAL_FORMAT}),
        }

    def close(self):
        self.workbook.close()


def _write(book: _Book, sheet, row: int, col: int, value) -> None:
    if value is None or value == "":
        return  # an empty cell
    if isinstance(value, Money):
        sheet.write_number(row, col, int(value), book.formats[Money])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, book.formats[dt.date])
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value), book.formats[Decimal])
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def _sheet(book: _Book, title: str, headings: list[str], rows: Iterable[Iterable], widths=None):
    sheet = book.workbook.add_worksheet(title[:31])
    sheet.freeze_panes(1, 0)
    for index, width in enumerate(widths or []):
        sheet.set_column(index, index, width)
    for col, heading in enumerate(headings):
        sheet.write_string(0, col, heading, book.heading)
    for row_number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write(book, sheet, row_number, col, value)
    return sheet


def _kind_label(value: str) -> str:
    return str(InitiativeKind(value).label) if value in InitiativeKind.values else value


def _status_label(value: str) -> str:
    return str(InitiativeStatus(value).label) if value in InitiativeStatus.values else value


def model_rows(period: ReportPeriod) -> Iterator[list]:
    """The model list, row by row from the database (constant memory)."""
    for (
        code,
        title,
        kind,
        parent_field,
        field,
        status,
        unit,
        lead,
        started_on,
        ended_on,
        published,
        pledged,
        received,
        spent,
        feedback_received,
        feedback_answered,
    ) in model_list(period, chunk_size=ITERATOR_CHUNK):
        yield [
            code,
            title,
            _kind_label(kind),
            parent_field or field,
            field if parent_field else "",
            _status_label(status),
            unit,
            lead or "",
            started_on,
            ended_on,
            _("Có") if published else _("Không"),
            Money(pledged),
            Money(received),
            Money(spent),
            feedback_received,
            feedback_answered,
        ]


def model_headings() -> list[str]:
    return [
        _("Mã số"),
        _("Tên mô hình, điển hình"),
        _("Loại"),
        _("Lĩnh vực"),
        _("Lĩnh vực cụ thể"),
        _("Trạng thái"),
        _("Phường, xã"),
        _("Tổ chức chủ trì"),
        _("Ngày bắt đầu"),
        _("Ngày kết thúc"),
        _("Công khai"),
        _("Cam kết trong kỳ (đồng)"),
        _("Đã nhận trong kỳ (đồng)"),
        _("Đã chi trong kỳ (đồng)"),
        _("Góp ý của người dân tiếp nhận trong kỳ"),
        _("Góp ý đã trả lời"),
    ]


def _feedback_summary(report: Report) -> list[list]:
    """The residents' feedback figures of the period, for the summary sheet."""
    figures = report.feedback
    if figures is None:
        return []
    return [
        [_("Góp ý của người dân tiếp nhận"), figures.received],
        [_("Góp ý đã trả lời"), figures.answered],
        [_("Góp ý trả lời đúng hạn"), figures.answered_on_time],
        [
            _("Điểm đánh giá trung bình của người dân (1–5)"),
            Decimal(str(figures.average_rating)) if figures.average_rating is not None else "—",
        ],
    ]


def write_workbook(report: Report, target) -> None:
    """Every section of ``report`` as its own sheet, written to the file object ``target``."""
    workbook = _Book(target)
    period = report.period
    overview = report.overview
    summary = [
        [_("Kỳ báo cáo"), period.label],
        [_("Từ ngày"), period.start],
        [_("Đến ngày"), period.end],
        *[[label, value] for label, value in period.filter_labels()],
        [_("Tổng số mô hình, điển hình"), overview["total"]],
        [_("Mô hình"), overview["models"]],
        [_("Điển hình"), overview["exemplars"]],
        [_("Mới trong kỳ"), overview["new"]],
        *[[row["label"], row["count"]] for row in report.funnel],
        *_feedback_summary(report),
    ]
    _sheet(workbook, _("Tổng hợp"), [_("Nội dung"), _("Số liệu")], summary, [40, 40])

    field_rows = []
    for top in report.by_field:
        field_rows.append([top["label"], "", top["count"]])
        field_rows.extend(
            [top["label"], child["label"], child["count"]] for child in top["children"]
        )
    _sheet(
        workbook,
        _("Theo lĩnh vực"),
        [_("Lĩnh vực"), _("Lĩnh vực cụ thể"), _("Số mô hình")],
        field_rows,
        [36, 40, 14],
    )
    _sheet(
        workbook,
        _("Theo trạng thái"),
        [_("Trạng thái"), _("Số mô hình")],
        [[row["label"], row["count"]] for row in overview["by_status"]],
        [30, 14],
    )
    _sheet(
        workbook,
        _("Theo khu dân cư"),
        [_("Khu dân cư"), _("Số mô hình")],
        [[row["label"], row["count"]] for row in report.by_area],
        [36, 14],
    )
    _sheet(
        workbook,
        _("Theo phường, xã"),
        [_("Phường, xã"), _("Phường cũ"), _("Số mô hình")],
        [
            [row["label"], _("Có") if row["former"] else "", row["count"]]
            for row in report.by_admin_unit
        ],
        [30, 12, 14],
    )
    _sheet(
        workbook,
        _("Theo tổ chức chủ trì"),
        [_("Tổ chức chủ trì"), _("Số mô hình")],
        [[row["label"], row["count"]] for row in report.by_lead_organization],
        [40, 14],
    )
    evaluations = report.evaluations
    _sheet(
        workbook,
        _("Đánh giá"),
        [_("Mã số"), _("Tên mô hình"), _("Số phiếu chấm"), _("Điểm trung bình (thang 100)")],
        [
            [
                _("Cộng"),
                _("Số mô hình được đánh giá: %(n)s") % {"n": evaluations["models"]},
                evaluations["evaluations"],
                evaluations["average"],
            ],
            *[
                [row["code"], row["title"], row["evaluations"], row["average"]]
                for row in evaluations["per_model"]
            ],
        ],
        [14, 50, 14, 18],
    )
    recognitions = report.recognitions
    _sheet(
        workbook,
        _("Công nhận"),
        [_("Cấp công nhận"), _("Được công nhận"), _("Tiêu biểu"), _("Cộng")],
        [
            *[
                [r["label"], r["recognised"], r["typical"], r["total"]]
                for r in recognitions["by_level"]
            ],
            [
                _("Số mô hình được công nhận / tổng số"),
                recognitions["recognised_models"],
                "",
                recognitions["models"],
            ],
        ],
        [40, 16, 12, 12],
    )
    commendations = report.commendations
    _sheet(
        workbook,
        _("Khen thưởng"),
        [_("Hình thức, đối tượng"), _("Số lượng"), _("Tiền thưởng (đồng)")],
        [
            *[[r["label"], r["count"], Money(r["prize"])] for r in commendations["by_form"]],
            *[[r["label"], r["count"], ""] for r in commendations["by_recipient"]],
            [_("Cộng"), commendations["total"], Money(commendations["prize"])],
        ],
        [44, 12, 20],
    )
    contributions = report.contributions
    received = contributions["received"]
    _sheet(
        workbook,
        _("Đóng góp"),
        [_("Hình thức"), _("Cam kết (đồng)"), _("Đã nhận (đồng)")],
        [
            *[
                [r["label"], Money(r["pledged"]), Money(r["received"])]
                for r in contributions["by_kind"]
            ],
            [_("Cộng"), Money(contributions["pledged"]["total"]), Money(received["total"])],
            [_("Số ngày công đã nhận"), "", received["labour_days"]],
            [_("Diện tích đất đã nhận (m²)"), "", received["land_m2"]],
            [_("Số người, đơn vị đóng góp"), "", received["contributors"]],
            [_("Hộ gia đình"), "", received["households"]],
            [_("Doanh nghiệp, hộ kinh doanh"), "", received["businesses"]],
            [_("Cơ quan, tổ chức"), "", received["organisations"]],
            [_("Cá nhân"), "", received["individuals"]],
            [_("Ghi gộp nhiều hộ, doanh nghiệp"), "", received["collectives"]],
        ],
        [36, 20, 20],
    )
    _sheet(
        workbook,
        _("Đóng góp theo tháng"),
        [_("Tháng"), _("Đã nhận (đồng)")],
        [[dt.date(r["year"], r["month"], 1), Money(r["total"])] for r in report.by_month],
        [14, 20],
    )
    money = report.money
    _sheet(
        workbook,
        _("Thu chi"),
        [_("Nội dung"), _("Số tiền (đồng)")],
        [
            [_("Tiền mặt đã nhận trong kỳ"), Money(money["cash_received"])],
            [_("Đã chi trong kỳ"), Money(money["spent"])],
            [_("Chênh lệch thu chi trong kỳ"), Money(money["balance_in_period"])],
            [_("Số dư tiền mặt đến cuối kỳ"), Money(money["balance_at_end"])],
        ],
        [36, 20],
    )
    decisions = report.decisions
    _sheet(
        workbook,
        _("Danh sách công nhận"),
        [
            _("Mã số"),
            _("Tên mô hình"),
            _("Cấp công nhận"),
            _("Mức"),
            _("Số quyết định"),
            _("Ngày quyết định"),
        ],
        [
            [r["code"], r["title"], r["level"], r["tier"], r["decision_number"], r["decided_on"]]
            for r in decisions["recognised"]
        ],
        [14, 50, 24, 16, 18, 16],
    )
    _sheet(
        workbook,
        _("Danh sách khen thưởng"),
        [
            _("Mã số"),
            _("Mô hình"),
            _("Tập thể, cá nhân được khen"),
            _("Đối tượng"),
            _("Hình thức"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Tiền thưởng (đồng)"),
        ],
        [
            [
                r["code"],
                r["title"],
                r["recipient"],
                r["recipient_kind"],
                r["form"],
                r["decision_number"],
                r["decided_on"],
                Money(r["prize"] or 0),
            ]
            for r in decisions["commended"]
        ],
        [14, 40, 36, 16, 30, 18, 16, 18],
    )
    _sheet(
        workbook,
        _("Danh sách mô hình"),
        model_headings(),
        model_rows(period),
        [14, 50, 12, 28, 28, 16, 18, 30, 14, 14, 10, 18, 18, 18],
    )
    workbook.close()


def xlsx_response(report: Report) -> FileResponse:
    # An anonymous temporary file: gone from the disk once the response closes it.
    # FileResponse closes it after streaming, so no context manager here.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        write_workbook(report, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=_filename(report.period, "xlsx"),
        content_type=XLSX_TYPE,
    )


# --- CSV ----------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def csv_lines(period: ReportPeriod) -> Iterator[str]:
    """Text cells that start like a formula get a leading quote (``wardmodels.spreadsheets``)."""
    writer = csv_writer(_Echo(), format_value=_csv_value)
    yield "\ufeff" + writer.writerow(model_headings())
    for row in model_rows(period):
        yield writer.writerow(row)


def csv_response(period: ReportPeriod) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(period)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, "csv")}"'
    return response
