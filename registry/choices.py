"""The registry's enumerations, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AdminUnitKind(models.TextChoices):
    # The word begins the unit's proper name ("Phường Sầm Sơn", as WARD_NAME and the ward's
    # seal write it) and stays Vietnamese in every language: English pages say "Phường Sầm
    # Sơn" too, never "Ward Sầm Sơn" beside it.
    WARD = "ward", pgettext_lazy("administrative unit, part of its proper name", "Phường")
    COMMUNE = "commune", pgettext_lazy("administrative unit, part of its proper name", "Xã")


class AreaKind(models.TextChoices):
    QUARTER = "quarter", _("Khu phố")
    GROUP = "group", _("Tổ dân phố")
    CLUSTER = "cluster", _("Cụm dân cư")


class OrganizationKind(models.TextChoices):
    PARTY = "party", _("Đảng ủy, chi bộ")
    GOVERNMENT = "government", _("Chính quyền")
    MASS_MOBILISATION = "mass_mobilisation", _("Khối dân vận")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    FARMERS = "farmers", _("Hội Nông dân")
    WOMEN = "women", _("Hội Liên hiệp Phụ nữ")
    YOUTH = "youth", _("Đoàn Thanh niên")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
    BUSINESS = "business", _("Doanh nghiệp")
    COMMUNITY = "community", _("Cộng đồng dân cư")
    OTHER = "other", _("Khác")


class InitiativeKind(models.TextChoices):
    MODEL = "model", pgettext_lazy("initiative kind", "Mô hình")
    EXEMPLAR = "exemplar", pgettext_lazy("initiative kind", "Điển hình")


class Subject(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("initiative status", "Dự thảo")
    REGISTERED = "registered", pgettext_lazy("initiative status", "Đã đăng ký")
    IMPLEMENTING = "implementing", pgettext_lazy("initiative status", "Đang thực hiện")
    COMPLETED = "completed", pgettext_lazy("initiative status", "Đã hoàn thành")
    DISCONTINUED = "discontinued", pgettext_lazy("initiative status", "Đã dừng")


# Residents see a published model only in one of these states.
PUBLIC_STATUSES = (
    InitiativeStatus.IMPLEMENTING,
    InitiativeStatus.COMPLETED,
    InitiativeStatus.DISCONTINUED,
)


class OversightKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    URGING = "urging", _("Đôn đốc")
    REMINDER = "reminder", _("Nhắc nhở")
    GUIDANCE = "guidance", _("Cầm tay chỉ việc")
    DEMONSTRATION = "demonstration", _("Làm mẫu")
    MEETING = "meeting", _("Họp, đối thoại")


class MilestoneStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("milestone status", "Dự thảo")
    PUBLISHED = "published", pgettext_lazy("milestone status", "Đã công bố")
    WITHDRAWN = "withdrawn", pgettext_lazy("milestone status", "Đã rút lại")


class PhotoRole(models.TextChoices):
    BEFORE = "before", pgettext_lazy("photo role", "Trước")
    DURING = "during", pgettext_lazy("photo role", "Trong khi làm")
    AFTER = "after", pgettext_lazy("photo role", "Sau")


# The public list's progress bands: (value, label, lowest percent, highest percent).
PROGRESS_BANDS = (
    ("0-24", _("Dưới 25%"), 0, 24),
    ("25-49", _("Từ 25% đến dưới 50%"), 25, 49),
    ("50-74", _("Từ 50% đến dưới 75%"), 50, 74),
    ("75-99", _("Từ 75% đến dưới 100%"), 75, 99),
    ("100", _("Đạt 100%"), 100, 100),
)
# A model whose timeline has not moved for this many days is "not updated" in the list.
STALE_AFTER_DAYS = 90
