"""The open-data files of version 1 (``/du-lieu-mo/v1/``), described once, as data.

Each ``Dataset`` names its columns (name, Table Schema type and format, allowed values,
whether a value is required, a description in Vietnamese with its English translation) and
how its rows are read. The CSV and JSON writers, ``datapackage.json``, the DCAT catalogue,
the column dictionary on ``/du-lieu-mo/`` and the tests are all derived from these
definitions, so none of them can drift from the others.

Column names are ASCII snake_case and are never renamed or removed within v1: a reader's
script keeps working. Columns may be added at the end; anything else is a v2.

What the files hold: public models only (published, in a public status), the milestones of
their public timeline, published recognitions of those, and the ledger aggregated by model,
month and kind. Nothing about a
contributor leaves the database but counts and sums (``ledger_monthly_rows``).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import ContributionKind, Contributor, Donation, Expense, Recognition
from campaigns.queries.disclosure import EXPENSE, STANDING, monthly_cells, suppress
from campaigns.review_choices import RecognitionLevel, RecognitionTier, RoundKind
from registry.choices import PUBLIC_STATUSES, InitiativeKind, InitiativeStatus, MilestoneStatus
from registry.models import Indicator, Initiative, Milestone, ResidentialArea

VERSION = "v1"
# Rows read from the database per round trip while a file streams.
CHUNK_SIZE = 1000
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
# The kinds of a ledger-monthly row: the four kinds of contribution, and money spent.
LEDGER_KINDS = (*ContributionKind.values, EXPENSE)
# How the CSV files write text that a spreadsheet would run as a formula
# (wardmodels.spreadsheets, the one CSV writer); the column dictionary and datapackage.json say so.
TEXT_CELLS_NOTE = _(
    "Trong tệp CSV, ô văn bản bắt đầu bằng =, +, -, @, dấu tab hoặc ký tự về đầu dòng (CR) "
    "được thêm một dấu nháy đơn (') ở đầu, để bảng tính hiện nó như chữ chứ không chạy như "
    "công thức; chương trình đọc tệp nên bỏ dấu nháy đó. Cột số (kể cả số âm) và tệp JSON "
    "không bao giờ có dấu nháy thêm vào."
)


@dataclass(frozen=True)
class Column:
    """One column of a file, as Frictionless Table Schema describes a field."""

    name: str
    type: str  # string, integer, number, boolean, date, datetime, yearmonth
    description: Promise
    required: bool = False
    format: str | None = None  # "uri" for addresses; the default format otherwise
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Dataset:
    """One file of the open data, in CSV and JSON."""

    name: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    rows: Callable[[Callable[[str], str]], Iterator[dict]]  # (absolute URL builder) → rows
    count: Callable[[], int]
    last_changed: Callable[[], dt.datetime | None]
    primary_key: tuple[str, ...] = ()
    notes: tuple[Promise, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


# --- helpers ------------------------------------------------------------------------------------


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _max(queryset, field_name: str) -> dt.datetime | None:
    return queryset.aggregate(latest=Max(field_name))["latest"]


def _models_changed() -> dt.datetime | None:
    """Any change of any model (publication, status, text, deletion) writes a history row."""
    return _max(Initiative.history.all(), "history_date")


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(dt.UTC) if moment is not None else None


def _public_initiatives():
    return Initiative.objects.public()


def _milestones_changed() -> dt.datetime | None:
    """A milestone's publication or withdrawal writes a history row; it also moves the
    model's ``progress_updated_on`` (written with ``update()``, so no model history row)."""
    return _max(Milestone.history.all(), "history_date")


# --- models -------------------------------------------------------------------------------------

MODEL_COLUMNS = (
    Column(
        "public_id",
        "string",
        _("Mã số của mô hình trong sổ của phường (ví dụ DVK-2023-01); duy nhất, không đổi."),
        required=True,
    ),
    Column(
        "kind",
        "string",
        _("Loại: model (mô hình) hoặc exemplar (điển hình)."),
        required=True,
        enum=tuple(InitiativeKind.values),
    ),
    Column("title", "string", _("Tên mô hình, điển hình."), required=True),
    Column(
        "field_slug",
        "string",
        _("Mã chữ (không dấu) của lĩnh vực; không đổi."),
        required=True,
    ),
    Column("field_name", "string", _("Tên lĩnh vực."), required=True),
    Column(
        "field_group",
        "string",
        _("Lĩnh vực cấp trên (một trong bốn lĩnh vực lớn); bằng field_name nếu là cấp trên."),
        required=True,
    ),
    Column(
        "unit_id",
        "integer",
        _(
            "Số định danh của phường, xã trong hệ thống này (mã đơn vị hành chính quốc gia: "
            "xem unit_code)."
        ),
        required=True,
    ),
    Column(
        "unit_name",
        "string",
        _("Tên phường, xã của mô hình (có thể là phường cũ, trước khi sáp nhập)."),
        required=True,
    ),
    Column(
        "residential_areas",
        "string",
        _("Các khu dân cư (khu phố, tổ dân phố, cụm dân cư), cách nhau bởi “; ”."),
    ),
    Column("lead_organization", "string", _("Tổ chức chủ trì.")),
    Column(
        "status",
        "string",
        _(
            "Trạng thái: implementing (đang thực hiện), completed (đã hoàn thành), "
            "discontinued (đã dừng)."
        ),
        required=True,
        enum=tuple(str(s) for s in PUBLIC_STATUSES),
    ),
    Column(
        "progress",
        "integer",
        _(
            "Tiến độ, phần trăm (0–100): con số công khai trên trang của mô hình (nhập tay, "
            "hoặc tính từ kết quả các chỉ tiêu); trống nếu chưa có, không bao giờ đoán."
        ),
        minimum=0,
        maximum=100,
    ),
    Column("started_on", "date", _("Ngày bắt đầu.")),
    Column("ended_on", "date", _("Ngày kết thúc.")),
    Column("published_on", "date", _("Ngày công khai lần đầu."), required=True),
    Column(
        "funding_target",
        "integer",
        _("Mục tiêu kinh phí, đồng (số nguyên); trống nếu không đặt."),
        minimum=0,
    ),
    Column("url", "string", _("Trang của mô hình."), required=True, format="uri"),
    Column(
        "last_update",
        "date",
        _(
            "Ngày cập nhật lần cuối: ngày muộn hơn trong hai ngày, ngày thông tin của mô hình "
            "được sửa lần cuối và ngày của mốc tiến độ mới nhất đã công bố (xem milestones.csv)."
        ),
        required=True,
    ),
    Column(
        "unit_code",
        "string",
        _(
            "Mã 5 chữ số của phường, xã trong Danh mục đơn vị hành chính Việt Nam (Tổng cục "
            "Thống kê); trống nếu phường chưa nhập mã."
        ),
    ),
)


def model_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    queryset = (
        _public_initiatives()
        .select_related("field__parent", "admin_unit", "lead_organization")
        .prefetch_related(
            Prefetch("residential_areas", queryset=ResidentialArea.objects.order_by("name", "pk"))
        )
        .order_by("code")
    )
    for initiative in queryset.iterator(chunk_size=CHUNK_SIZE):
        field_ = initiative.field
        yield {
            "public_id": initiative.code,
            "kind": initiative.kind,
            "title": initiative.title,
            "field_slug": field_.slug,
            "field_name": field_.name,
            "field_group": field_.parent.name if field_.parent_id else field_.name,
            "unit_id": initiative.admin_unit_id,
            "unit_name": initiative.admin_unit.name,
            "unit_code": initiative.admin_unit.code or None,
            "residential_areas": "; ".join(a.name for a in initiative.residential_areas.all()),
            "lead_organization": (
                initiative.lead_organization.name if initiative.lead_organization_id else None
            ),
            "status": initiative.status,
            "progress": initiative.progress,
            "started_on": initiative.started_on,
            "ended_on": initiative.ended_on,
            "published_on": _local_date(initiative.first_published_at),
            "funding_target": initiative.funding_target,
            "url": absolute(initiative.get_absolute_url()),
            # Publishing a milestone moves progress_updated_on but not updated_at.
            "last_update": max(
                d
                for d in (_local_date(initiative.updated_at), initiative.progress_updated_on)
                if d is not None
            ),
        }


MODELS = Dataset(
    name="models",
    title=_("Mô hình, điển hình"),
    description=_("Các mô hình, điển hình “Dân vận khéo” đang công khai, mỗi dòng một mô hình."),
    columns=MODEL_COLUMNS,
    rows=model_rows,
    count=lambda: _public_initiatives().count(),
    last_changed=lambda: _latest(_models_changed(), _milestones_changed()),
    primary_key=("public_id",),
)


# --- indicators ---------------------------------------------------------------------------------

INDICATOR_COLUMNS = (
    Column("indicator_id", "integer", _("Số định danh của chỉ tiêu; không đổi."), required=True),
    Column("public_id", "string", _("Mã số của mô hình (xem models.csv)."), required=True),
    Column("label", "string", _("Tên chỉ tiêu."), required=True),
    Column("unit", "string", _("Đơn vị tính (chậu, km, hộ…).")),
    Column("target", "number", _("Mục tiêu.")),
    Column("actual", "number", _("Kết quả đạt được.")),
)


def _decimal(value: Decimal | None) -> Decimal | None:
    # 310.00 → 310, 2.50 → 2.5: the figure as written, without the column's padding.
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def indicator_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    rows = (
        Indicator.objects.filter(initiative__in=_public_initiatives())
        .order_by("initiative__code", "order", "pk")
        .values_list("pk", "initiative__code", "label", "unit", "target", "actual")
    )
    for pk, code, label, unit, target, actual in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "indicator_id": pk,
            "public_id": code,
            "label": label,
            "unit": unit or None,
            "target": _decimal(target),
            "actual": _decimal(actual),
        }


INDICATORS = Dataset(
    name="indicators",
    title=_("Chỉ tiêu, kết quả"),
    description=_("Chỉ tiêu và kết quả của các mô hình đang công khai."),
    columns=INDICATOR_COLUMNS,
    rows=indicator_rows,
    count=lambda: Indicator.objects.filter(initiative__in=_public_initiatives()).count(),
    last_changed=lambda: _latest(_max(Indicator.history.all(), "history_date"), _models_changed()),
    primary_key=("indicator_id",),
)


# --- milestones (the public progress timeline) -------------------------------------------------

_MILESTONE_STATUSES = (str(MilestoneStatus.PUBLISHED), str(MilestoneStatus.WITHDRAWN))

MILESTONE_COLUMNS = (
    Column("milestone_id", "integer", _("Số định danh của mốc tiến độ; không đổi."), required=True),
    Column("public_id", "string", _("Mã số của mô hình (xem models.csv)."), required=True),
    Column("occurred_on", "date", _("Ngày diễn ra."), required=True),
    Column("planned_on", "date", _("Ngày dự kiến cho bước tiếp theo, nếu có.")),
    Column("title", "string", _("Tiêu đề của mốc."), required=True),
    Column("body", "string", _("Nội dung của mốc.")),
    Column(
        "progress_before",
        "integer",
        _("Tiến độ trước mốc, phần trăm (0–100); trống nếu chưa có."),
        minimum=0,
        maximum=100,
    ),
    Column(
        "progress_after",
        "integer",
        _("Tiến độ sau mốc, phần trăm (0–100); trống nếu mốc không đổi tiến độ."),
        minimum=0,
        maximum=100,
    ),
    Column(
        "status_before",
        "string",
        _("Trạng thái của mô hình trước mốc (mã như cột status của models.csv), nếu mốc đổi."),
        enum=tuple(InitiativeStatus.values),
    ),
    Column(
        "status_after",
        "string",
        _("Trạng thái của mô hình sau mốc, nếu mốc đổi trạng thái."),
        enum=tuple(InitiativeStatus.values),
    ),
    Column(
        "status",
        "string",
        _(
            "Tình trạng của mốc: published (đã công bố) hoặc withdrawn (đã công bố rồi rút lại; "
            "lý do ở cột withdrawn_reason)."
        ),
        required=True,
        enum=_MILESTONE_STATUSES,
    ),
    Column(
        "published_at",
        "datetime",
        _("Thời điểm công bố, giờ UTC (ISO 8601)."),
        required=True,
    ),
    Column("withdrawn_reason", "string", _("Lý do rút lại (chỉ với mốc đã rút lại).")),
    Column(
        "supersedes_id",
        "integer",
        _("Mốc này đính chính cho mốc có số định danh này (milestone_id), nếu có."),
    ),
    Column(
        "url",
        "string",
        _("Trang tiến độ của mô hình, nơi có mốc này."),
        required=True,
        format="uri",
    ),
)


def _public_milestones():
    # The model's public timeline, nothing else: never a draft, never a hidden model's.
    return Milestone.objects.on_public_timeline().filter(initiative__in=_public_initiatives())


def milestone_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    # Named columns only: no photo, no name of who drafted or published the milestone.
    rows = (
        _public_milestones()
        .order_by("initiative__code", "occurred_on", "pk")
        .values_list(
            "pk",
            "initiative__code",
            "occurred_on",
            "planned_on",
            "title",
            "body",
            "progress_before",
            "progress_after",
            "status_before",
            "status_after",
            "status",
            "published_at",
            "withdrawn_reason",
            "supersedes_id",
            "initiative__slug",
        )
    )
    names = [c.name for c in MILESTONE_COLUMNS]
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(names, values, strict=True))
        slug = row.pop("url")
        row["body"] = row["body"] or None
        row["status_before"] = row["status_before"] or None
        row["status_after"] = row["status_after"] or None
        row["published_at"] = _utc(row["published_at"])
        row["withdrawn_reason"] = (
            row["withdrawn_reason"] or None if row["status"] == MilestoneStatus.WITHDRAWN else None
        )
        row["url"] = absolute(reverse("public:initiative-timeline", kwargs={"slug": slug}))
        yield row


MILESTONES = Dataset(
    name="milestones",
    title=_("Mốc tiến độ"),
    description=_(
        "Dòng thời gian tiến độ của các mô hình đang công khai: các mốc đã công bố, và các "
        "mốc đã công bố rồi rút lại (kèm lý do). Không có bản nháp, ảnh hay tên người lập."
    ),
    columns=MILESTONE_COLUMNS,
    rows=milestone_rows,
    count=lambda: _public_milestones().count(),
    last_changed=lambda: _latest(_milestones_changed(), _models_changed()),
    primary_key=("milestone_id",),
    notes=(
        _(
            "Mốc đã công bố không bao giờ bị sửa: một đính chính là một mốc mới, cột "
            "supersedes_id chỉ tới mốc được đính chính."
        ),
    ),
)


# --- recognitions -------------------------------------------------------------------------------

RECOGNITION_COLUMNS = (
    Column(
        "recognition_id", "integer", _("Số định danh của quyết định; không đổi."), required=True
    ),
    Column("public_id", "string", _("Mã số của mô hình (xem models.csv)."), required=True),
    Column("round_title", "string", _("Đợt đánh giá."), required=True),
    Column(
        "round_kind",
        "string",
        _("Loại đợt: interim (sơ kết), annual (đánh giá năm), final (tổng kết)."),
        required=True,
        enum=tuple(RoundKind.values),
    ),
    Column("period_start", "date", _("Kỳ đánh giá từ ngày."), required=True),
    Column("period_end", "date", _("Kỳ đánh giá đến ngày."), required=True),
    Column(
        "level",
        "string",
        _(
            "Cấp công nhận: ward_party_committee (Đảng ủy phường), ward_steering_committee "
            "(Ban Chỉ đạo phường), higher (cấp trên)."
        ),
        required=True,
        enum=tuple(RecognitionLevel.values),
    ),
    Column(
        "tier",
        "string",
        _("Mức: recognised (được công nhận) hoặc typical (tiêu biểu)."),
        required=True,
        enum=tuple(RecognitionTier.values),
    ),
    Column("decision_number", "string", _("Số quyết định (trống nếu nguồn không nêu).")),
    Column("decided_on", "date", _("Ngày quyết định.")),
    Column(
        "published_at",
        "datetime",
        _("Thời điểm công bố, giờ UTC (ISO 8601)."),
        required=True,
    ),
)


def recognition_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    rows = (
        Recognition.objects.public()
        .filter(initiative__in=_public_initiatives())
        .order_by("published_at", "pk")
        .values_list(
            "pk",
            "initiative__code",
            "review_round__title",
            "review_round__kind",
            "review_round__period_start",
            "review_round__period_end",
            "level",
            "tier",
            "decision_number",
            "decided_on",
            "published_at",
        )
    )
    names = [c.name for c in RECOGNITION_COLUMNS]
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(names, values, strict=True))
        row["decision_number"] = row["decision_number"] or None
        row["published_at"] = _utc(row["published_at"])
        yield row


def _public_recognitions():
    return Recognition.objects.public().filter(initiative__in=_public_initiatives())


RECOGNITIONS = Dataset(
    name="recognitions",
    title=_("Quyết định công nhận"),
    description=_("Các quyết định công nhận mô hình đã công bố."),
    columns=RECOGNITION_COLUMNS,
    rows=recognition_rows,
    count=lambda: _public_recognitions().count(),
    last_changed=lambda: _latest(
        _max(Recognition.history.all(), "history_date"), _models_changed()
    ),
    primary_key=("recognition_id",),
)


# --- the ledger, by month -----------------------------------------------------------------------

LEDGER_COLUMNS = (
    Column("public_id", "string", _("Mã số của mô hình (xem models.csv)."), required=True),
    Column(
        "month",
        "yearmonth",
        _(
            "Tháng (YYYY-MM) của khoản; bút toán điều chỉnh tính vào tháng của khoản "
            "được điều chỉnh."
        ),
        required=True,
    ),
    Column(
        "kind",
        "string",
        _(
            "cash (tiền mặt), in_kind (hiện vật), labour (ngày công), land (đất): đóng góp "
            "đã nhận, quy ra đồng; expense: khoản chi."
        ),
        required=True,
        enum=LEDGER_KINDS,
    ),
    Column(
        "entries",
        "integer",
        _("Số khoản còn hiệu lực (không tính khoản đã điều chỉnh và bút toán điều chỉnh)."),
        required=True,
        minimum=0,
    ),
    Column(
        "amount",
        "integer",
        _(
            "Tổng số tiền, giá trị, đồng (số nguyên), đã trừ các bút toán điều chỉnh; "
            "trống khi bị che (xem suppressed)."
        ),
    ),
    Column(
        "suppressed",
        "boolean",
        _("true khi số tiền bị che để không lộ khoản của một người chưa đồng ý công khai."),
        required=True,
    ),
)


def _row(cell: dict) -> dict:
    month = cell["month"]
    return {
        "public_id": cell["initiative__code"],
        "month": f"{month.year:04d}-{month.month:02d}",
        "kind": cell["kind"],
        "entries": cell["entries"],
        "amount": None if cell["suppressed"] else cell["amount"],
        "suppressed": cell["suppressed"],
    }


def _key(cell: dict) -> tuple:
    return cell["initiative_id"], cell["month"], cell["kind"]


def ledger_monthly_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    """Donations and expenses per public model, month and kind: entries and net amount.

    Two grouped queries (donations, expenses), both in key order, merged as they stream;
    the suppression rule (``campaigns.queries.disclosure``) needs one model's cells at a time.
    """
    merged = heapq.merge(
        *(
            monthly_cells(m, _public_initiatives(), chunk_size=CHUNK_SIZE)
            for m in (Donation, Expense)
        ),
        key=_key,
    )
    for _initiative, cells in itertools.groupby(merged, key=lambda c: c["initiative_id"]):
        yield from map(_row, suppress(list(cells)))


def _ledger_count() -> int:
    def groups(model, *fields) -> int:
        return (
            model.objects.filter(initiative__in=_public_initiatives())
            .annotate(month=TruncMonth("counted_on"))
            .values("initiative_id", "month", *fields)
            .annotate(entries=Count("pk", filter=STANDING), amount=Sum("amount"))
            .exclude(entries=0, amount=0)
            .count()
        )

    return groups(Donation, "kind") + groups(Expense)


LEDGER_MONTHLY = Dataset(
    name="ledger-monthly",
    title=_("Đóng góp và chi theo tháng"),
    description=_(
        "Đóng góp đã nhận và khoản chi của các mô hình đang công khai, theo mô hình, tháng "
        "và hình thức: số khoản và tổng số tiền. Không có tên, địa chỉ hay số điện thoại "
        "của người đóng góp."
    ),
    columns=LEDGER_COLUMNS,
    rows=ledger_monthly_rows,
    count=_ledger_count,
    last_changed=lambda: _latest(
        _max(Donation.objects.all(), "recorded_at"),
        _max(Expense.objects.all(), "recorded_at"),
        _max(Contributor.history.all(), "history_date"),
        _models_changed(),
    ),
    primary_key=("public_id", "month", "kind"),
    notes=(
        format_lazy(
            _(
                "Một ô (mô hình, tháng, hình thức) có tiền của người đóng góp chưa đồng ý "
                "công khai số tiền chỉ ghi số tiền khi mọi ô có tiền của họ cùng mô hình, "
                "hình thức và năm đều gồm tiền của từ {k} người như thế trở lên; nếu không, "
                "các ô đó không ghi số tiền (suppressed = true): nếu ghi, lấy tổng số trên "
                "trang của mô hình hay trên báo cáo trừ đi sẽ tính ra được một người đã góp "
                "bao nhiêu."
            ),
            k=settings.DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS,
        ),
        _("Khoản chi không gắn với người đóng góp nên không bị che."),
    ),
)


# Every file of v1, in the order the page lists them.
DATASETS: dict[str, Dataset] = {
    d.name: d for d in (MODELS, MILESTONES, INDICATORS, RECOGNITIONS, LEDGER_MONTHLY)
}
FORMATS = ("csv", "json")
