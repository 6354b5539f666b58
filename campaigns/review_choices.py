"""Enumerations of the review → recognition → commendation track."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoundKind(models.TextChoices):
    INTERIM = "interim", _("Sơ kết")
    ANNUAL = "annual", _("Đánh giá năm")
    FINAL = "final", _("Tổng kết")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review round status", "Đang mở")
    CLOSED = "closed", pgettext_lazy("review round status", "Đã đóng")


class Recommendation(models.TextChoices):
    RECOGNISE = "recognise", _("Đề nghị công nhận")
    CONTINUE = "continue", _("Tiếp tục theo dõi")
    STOP = "stop", _("Đề nghị dừng")


class RecognitionLevel(models.TextChoices):
    WARD_PARTY_COMMITTEE = "ward_party_committee", _("Đảng ủy phường")
    WARD_STEERING_COMMITTEE = "ward_steering_committee", _("Ban Chỉ đạo phường")
    HIGHER = "higher", _("Cấp trên")


class RecognitionTier(models.TextChoices):
    RECOGNISED = "recognised", pgettext_lazy("recognition tier", "Được công nhận")
    TYPICAL = "typical", pgettext_lazy("recognition tier", "Tiêu biểu")


class RecognitionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("recognition status", "Đề nghị")
    APPROVED = "approved", pgettext_lazy("recognition status", "Đã duyệt")
    REJECTED = "rejected", pgettext_lazy("recognition status", "Không duyệt")
    PUBLISHED = "published", pgettext_lazy("recognition status", "Đã công bố")


# A model holds at most one of these per level and round (a partial unique constraint).
RECOGNITION_DECIDED = (RecognitionStatus.APPROVED, RecognitionStatus.PUBLISHED)


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")
    BUSINESS = "business", _("Doanh nghiệp")


class CommendationForm(models.TextChoices):
    WARD_CHAIRMAN_CERTIFICATE = (
        "ward_chairman_certificate",
        _("Giấy khen của Chủ tịch UBND phường"),
    )
    WARD_PARTY_CERTIFICATE = "ward_party_certificate", _("Giấy khen của Đảng ủy phường")
    PUBLIC_PRAISE = "public_praise", _("Biểu dương")
    HIGHER_PROPOSAL = "higher_proposal", _("Đề nghị cấp trên khen thưởng")


# Forms that come with a printed certificate (giấy khen).
CERTIFICATE_FORMS = (
    CommendationForm.WARD_CHAIRMAN_CERTIFICATE,
    CommendationForm.WARD_PARTY_CERTIFICATE,
)


class CommendationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("commendation status", "Dự thảo")
    SUBMITTED = "submitted", pgettext_lazy("commendation status", "Đã trình")
    DECIDED = "decided", pgettext_lazy("commendation status", "Đã có quyết định")
    REJECTED = "rejected", pgettext_lazy("commendation status", "Không khen thưởng")
    ISSUED = "issued", pgettext_lazy("commendation status", "Đã trao")
    REVOKED = "revoked", pgettext_lazy("commendation status", "Đã thu hồi")


class DossierKind(models.TextChoices):
    PROPOSAL_LETTER = "proposal_letter", _("Tờ trình")
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    COUNCIL_MINUTES = "council_minutes", _("Biên bản họp Hội đồng thi đua – khen thưởng")
    OTHER = "other", _("Tài liệu khác")


# A commendation is submitted only with all three of these attached.
REQUIRED_DOSSIER_KINDS = (
    DossierKind.PROPOSAL_LETTER,
    DossierKind.ACHIEVEMENT_REPORT,
    DossierKind.COUNCIL_MINUTES,
)
