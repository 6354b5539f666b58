"""Campaigns, review rounds, evaluations, recognitions and commendations.

Statuses change only in ``campaigns/workflow/``; nothing here moves a status. Each
entity with a status has a ``…Transition`` table: who, when, from, to and why.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Initiative, LegalDocument, TransitionRecord
from registry.money import MoneyField

from ..review_choices import (
    CERTIFICATE_FORMS,
    RECOGNITION_DECIDED,
    REQUIRED_DOSSIER_KINDS,
    CommendationForm,
    CommendationStatus,
    DossierKind,
    RecipientKind,
    RecognitionLevel,
    RecognitionStatus,
    RecognitionTier,
    Recommendation,
    RoundKind,
    RoundStatus,
)
from ..storage import private_storage

__all__ = [
    "Campaign",
    "ReviewRound",
    "ReviewRoundTransition",
    "Criterion",
    "Evaluation",
    "Score",
    "Recognition",
    "RecognitionTransition",
    "Commendation",
    "CommendationTransition",
    "DossierDocument",
]

_TWO_PLACES = Decimal("0.01")


class Campaign(models.Model):
    """An emulation movement for a period, e.g. "Dân vận khéo" in 2023."""

    title = models.CharField(_("tên phong trào"), max_length=300)
    legal_basis = models.ManyToManyField(
        LegalDocument, verbose_name=_("căn cứ"), blank=True, related_name="campaigns"
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    description = models.TextField(_("nội dung"), blank=True)

    history = HistoricalRecords(m2m_fields=[legal_basis])

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-starts_on", "title"]
        # The summary reports cover every campaign: the permission lives here.
        permissions = [("view_report", _("Xem và xuất báo cáo sơ kết, tổng kết"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_in_order"
            ),
        ]

    def __str__(self):
        return self.title


class ReviewRound(models.Model):
    """An interim, annual or final review (sơ kết, tổng kết) of a campaign."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("phong trào"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=RoundKind.choices)
    title = models.CharField(_("tên đợt"), max_length=200)
    period_start = models.DateField(_("kỳ đánh giá từ"))
    period_end = models.DateField(_("kỳ đánh giá đến"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RoundStatus.choices,
        default=RoundStatus.OPEN,
        editable=False,
    )

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-period_end", "title"]
        permissions = [("close_reviewround", _("Đóng hoặc mở lại đợt đánh giá"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="round_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Criterion(models.Model):
    """One line of a campaign's scoring form: each province sets its own."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="criteria"
    )
    label = models.CharField(_("tiêu chí"), max_length=200)
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.DecimalField(
        _("điểm tối đa"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí đánh giá")
        verbose_name_plural = _("tiêu chí đánh giá")
        ordering = ["campaign", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="criterion_unique_label"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="criterion_max_score_positive"
            ),
        ]

    def __str__(self):
        return self.label


class EvaluationQuerySet(models.QuerySet):
    def with_scores(self):
        return self.select_related(
            "review_round__campaign", "initiative", "evaluator"
        ).prefetch_related("scores__criterion")


class Evaluation(models.Model):
    """One evaluator's scores for one model in one round.

    ``total`` is the weighted sum Σ weight × score, kept next to the scores by
    ``workflow.evaluation_save`` (never by ``save()``); ``max_total`` is Σ weight × max.
    """

    review_round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("đợt đánh giá"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("mô hình, điển hình"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chấm"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    total = models.DecimalField(
        _("tổng điểm (có trọng số)"), max_digits=9, decimal_places=2, editable=False
    )
    max_total = models.DecimalField(
        _("tổng điểm tối đa"), max_digits=9, decimal_places=2, editable=False
    )
    comment = models.TextField(_("nhận xét"), blank=True)
    recommendation = models.CharField(_("kiến nghị"), max_length=16, choices=Recommendation.choices)
    created_at = models.DateTimeField(_("chấm lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords()
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["-review_round__period_end", "initiative__title", "evaluator_id"]
        permissions = [("score_evaluation", _("Chấm điểm mô hình trong đợt đánh giá"))]
        constraints = [
            models.UniqueConstraint(
                fields=["review_round", "initiative", "evaluator"],
                name="evaluation_one_per_evaluator",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=F("max_total")),
                name="evaluation_total_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.initiative} · {self.review_round} · {self.evaluator}"

    @property
    def percent(self) -> Decimal:
        """The total on a 0–100 scale, whatever the criteria's maxima add up to."""
        if not self.max_total:
            return Decimal("0")
        return (self.total * 100 / self.max_total).quantize(_TWO_PLACES)


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="score_one_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ReviewRoundTransition(TransitionRecord):
    SUBJECT = "review_round"

    review_round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái đợt đánh giá")
        verbose_name_plural = _("lịch sử đợt đánh giá")


class RecognitionQuerySet(models.QuerySet):
    def public(self):
        """Decisions residents may see: approved and then published."""
        return self.filter(status=RecognitionStatus.PUBLISHED)


class Recognition(models.Model):
    """A party committee's (or steering committee's) recognition of a model in a round."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("mô hình, điển hình"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    review_round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("đợt đánh giá"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    level = models.CharField(
        _("cấp công nhận"),
        max_length=32,
        choices=RecognitionLevel.choices,
        default=RecognitionLevel.WARD_PARTY_COMMITTEE,
    )
    tier = models.CharField(
        _("mức"),
        max_length=16,
        choices=RecognitionTier.choices,
        default=RecognitionTier.RECOGNISED,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.PROPOSED,
        editable=False,
    )
    proposal = models.TextField(_("nội dung đề nghị"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    proposed_at = models.DateTimeField(_("đề nghị lúc"), null=True, blank=True, editable=False)
    # Blank only for records imported from reports that name no decision (see fixtures/README).
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, editable=False
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(
        _("ghi quyết định lúc"), null=True, blank=True, editable=False
    )
    rejection_reason = models.TextField(_("lý do không duyệt"), blank=True, editable=False)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, editable=False)
    source_note = models.CharField(
        _("nguồn"),
        max_length=400,
        blank=True,
        help_text=_("Với quyết định nhập lại từ báo cáo: văn bản, bài viết đã nêu."),
    )

    history = HistoricalRecords()
    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("công nhận mô hình")
        verbose_name_plural = _("công nhận mô hình")
        ordering = ["-review_round__period_end", "initiative__title"]
        indexes = [
            # The dashboard's "awaiting a decision", oldest proposal first.
            models.Index(
                fields=["proposed_at", "id"],
                name="recognition_proposed_idx",
                condition=Q(status=RecognitionStatus.PROPOSED),
            ),
        ]
        permissions = [
            ("propose_recognition", _("Đề nghị công nhận mô hình")),
            ("decide_recognition", _("Duyệt hoặc không duyệt công nhận mô hình")),
            ("publish_recognition", _("Công bố quyết định công nhận")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "review_round", "level"],
                condition=Q(status__in=RECOGNITION_DECIDED),
                name="recognition_one_decision_per_level_round",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecognitionStatus.values),
                name="recognition_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecognitionStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="recognition_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecognitionStatus.REJECTED) | ~Q(rejection_reason=""),
                name="recognition_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.initiative} · {self.get_level_display()} · {self.review_round}"


class RecognitionTransition(TransitionRecord):
    SUBJECT = "recognition"

    recognition = models.ForeignKey(
        Recognition, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái công nhận")
        verbose_name_plural = _("lịch sử công nhận")


class CommendationQuerySet(models.QuerySet):
    def public(self):
        """Commendations residents may see: decided and handed over, not revoked."""
        return self.filter(status=CommendationStatus.ISSUED)


class Commendation(models.Model):
    """A commendation (khen thưởng) or public praise, in the context of a model.

    ``contributor`` links a commended household or business to its ledger entries, when the
    recipient is one of the model's contributors.
    """

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("mô hình, điển hình"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    review_round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("đợt đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    recipient_kind = models.CharField(_("đối tượng"), max_length=16, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("tên tập thể, cá nhân"), max_length=300)
    contributor = models.ForeignKey(
        "campaigns.Contributor",
        verbose_name=_("người đóng góp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    form = models.CharField(_("hình thức"), max_length=32, choices=CommendationForm.choices)
    reason = models.TextField(
        _("thành tích"),
        help_text=_(
            "In nguyên văn trên giấy khen, ví dụ: “Đã có thành tích xuất sắc trong phong trào "
            "thi đua …”."
        ),
    )
    prize_amount = MoneyField(_("tiền thưởng (đồng)"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CommendationStatus.choices,
        default=CommendationStatus.DRAFT,
        editable=False,
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, editable=False
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    issued_on = models.DateField(_("ngày trao"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The dashboard's drafts with missing documents, oldest first.
            models.Index(
                fields=["created_at", "id"],
                name="commendation_draft_idx",
                condition=Q(status=CommendationStatus.DRAFT),
            ),
        ]
        permissions = [
            ("propose_commendation", _("Lập và trình hồ sơ khen thưởng")),
            ("decide_commendation", _("Quyết định, không khen hoặc thu hồi khen thưởng")),
            ("issue_commendation", _("Ghi nhận đã trao khen thưởng")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommendationStatus.values),
                name="commendation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(prize_amount__isnull=True) | Q(prize_amount__gte=0),
                name="commendation_prize_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "issued"])
                | (~Q(decision_number="") & Q(decided_on__isnull=False)),
                name="commendation_decision_has_number_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_form_display()}: {self.recipient_name}"

    @property
    def has_certificate(self) -> bool:
        return self.form in CERTIFICATE_FORMS

    @property
    def is_party_form(self) -> bool:
        return self.form == CommendationForm.WARD_PARTY_CERTIFICATE

    def missing_dossier_kinds(self) -> list:
        """The required dossier kinds not attached yet (empty when complete)."""
        present = set(self.documents.values_list("kind", flat=True))
        return [kind for kind in REQUIRED_DOSSIER_KINDS if kind not in present]


class CommendationTransition(TransitionRecord):
    SUBJECT = "commendation"

    commendation = models.ForeignKey(
        Commendation, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái khen thưởng")
        verbose_name_plural = _("lịch sử khen thưởng")


def dossier_upload_to(instance, filename):
    # The name was generated by campaigns/dossiers.py; keep only its basename.
    return f"dossiers/{filename.rsplit('/', 1)[-1]}"


class DossierDocument(models.Model):
    """A file of a commendation's dossier: PDF or image, private, under a generated name."""

    commendation = models.ForeignKey(
        Commendation,
        verbose_name=_("khen thưởng"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("loại tài liệu"), max_length=24, choices=DossierKind.choices)
    file = models.FileField(_("tệp"), upload_to=dossier_upload_to, storage=private_storage)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("hồ sơ khen thưởng")
        ordering = ["commendation", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.original_name or self.file.name})"

    @property
    def download_name(self) -> str:
        ext = self.file.name.rsplit(".", 1)[-1]
        return f"{self.kind}-{self.commendation_id}-{self.pk}.{ext}"
