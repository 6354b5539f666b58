"""Synthetic progress milestones and residents' feedback, added to a database that
``seed_bench`` has already seeded::

    DJANGO_SETTINGS_MODULE=bench.settings python manage.py seed_bench_participation \\
        --milestones 200 --feedback 1000 --seed 7

A separate command rather than more of ``seed_bench``: the province database already holds
a million donations, and ``seed_bench`` only ever seeds an empty one; this adds the newer
tables to it in seconds, and ``bench/run.py`` runs it when they are missing.

The busy model is the one the harness opens as "model page" (code ``BENCH-0000001``): it
gets ``--milestones`` milestones on its public timeline (some with progress changes, a few
withdrawn, a few corrected by a later one) and ``--feedback`` feedback items (every kind and
status; a realistic share published with an answer). ``--other-feedback`` items are spread
over other public models so that /gop-y/ has many pages. Every feedback code starts with
``BENCH-GY-``, phones are ``000…``, names are synthetic and mostly not shown. Rows are bulk
written (COPY on PostgreSQL) without ``save()`` and without history rows; the same
``--seed`` gives the same rows.
"""

import hashlib
import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from participation.models import Feedback, FeedbackAnswer
from registry.models import Initiative, Milestone
from wardmodels.pagecache import public_pages_changed

from .seed_bench import BENCH_OFFICIAL, PREFIX, Writer

SHOWCASE_CODE = f"{PREFIX}0000001"
FEEDBACK_PREFIX = f"{PREFIX}GY-"
FEEDBACK_YEAR = 2025

MILESTONE_TITLES = [
    "Họp dân thống nhất chủ trương, mức đóng góp",
    "Ra mắt Ban vận động khu phố",
    "Khảo sát hiện trạng tuyến đường",
    "Phát động ngày cao điểm ra quân",
    "Hoàn thành trồng hoa đoạn {a} – {b}",
    "Lắp đặt {n} bóng đèn chiếu sáng",
    "Lắp đặt {n} camera an ninh",
    "Tổng vệ sinh, khơi thông cống rãnh",
    "Sơn sửa tường rào, vẽ tranh bích họa",
    "Tiếp nhận {n} chậu hoa giấy do các hộ ủng hộ",
    "Các hộ hiến {n} m² đất mở rộng ngõ",
    "Đổ bê tông mặt ngõ đoạn {a} – {b}",
    "Công khai thu, chi quý {q}",
    "Đoàn kiểm tra của phường làm việc",
    "Chi đoàn thanh niên chăm sóc hoa dịp hè",
    "Sơ kết {n} tháng thực hiện",
    "Bổ sung thùng rác phân loại tại {n} điểm",
    "Tập huấn phân loại rác cho các hộ",
    "Trao tặng {n} suất quà cho hộ khó khăn",
    "Khắc phục hư hỏng sau mưa bão",
]
MILESTONE_BODY = (
    "Ban vận động cùng các hộ dân khu phố thực hiện; Mặt trận và các đoàn thể giám sát. "
    "Dữ liệu thử nghiệm (BENCH)."
)
FEEDBACK_KINDS = [("suggestion", 45), ("complaint", 25), ("question", 20), ("praise", 10)]
# What happened to residents' items: most get an answer; a few are refused or repeated.
FEEDBACK_STATUSES = [
    ("new", 8),
    ("received", 8),
    ("in_progress", 9),
    ("answered", 45),
    ("closed", 20),
    ("not_published", 4),
    ("spam", 3),
    ("duplicate", 3),
]
FEEDBACK_TEXTS = {
    "suggestion": [
        "Đề nghị bố trí thêm ghế đá dọc tuyến đường hoa để người già nghỉ chân.",
        "Nên trồng thêm cây bóng mát ở đầu ngõ {n}.",
        "Đề nghị có lịch tưới hoa luân phiên giữa các hộ, dán ở nhà văn hóa.",
    ],
    "complaint": [
        "Đèn chiếu sáng ở cột số {n} bị hỏng đã hơn một tuần.",
        "Có người đổ rác không đúng giờ ở đầu ngõ {n}, gây mất vệ sinh.",
        "Một số chậu hoa bị đổ, vỡ sau trận mưa to, chưa được dọn.",
    ],
    "question": [
        "Khoản đóng góp của hộ tôi đã được ghi nhận chưa, xem ở đâu?",
        "Khi nào công khai thu, chi của quý này?",
        "Hộ mới chuyển đến có được tham gia chăm sóc hoa không?",
    ],
    "praise": [
        "Tuyến đường đẹp hơn hẳn, cảm ơn Ban vận động và các hộ dân.",
        "Các cháu thanh niên chăm hoa rất chu đáo, xin biểu dương.",
    ],
}
ANSWERS = [
    "Cảm ơn ông/bà đã góp ý. Ban vận động đã tiếp thu và sẽ thực hiện trong tháng tới.",
    "Phường đã cử cán bộ kiểm tra và khắc phục xong; mời ông/bà tiếp tục theo dõi, giám sát.",
    "Thông tin thu, chi được công khai tại nhà văn hóa khu phố và trên trang của mô hình.",
    "Trân trọng cảm ơn những lời động viên của bà con.",
]
NAMES = ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Minh Tuấn", "Phạm Thu Hà", "Hoàng Đức Long"]


def weighted(rng, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return lambda: rng.choices(values, weights)[0]


class Command(BaseCommand):
    help = "Synthetic milestones and feedback for the benchmark's busy model. Never for production."

    def add_arguments(self, parser):
        parser.add_argument("--milestones", type=int, default=200)
        parser.add_argument("--feedback", type=int, default=1000)
        parser.add_argument(
            "--other-feedback", type=int, default=4000, help="spread over other public models"
        )
        parser.add_argument("--other-models", type=int, default=400)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **opts):
        showcase = Initiative.objects.filter(code=SHOWCASE_CODE).first()
        if showcase is None:
            raise CommandError("No benchmark data here: run seed_bench first.")
        if Feedback.objects.filter(code__startswith=FEEDBACK_PREFIX).exists():
            raise CommandError("This database already holds benchmark feedback.")
        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.writer = Writer()
        self.now = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
        from django.contrib.auth import get_user_model

        self.official = get_user_model().objects.get(username=BENCH_OFFICIAL).pk
        others = list(
            Initiative.objects.public()
            .exclude(pk=showcase.pk)
            .filter(code__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        others = self.rng.sample(others, min(opts["other_models"], len(others)))
        with transaction.atomic():
            self.milestones(showcase, opts["milestones"])
            targets = [showcase.pk] * opts["feedback"]
            if others:
                targets += [others[i % len(others)] for i in range(opts["other_feedback"])]
            self.feedback(targets)
            self.writer.reset_sequences([Milestone, Feedback, FeedbackAnswer])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("registry_milestone", "participation_feedback",
                              "participation_feedbackanswer"):  # fmt: skip
                    cursor.execute(f"ANALYZE {table}")
        public_pages_changed()
        for table, count in sorted(self.writer.counts.items()):
            self.stdout.write(f"  {table}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bench_participation: {opts['milestones']:,} milestones, "
                f"{len(targets):,} feedback items in {time.monotonic() - started:.1f} s"
            )
        )

    def milestones(self, initiative, n):
        """``n`` milestones on the timeline, oldest first, one every few days up to the bench's
        today: about a third move the progress (never down without a reason), one in forty is
        withdrawn with its reason, one in twenty-five is corrected by a later milestone."""
        rng = self.rng
        first = self.writer.next_id(Milestone)
        day = self.now.date() - timedelta(days=n * 4)
        progress = 0
        rows = []
        corrected = set()
        for i in range(n):
            pk = first + i
            day += timedelta(days=rng.randint(1, 6))
            day = min(day, self.now.date())
            title = rng.choice(MILESTONE_TITLES).format(
                a=rng.randint(1, 50), b=rng.randint(51, 120), n=rng.randint(2, 40),
                q=rng.randint(1, 4),
            )  # fmt: skip
            before = after = None
            if rng.random() < 0.35 and progress < 100:
                before, progress = progress, min(100, progress + rng.choice((1, 1, 1, 2)))
                after = progress
            status, withdrawn_reason, withdrawn_at, supersedes = "published", "", None, None
            at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
            if rng.random() < 0.025:
                status, withdrawn_reason = "withdrawn", "Đăng nhầm mô hình, đã rút lại."
                withdrawn_at = at + timedelta(days=1)
            elif i > 10 and rng.random() < 0.04:
                # A correction of an earlier published milestone (one correction each).
                candidates = [
                    r[0] for r in rows[-10:] if r[12] == "published" and r[0] not in corrected
                ]
                if candidates:
                    supersedes = rng.choice(candidates)
                    corrected.add(supersedes)
                    title = f"Đính chính: {title}"[:120]
            rows.append((
                pk, initiative.pk, title, MILESTONE_BODY, day, None, before, after, "",
                "", "", False, status, supersedes, at, self.official, withdrawn_reason,
                withdrawn_at, self.official, at, withdrawn_at or at,
            ))  # fmt: skip
        self.writer.write(
            Milestone,
            ["id", "initiative_id", "title", "body", "occurred_on", "planned_on",
             "progress_before", "progress_after", "progress_reason", "status_before",
             "status_after", "automatic", "status", "supersedes_id", "published_at",
             "published_by_id", "withdrawn_reason", "withdrawn_at", "created_by_id",
             "created_at", "updated_at"],
            rows,
        )  # fmt: skip
        Initiative.objects.filter(pk=initiative.pk).update(progress=progress)

    def feedback(self, targets):
        rng = self.rng
        kind_of = weighted(rng, FEEDBACK_KINDS)
        status_of = weighted(rng, FEEDBACK_STATUSES)
        first = self.writer.next_id(Feedback)
        a_first = self.writer.next_id(FeedbackAnswer)
        start = self.now - timedelta(days=365)
        items, answers = [], []
        # Oldest first, so that a duplicate always points at an earlier item.
        moments = sorted(start + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in targets)
        for i, (initiative, created) in enumerate(zip(targets, moments, strict=True)):
            pk = first + i
            kind = kind_of()
            status = status_of()
            if status == "duplicate" and i == 0:
                status = "new"
            text = rng.choice(FEEDBACK_TEXTS[kind]).format(n=rng.randint(1, 40))
            name = rng.choice(NAMES) if rng.random() < 0.7 else ""
            show_name = bool(name) and rng.random() < 0.2
            phone = f"000{rng.randrange(10**7):07d}" if rng.random() < 0.6 else ""
            received = created + timedelta(hours=rng.randint(1, 48)) if status != "new" else None
            answered = status in ("answered", "closed")
            answered_at = received + timedelta(days=rng.randint(1, 12)) if answered else None
            # Answered items are mostly published (with the answer); open ones sometimes.
            published = status not in ("spam", "duplicate", "not_published") and (
                rng.random() < (0.85 if answered else 0.3)
            )
            published_at = (answered_at or received or created) + timedelta(hours=2)
            published_at = published_at if published else None
            rating = rng.randint(1, 5) if answered and rng.random() < 0.4 else None
            items.append((
                pk, f"{FEEDBACK_PREFIX}{FEEDBACK_YEAR}-{i + 1:06d}", FEEDBACK_YEAR, i + 1,
                initiative, kind, text, text if published else "", name, show_name, phone,
                bool(phone) and rng.random() < 0.8,
                hashlib.sha256(f"bench-client-{i % 700}".encode()).hexdigest(), None,
                hashlib.sha256(f"bench-token-{pk}".encode()).hexdigest(), status, created,
                received, received.date() + timedelta(days=15) if received else None,
                answered_at, created + timedelta(days=30) if status == "closed" else None,
                published_at, self.official if received else None,
                "Nội dung có thông tin cá nhân của người khác." if status == "not_published"
                else "",
                first + rng.randrange(i) if status == "duplicate" else None,
                rating, answered_at + timedelta(days=1) if rating else None,
                "",  # form_stamp_hash: no form was handed out for seeded items
            ))  # fmt: skip
            if answered:
                answers.append((
                    a_first + len(answers), pk, rng.choice(ANSWERS), self.official,
                    answered_at, answered_at,
                ))  # fmt: skip
        self.writer.write(
            Feedback,
            ["id", "code", "year", "number", "initiative_id", "kind", "text", "public_text",
             "name", "show_name", "phone", "contact_consent", "client_hash",
             "contacts_erased_at", "token_hash", "status", "created_at", "received_at",
             "due_on", "answered_at", "closed_at", "published_at", "assignee_id", "reason",
             "duplicate_of_id", "rating", "rated_at", "form_stamp_hash"],
            items,
        )  # fmt: skip
        self.writer.write(
            FeedbackAnswer,
            ["id", "feedback_id", "text", "by_id", "created_at", "updated_at"],
            answers,
        )
