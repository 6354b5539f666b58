"""Synthetic data for the benchmark: ``seed_bench --scale ward|province|nation``.

Part of the bench app, so only available with the benchmark's settings::

    DJANGO_SETTINGS_MODULE=bench.settings python manage.py seed_bench --scale province --seed 7

Every row is obviously synthetic where it could be mistaken for a real record: codes,
receipt and voucher numbers and decision numbers start with ``BENCH-``, phone numbers are
``000…`` and every contributor's internal note says so. ``load_demo`` never loads any of it.

Rows are written in big batches without ``save()``: COPY on PostgreSQL (psycopg 3
``cursor.copy``), ``executemany`` on SQLite. Derived columns are computed the way the
application computes them (``Initiative.compute_search_text``). The same ``--seed`` gives
the same data. The ledger's running totals (campaigns/ledger_totals.py) are computed once at
the end on PostgreSQL instead of by a trigger per row.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from campaigns import ledger_totals
from campaigns.models import (
    Campaign,
    Commendation,
    Contributor,
    Criterion,
    Donation,
    Evaluation,
    Expense,
    Pledge,
    Recognition,
    ReviewRound,
    Score,
)
from registry.models import (
    AdminUnit,
    Field,
    Indicator,
    Initiative,
    OversightActivity,
    Photo,
    ResidentialArea,
)
from registry.text import fold, vietnamese_slugify
from wardmodels.groups import WARD_OFFICIALS
from wardmodels.pagecache import public_pages_changed

SCALES = {
    # models, donations, contributors, photos
    "ward": (300, 10_000, 2_000, 750),
    "province": (20_000, 1_000_000, 200_000, 50_000),
    "nation": (200_000, 10_000_000, 2_000_000, 500_000),
}
PREFIX = "BENCH-"
# The model page the benchmark opens: exactly this many donations and photos.
SHOWCASE_DONATIONS = 50
SHOWCASE_PHOTOS = 8
BENCH_OFFICIAL = "bench-official"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Mai",
    "Trương",
    "Lâm",
    "Cao",
    "Tạ",
    "Hà",
    "Châu",
    "Lương",
    "Đoàn",
    "Trịnh",
    "Tô",
    "Quách",
]
# The first few family names carry most of the population, as they do in Việt Nam.
FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 4, 4.5, 3.9, 3.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5] + [0.5] * 13
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Ngọc"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khang",
    "Lâm",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]  # noqa: E501
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
]  # noqa: E501
STREETS = [
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Lý Tự Trọng",
    "Hồ Xuân Hương",
    "Quang Trung",
    "Nguyễn Trãi",
    "Lê Thánh Tông",
    "Phan Chu Trinh",
    "Bà Triệu",
    "Điện Biên Phủ",
    "Võ Thị Sáu",
    "Ngô Quyền",
    "Đinh Tiên Hoàng",
    "Trần Hưng Đạo",
    "Hùng Vương",
    "Lạc Long Quân",
    "Đội Cung",
    "Tống Duy Tân",
    "Nguyễn Du",
    "Lê Văn Hưu",
    "Phạm Ngũ Lão",
    "Yết Kiêu",
]
PLACES = [
    "Bình Hòa",
    "Trường Sơn",
    "Bắc Sơn",
    "Trung Sơn",
    "Quảng Tiến",
    "Quảng Cư",
    "Quảng Vinh",
    "Quảng Châu",
    "Quảng Thọ",
    "Đông Hải",
    "Nam Ngạn",
    "Điện Biên",
    "Ba Đình",
    "Hàm Rồng",
    "Đông Thọ",
    "Tân Sơn",
    "Ngọc Trạo",
    "Phú Sơn",
    "Lam Sơn",
    "An Hưng",
    "Đông Vệ",
    "Quảng Hưng",
    "Quảng Thành",
    "Quảng Đông",
    "Quảng Phú",
    "Quảng Tâm",
    "Hoằng Quang",
    "Hoằng Đại",
    "Thiệu Khánh",
    "Thiệu Dương",
    "Đông Lĩnh",
    "Đông Tân",
    "Long Anh",
    "Hoằng Anh",
    "Đông Cương",
    "Tào Xuyên",
]
TITLE_PATTERNS = [
    "Tuyến đường hoa {street}",
    "Đảm bảo mỹ quan đô thị đường {street}",
    "Tuyến phố văn minh {street}",
    "Thắp sáng đường quê khu phố {n}",
    "Camera an ninh khu dân cư {place}",
    "Nhà văn hóa khu phố {n} sạch, đẹp",
    "Phân loại rác tại nguồn ở {place}",
    "Hiến đất mở rộng ngõ {n} đường {street}",
    "Bữa cơm nghĩa tình cho người bệnh {place}",
    "Tủ sách cộng đồng khu phố {n}",
    "Nước sạch cho hộ nghèo {place}",
    "Điểm sinh hoạt hè cho thiếu nhi {place}",
    "Dòng họ khuyến học {family}",
    "Gia đình {family} làm kinh tế giỏi",
    "Chợ {place} văn minh, an toàn thực phẩm",
    "Bãi biển {place} xanh, sạch",
]
SUMMARY = (
    "Nhân dân và các hộ kinh doanh {where} cùng góp công, góp sức thực hiện; Mặt trận Tổ quốc và "
    "các đoàn thể vận động, giám sát; kết quả được công khai minh bạch."
)
DESCRIPTION = (
    "Thực hiện phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ "
    "hưởng”, khu phố {n} đã họp dân, thống nhất nội dung và mức đóng góp tự nguyện. "
    "Ban vận động gồm các đồng chí bí thư chi bộ, trưởng khu phố và trưởng ban công tác Mặt trận."
)
EXPENSE_ITEMS = [
    "Mua chậu hoa giấy",
    "Mua cây xanh và đất trồng",
    "Lắp đặt đèn chiếu sáng",
    "Mua camera",
    "Thuê nhân công",
    "Sơn sửa nhà văn hóa",
    "Mua thùng rác phân loại",
    "In pa nô tuyên truyền",
]
BIZ = ["Công ty TNHH", "Công ty cổ phần", "Hộ kinh doanh", "Cửa hàng", "Nhà hàng", "Khách sạn"]
ORGS = [
    "Chi hội Phụ nữ khu phố {n}",
    "Chi hội Cựu chiến binh khu phố {n}",
    "Chi đoàn khu phố {n}",
    "Trường Tiểu học {place}",
    "Ban công tác Mặt trận khu phố {n}",
]
INITIATIVE_STATUS = [("draft", 4), ("registered", 4), ("implementing", 55), ("completed", 27),
                     ("discontinued", 10)]  # fmt: skip
DONATION_KINDS = [("cash", 72), ("in_kind", 14), ("labour", 10), ("land", 4)]
CONTRIBUTOR_KINDS = [("household", 70), ("business", 15), ("organisation", 5),
                     ("individual", 9), ("collective", 1)]  # fmt: skip
ORG_KINDS = [
    ("women", "Hội Liên hiệp Phụ nữ"),
    ("veterans", "Hội Cựu chiến binh"),
    ("youth", "Đoàn Thanh niên"),
    ("fatherland_front", "Ủy ban MTTQ"),
]
PUBLIC = {"implementing", "completed", "discontinued"}


class Writer:
    """Appends rows to tables: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, batch=50_000):
        self.batch = batch
        self.counts = {}

    def next_id(self, model) -> int:
        value = model.objects.aggregate(m=models.Max("pk"))["m"]
        return (value or 0) + 1

    def write(self, model_or_table, columns, rows):
        table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
        qn = connection.ops.quote_name
        col_sql = ", ".join(qn(c) for c in columns)
        n = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
            else:
                marks = ", ".join("%s" for _ in columns)
                sql = f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({marks})"
                chunk = []
                for row in rows:
                    chunk.append(row)
                    if len(chunk) >= self.batch:
                        cursor.executemany(sql, chunk)
                        n += len(chunk)
                        chunk = []
                if chunk:
                    cursor.executemany(sql, chunk)
                    n += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def reset_sequences(self, model_list):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)


def no_style():
    from django.core.management.color import no_style as _no_style

    return _no_style()


def weighted(rng, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return lambda: rng.choices(values, weights)[0]


class Command(BaseCommand):
    help = "Synthetic, reproducible benchmark data (codes prefixed BENCH-). Never for production."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), help="ward, province or nation")
        parser.add_argument("--initiatives", type=int, help="number of models")
        parser.add_argument("--donations", type=int, help="number of donations")
        parser.add_argument("--contributors", type=int)
        parser.add_argument("--photos", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **opts):
        if opts["scale"]:
            n_init, n_don, n_contrib, n_photo = SCALES[opts["scale"]]
        elif opts["initiatives"] is not None:
            n_init = opts["initiatives"]
            n_don = opts["donations"] or n_init * 50
            n_contrib = max(1, n_don // 5)
            n_photo = n_init * 5 // 2
        else:
            raise CommandError(
                "Give --scale ward|province|nation or --initiatives N --donations M."
            )
        n_contrib = opts["contributors"] or n_contrib
        n_photo = opts["photos"] if opts["photos"] is not None else n_photo
        if n_init < 1:
            raise CommandError("--initiatives must be at least 1.")
        if Initiative.objects.filter(code__startswith=PREFIX).exists():
            raise CommandError("This database already holds benchmark data: use a fresh database.")
        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.writer = Writer()
        self.now = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
        with transaction.atomic(), ledger_totals.suspended():
            self.reference_data(n_init)
            self.initiatives(n_init)
            self.contributors(n_contrib)
            self.ledger(n_init, n_don)
            self.photos(n_init, n_photo)
            self.reviews(n_init)
            self.writer.reset_sequences(
                [
                    Initiative,
                    Contributor,
                    Pledge,
                    Donation,
                    Expense,
                    Photo,
                    Indicator,
                    OversightActivity,
                    Evaluation,
                    Score,
                    Recognition,
                    Commendation,
                    Initiative.residential_areas.through,
                ]  # fmt: skip
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM also sets the visibility map (index-only scans); not possible inside
                # a transaction (tests), where statistics are enough.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        public_pages_changed()
        seconds = time.monotonic() - started
        for table, count in sorted(self.writer.counts.items()):
            self.stdout.write(f"  {table}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bench: {n_init:,} models, {n_don:,} donations in {seconds:.1f} s"
            )
        )

    # --- names and words ---

    def person(self):
        rng = self.rng
        family = rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
        if rng.random() < 0.5:
            return f"{family} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        return f"{family} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"

    def day(self, start_year=2019, end_year=2025):
        start = date(start_year, 1, 1).toordinal()
        end = date(end_year, 5, 31).toordinal()
        return date.fromordinal(self.rng.randint(start, end))

    # --- reference data ---

    def reference_data(self, n_init):
        rng = self.rng
        n_units = max(3, min(len(PLACES), n_init // 150))
        self.units = []
        for i, place in enumerate(PLACES[:n_units]):
            kind = "ward" if i % 3 else "commune"
            unit, _ = AdminUnit.objects.get_or_create(kind=kind, name=place)
            self.units.append(unit.pk)
        self.areas = {}
        for unit_id in self.units:
            existing = list(
                ResidentialArea.objects.filter(admin_unit_id=unit_id).values_list("pk", flat=True)
            )
            for n in range(1, 9):
                area, _ = ResidentialArea.objects.get_or_create(
                    admin_unit_id=unit_id, kind="quarter", name=f"Khu phố {n}"
                )
                existing.append(area.pk)
            self.areas[unit_id] = sorted(set(existing))
        tops = [
            ("Kinh tế", ["Sản xuất, kinh doanh", "Du lịch, dịch vụ"]),
            ("Văn hóa - xã hội", ["Môi trường, mỹ quan đô thị", "An sinh xã hội", "Khuyến học"]),
            ("Quốc phòng - an ninh", ["An ninh trật tự", "Phòng cháy, chữa cháy"]),
            ("Xây dựng hệ thống chính trị", ["Cải cách hành chính", "Dân chủ ở cơ sở"]),
        ]
        self.fields = []
        for order, (name, children) in enumerate(tops):
            parent, _ = Field.objects.get_or_create(
                slug=f"bench-{vietnamese_slugify(name)}", defaults={"name": name, "order": order}
            )
            for child in children:
                field, _ = Field.objects.get_or_create(
                    slug=f"bench-{vietnamese_slugify(child)}",
                    defaults={"name": child, "parent": parent},
                )
                self.fields.append(field.pk)
        from registry.models import Organization

        self.orgs = []
        for unit_id, place in zip(self.units, PLACES, strict=False):
            for kind, label in ORG_KINDS:
                org, _ = Organization.objects.get_or_create(
                    name=f"{label} {place}", defaults={"kind": kind}
                )
                self.orgs.append(org.pk)
            del unit_id
        User = get_user_model()
        officials = Group.objects.get(name=WARD_OFFICIALS)
        self.users = []
        for i in range(1, 6):
            username = BENCH_OFFICIAL if i == 1 else f"bench-canbo-{i}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": self.person()}
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(officials)
            self.users.append(user.pk)
        rng.shuffle(self.fields)

    # --- initiatives ---

    def initiatives(self, n):
        rng = self.rng
        status_of = weighted(rng, INITIATIVE_STATUS)
        first = self.writer.next_id(Initiative)
        self.first_initiative = first
        self.public_ids = []
        rows, m2m, indicators, oversight = [], [], [], []
        for i in range(n):
            pk = first + i
            unit = rng.choice(self.units)
            n_quarter = rng.randint(1, 8)
            place = PLACES[self.units.index(unit)]
            street = rng.choice(STREETS)
            title = rng.choice(TITLE_PATTERNS).format(
                street=street,
                n=n_quarter,
                place=place,
                family=rng.choices(FAMILY, FAMILY_WEIGHTS)[0],
            )
            title = f"{title} ({i + 1})"
            code = f"{PREFIX}{i + 1:07d}"
            # The showcase (first) model is public, so the benchmark can open it.
            status = "implementing" if i == 0 else status_of()
            published = status in PUBLIC and (i == 0 or rng.random() < 0.92)
            started = self.day(2018, 2025)
            ended = (
                started + timedelta(days=rng.randint(90, 900)) if status == "completed" else None
            )
            if ended and ended > date(2025, 5, 31):
                ended = date(2025, 5, 31)
            location = f"đường {street}, khu phố {n_quarter}, {place}"
            summary = SUMMARY.format(where=f"dọc đường {street}")
            kind = "exemplar" if rng.random() < 0.2 else "model"
            subject = "individual" if kind == "exemplar" and rng.random() < 0.5 else "collective"
            search = fold(" ".join([code, title, summary, location]))
            created = self.now - timedelta(days=rng.randint(0, 2000))
            rows.append((
                pk, code, kind, subject, title, f"{vietnamese_slugify(title, 180)}-{pk}",
                rng.choice(self.fields), rng.choice(self.orgs) if rng.random() < 0.9 else None,
                unit, location, summary, DESCRIPTION.format(n=n_quarter), started, ended,
                rng.randrange(10, 2000) * 1_000_000 if rng.random() < 0.6 else None,
                status, published, created if published else None,
                rng.random() < 0.01 or i == 0, None, "", search,
                rng.choice(self.users), rng.choice(self.users), created, created,
            ))  # fmt: skip
            if published:
                self.public_ids.append(pk)
            for area in rng.sample(self.areas[unit], rng.randint(1, 2)):
                m2m.append((pk, area))
            if rng.random() < 0.5:
                indicators.append((pk, "Số hộ tham gia", "hộ", Decimal(rng.randint(20, 300)),
                                   Decimal(rng.randint(10, 300)), 0))  # fmt: skip
            if status != "draft" and rng.random() < 0.3:
                happened = self.day(2023, 2025)
                oversight.append((pk, rng.choice(["inspection", "urging", "reminder", "guidance"]),
                                  happened, "Kiểm tra tiến độ, nhắc nhở duy trì vệ sinh.",
                                  None, rng.random() < 0.7, rng.choice(self.users)))  # fmt: skip
        self.writer.write(
            Initiative,
            [
                "id",
                "code",
                "kind",
                "subject",
                "title",
                "slug",
                "field_id",
                "lead_organization_id",
                "admin_unit_id",
                "location",
                "summary",
                "description",
                "started_on",
                "ended_on",
                "funding_target",
                "status",
                "published",
                "first_published_at",
                "featured",
                "replicated_from_id",
                "adaptation_notes",
                "search_text",
                "created_by_id",
                "updated_by_id",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            rows,
        )
        self.n_init = n
        self.writer.write(
            Initiative.residential_areas.through,
            ["initiative_id", "residentialarea_id"],
            m2m,
        )
        self.writer.write(
            Indicator, ["initiative_id", "label", "unit", "target", "actual", "order"], indicators
        )
        self.writer.write(
            OversightActivity,
            ["initiative_id", "kind", "happened_on", "note", "follow_up_due", "resolved", "by_id"],
            oversight,
        )

    # --- contributors and the ledger ---

    def contributors(self, n):
        rng = self.rng
        kind_of = weighted(rng, CONTRIBUTOR_KINDS)
        first = self.writer.next_id(Contributor)
        self.contributor_range = (first, first + n)
        all_areas = [a for areas in self.areas.values() for a in areas]

        def rows():
            for i in range(n):
                kind = kind_of()
                if kind == "household":
                    name = f"Hộ {'ông' if rng.random() < 0.6 else 'bà'} {self.person()}"
                elif kind == "business":
                    name = f"{rng.choice(BIZ)} {rng.choice(PLACES)} {rng.choice(STREETS)}"
                elif kind == "organisation":
                    name = rng.choice(ORGS).format(n=rng.randint(1, 9), place=rng.choice(PLACES))
                elif kind == "collective":
                    name = f"Các hộ kinh doanh đường {rng.choice(STREETS)}"
                else:
                    name = self.person()
                publish_name = rng.random() < 0.6
                yield (
                    first + i, kind, name,
                    f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}",
                    f"000{rng.randrange(10**7):07d}",
                    rng.choice(all_areas), publish_name, publish_name and rng.random() < 0.5,
                    "Dữ liệu thử nghiệm (BENCH), không phải người thật.", self.now, fold(name),
                )  # fmt: skip

        self.writer.write(
            Contributor,
            [
                "id",
                "kind",
                "name",
                "address",
                "phone",
                "residential_area_id",
                "publish_name",
                "publish_amount",
                "note",
                "created_at",
                "name_folded",
            ],  # fmt: skip
            rows(),
        )

    def _initiative_for(self, i):
        """Donation i's model: the showcase gets exactly SHOWCASE_DONATIONS, the rest spread."""
        if i < SHOWCASE_DONATIONS:
            return self.first_initiative
        if self.n_init == 1:
            return self.first_initiative
        return self.first_initiative + 1 + self.rng.randrange(self.n_init - 1)

    def ledger(self, n_init, n_don):
        rng = self.rng
        c_lo, c_hi = self.contributor_range
        kind_of = weighted(rng, DONATION_KINDS)
        users = self.users
        # Pledges: one for every tenth donation; some cancelled.
        n_pledges = max(1, n_don // 10)
        p_first = self.writer.next_id(Pledge)
        pledges = []

        def pledge_rows():
            for i in range(n_pledges):
                initiative = self._initiative_for(i * 10)
                contributor = rng.randrange(c_lo, c_hi)
                kind = kind_of()
                on = self.day()
                cancelled = rng.random() < 0.03
                value = rng.randrange(1, 200) * 500_000
                pledges.append((initiative, contributor, kind, value))
                yield (
                    p_first + i, initiative, contributor, kind, "Cam kết đóng góp",
                    Decimal(rng.randint(1, 20)) if kind in ("labour", "land") else None,
                    {"labour": "ngày công", "land": "m²"}.get(kind, ""), value, on,
                    on + timedelta(days=rng.randint(30, 365)) if rng.random() < 0.7 else None,
                    cancelled, self.now if cancelled else None,
                    "Hộ chuyển đi nơi khác." if cancelled else "", rng.choice(users), self.now,
                )  # fmt: skip

        self.writer.write(
            Pledge,
            [
                "id",
                "initiative_id",
                "contributor_id",
                "kind",
                "description",
                "quantity",
                "unit",
                "value",
                "pledged_on",
                "due_on",
                "cancelled",
                "cancelled_at",
                "cancel_reason",
                "recorded_by_id",
                "recorded_at",
            ],  # fmt: skip
            pledge_rows(),
        )
        d_first = self.writer.next_id(Donation)
        reversals = []

        def donation_rows():
            for i in range(n_don):
                pk = d_first + i
                pledge_id = None
                if i % 10 == 0 and i // 10 < n_pledges and rng.random() < 0.8:
                    initiative, contributor, kind, _value = pledges[i // 10]
                    pledge_id = p_first + i // 10
                else:
                    initiative = self._initiative_for(i)
                    contributor = rng.randrange(c_lo, c_hi)
                    kind = kind_of()
                quantity = None
                unit = ""
                if kind == "labour":
                    quantity, unit = Decimal(rng.randint(1, 10)), "ngày công"
                elif kind == "land":
                    quantity, unit = Decimal(rng.randint(5, 200)), "m²"
                amount = rng.choice((100, 200, 300, 500, 1000, 2000, 5000, 10000, 50000)) * 1000
                received = self.day()
                row = (
                    pk, amount, None, "", rng.choice(users), self.now, initiative, contributor,
                    pledge_id, kind, "Đóng góp tự nguyện" if kind == "cash" else "Vật liệu, công",
                    quantity, unit, received, f"{PREFIX}PT-{pk:09d}", received, False,
                )  # fmt: skip
                if i >= SHOWCASE_DONATIONS and rng.random() < 0.005:
                    reversals.append(row)
                yield row

        columns = ["id", "amount", "reverses_id", "reason", "recorded_by_id", "recorded_at",
                   "initiative_id", "contributor_id", "pledge_id", "kind", "description",
                   "quantity", "unit", "received_on", "receipt_number",
                   "counted_on", "has_reversal"]  # fmt: skip
        # has_reversal starts false: the reversal's insert sets it (campaigns/append_only.py).
        self.writer.write(Donation, columns, donation_rows())
        r_first = d_first + n_don
        self.writer.write(
            Donation,
            columns,
            (
                (
                    r_first + j,
                    -row[1],
                    row[0],
                    "Ghi nhầm số tiền, điều chỉnh.",
                    row[4],
                    self.now,
                    row[6],
                    row[7],
                    row[8],
                    row[9],
                    row[10],
                    -row[11] if row[11] is not None else None,
                    row[12],
                    row[13],
                    None,
                    row[13],  # a reversal counts on its original's date
                    False,
                )  # fmt: skip
                for j, row in enumerate(reversals)
            ),
        )
        # Expenses: about one for every twenty donations.
        e_first = self.writer.next_id(Expense)
        self.writer.write(
            Expense,
            [
                "id",
                "amount",
                "reverses_id",
                "reason",
                "recorded_by_id",
                "recorded_at",
                "initiative_id",
                "description",
                "spent_on",
                "voucher_number",
                "counted_on",
                "has_reversal",
            ],  # fmt: skip
            (
                (*row, row[-2], False)  # counted_on = spent_on
                for row in (
                    (
                        e_first + i,
                        rng.randrange(1, 100) * 500_000,
                        None,
                        "",
                        rng.choice(users),
                        self.now,
                        self._initiative_for(i * 20 if i else 0),
                        rng.choice(EXPENSE_ITEMS),
                        self.day(),
                        f"{PREFIX}PC-{e_first + i:09d}",
                    )  # fmt: skip
                    for i in range(max(1, n_don // 20))
                )
            ),
        )

    # --- photos ---

    def photos(self, n_init, n_photo):
        """Photo rows share a handful of real files, generated once."""
        from PIL import Image

        rng = self.rng
        files = []
        for i, colour in enumerate([(46, 125, 50), (21, 101, 192), (198, 40, 40), (249, 168, 37)]):
            name = f"photos/bench-{i}.jpg"
            thumb = f"photos/thumbs/bench-{i}-t.jpg"
            preview = f"photos/previews/bench-{i}-p.jpg"
            for path, size in ((name, (960, 640)), (thumb, (480, 320)), (preview, (1200, 630))):
                if not default_storage.exists(path):
                    buf = BytesIO()
                    Image.new("RGB", size, colour).save(buf, "JPEG", quality=70)
                    default_storage.save(path, buf)
            files.append((name, thumb, preview))
        first = self.writer.next_id(Photo)

        def rows():
            for i in range(n_photo):
                initiative = (
                    self.first_initiative
                    if i < SHOWCASE_PHOTOS or n_init == 1
                    else self.first_initiative + 1 + rng.randrange(n_init - 1)
                )
                image, thumb, preview = files[i % len(files)]
                people = rng.random() < 0.2
                yield (
                    first + i, initiative, image, thumb, preview, 960, 640,
                    "Ảnh minh họa (dữ liệu thử nghiệm): tuyến đường trồng hoa",
                    "Người dân chăm sóc hoa" if rng.random() < 0.5 else "", "BENCH",
                    self.day(), i % 8, people, people and rng.random() < 0.7,
                )  # fmt: skip

        self.writer.write(
            Photo,
            [
                "id",
                "initiative_id",
                "image",
                "thumbnail",
                "preview",
                "width",
                "height",
                "alt_text",
                "caption",
                "credit",
                "taken_on",
                "order",
                "shows_identifiable_people",
                "people_consented",
            ],  # fmt: skip
            rows(),
        )

    # --- reviews and decisions ---

    def reviews(self, n_init):
        rng = self.rng
        campaign = Campaign.objects.create(
            title=f"{PREFIX}Phong trào “Dân vận khéo” giai đoạn 2021 - 2025",
            starts_on=date(2021, 1, 1),
            ends_on=date(2025, 12, 31),
        )
        criteria = [
            Criterion.objects.create(
                campaign=campaign, label=label, weight=w, max_score=10, order=i
            )
            for i, (label, w) in enumerate(
                [
                    ("Hiệu quả", Decimal("2")),
                    ("Sức lan tỏa", Decimal("1")),
                    ("Sự tham gia của Nhân dân", Decimal("1")),
                ]  # fmt: skip
            )
        ]
        max_total = sum(c.weight * c.max_score for c in criteria)
        rounds = [
            ReviewRound.objects.create(
                campaign=campaign,
                kind="annual",
                title=f"Đánh giá năm {year}",
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                status="closed",
            )  # fmt: skip
            for year in (2022, 2023, 2024)
        ]
        public = self.public_ids
        n_rec = max(1, len(public) // 7)
        e_first = self.writer.next_id(Evaluation)
        evals, scores, recs, comms = [], [], [], []
        e_pk = e_first
        for r in rounds:
            chosen = rng.sample(public, min(n_rec, len(public)))
            for pk in chosen:
                values = [Decimal(rng.randint(5, 10)) for _ in criteria]
                total = sum(c.weight * v for c, v in zip(criteria, values, strict=True))
                evals.append((e_pk, r.pk, pk, rng.choice(self.users), total, max_total,
                              "Mô hình duy trì tốt.", "recognise", self.now, self.now))  # fmt: skip
                for c, v in zip(criteria, values, strict=True):
                    scores.append((e_pk, c.pk, v))
                e_pk += 1
                status = rng.choices(["published", "approved", "proposed", "rejected"],
                                     [80, 8, 8, 4])[0]  # fmt: skip
                decided = status in ("published", "approved", "rejected")
                recs.append((
                    pk, r.pk, "ward_party_committee",
                    "typical" if rng.random() < 0.2 else "recognised", status,
                    "Đề nghị công nhận.", rng.choice(self.users), self.now,
                    f"{PREFIX}QĐ-{r.pk}-{pk}" if decided else "",
                    r.period_end + timedelta(days=20) if decided else None,
                    rng.choice(self.users) if decided else None, self.now if decided else None,
                    "Chưa đủ tiêu chí." if status == "rejected" else "",
                    self.now if status == "published" else None, "",
                ))  # fmt: skip
                if rng.random() < 0.3:
                    issued = rng.random() < 0.8
                    comms.append((
                        pk, r.pk, "collective", f"Ban vận động khu phố {rng.randint(1, 8)}", None,
                        rng.choice(["ward_chairman_certificate", "ward_party_certificate",
                                    "public_praise"]),
                        "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.",
                        rng.choice([None, 500_000, 1_000_000]), self.person(),
                        "issued" if issued else "draft",
                        f"{PREFIX}QĐKT-{r.pk}-{pk}" if issued else "",
                        r.period_end + timedelta(days=30) if issued else None,
                        rng.choice(self.users) if issued else None,
                        r.period_end + timedelta(days=45) if issued else None,
                        rng.choice(self.users), self.now,
                    ))  # fmt: skip
        self.writer.write(
            Evaluation,
            [
                "id",
                "review_round_id",
                "initiative_id",
                "evaluator_id",
                "total",
                "max_total",
                "comment",
                "recommendation",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            evals,
        )
        self.writer.write(Score, ["evaluation_id", "criterion_id", "value"], scores)
        self.writer.write(
            Recognition,
            [
                "initiative_id",
                "review_round_id",
                "level",
                "tier",
                "status",
                "proposal",
                "proposed_by_id",
                "proposed_at",
                "decision_number",
                "decided_on",
                "decided_by_id",
                "decided_at",
                "rejection_reason",
                "published_at",
                "source_note",
            ],  # fmt: skip
            recs,
        )
        self.writer.write(
            Commendation,
            [
                "initiative_id",
                "review_round_id",
                "recipient_kind",
                "recipient_name",
                "contributor_id",
                "form",
                "reason",
                "prize_amount",
                "signer_name",
                "status",
                "decision_number",
                "decided_on",
                "decided_by_id",
                "issued_on",
                "created_by_id",
                "created_at",
            ],  # fmt: skip
            comms,
        )
