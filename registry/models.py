"""The register of models (mô hình) and exemplars (điển hình), and what they stand on.

State changes of an initiative live in ``registry/workflow.py``; nothing here changes a
status. ``search_text`` is the one derived column: the folded text the public search reads,
kept next to the row so that PostgreSQL can index it and SQLite can scan it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    PUBLIC_STATUSES,
    AdminUnitKind,
    AreaKind,
    InitiativeKind,
    InitiativeStatus,
    MilestoneStatus,
    OrganizationKind,
    OversightKind,
    PhotoRole,
    Subject,
)
from .money import MoneyField
from .text import fold


class AdminUnit(models.Model):
    """A ward or commune. Merged units keep their rows: valid_to and the successor say so."""

    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=AdminUnitKind.choices)
    # Left empty rather than guessed: the demo does not know its ward's code.
    code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9]{5}$", _("Mã phường, xã gồm đúng 5 chữ số."), code="unit_code")
        ],
        help_text=_(
            "Mã 5 chữ số của phường, xã trong Danh mục đơn vị hành chính Việt Nam (Tổng cục "
            "Thống kê); để trống nếu chưa biết. Được công bố trong dữ liệu mở."
        ),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="adminunit_unique_kind_name"),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="adminunit_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(code="") | Exact(Length("code"), 5),
                name="adminunit_code_five_characters",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="adminunit_valid_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")), name="adminunit_not_own_successor"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class ResidentialArea(models.Model):
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=AreaKind.choices)
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("phường, xã"),
        on_delete=models.PROTECT,
        related_name="areas",
    )

    class Meta:
        verbose_name = _("khu dân cư")
        verbose_name_plural = _("khu dân cư")
        ordering = ["admin_unit__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["admin_unit", "kind", "name"], name="area_unique_in_unit"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def unique_error_message(self, model_class, unique_check):
        # Django's message names the three columns; an official needs the area and its ward.
        if set(unique_check) == {"admin_unit", "kind", "name"}:
            return ValidationError(
                _("%(area)s đã có trong %(unit)s."),
                code="unique_together",
                params={"area": str(self), "unit": self.admin_unit},
            )
        return super().unique_error_message(model_class, unique_check)


class Field(models.Model):
    """A field of work: four top-level fields, each with sub-fields."""

    name = models.CharField(_("tên"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="field_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("Lĩnh vực chỉ có hai cấp: hãy chọn một lĩnh vực cấp trên.")},
                code="field_depth",
            )


class Organization(models.Model):
    name = models.CharField(_("tên"), max_length=200, unique=True)
    kind = models.CharField(_("loại"), max_length=24, choices=OrganizationKind.choices)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalDocument(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    title = models.CharField(_("trích yếu"), max_length=400)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = _("văn bản căn cứ")
        ordering = ["-issued_on", "number"]

    def __str__(self):
        return f"{self.number}: {self.title}"


class InitiativeQuerySet(models.QuerySet):
    def public(self):
        """What residents may see: published, in a public status."""
        return self.filter(published=True, status__in=PUBLIC_STATUSES)

    def with_public_relations(self):
        """Everything a public list card shows, without one query per card."""
        return self.select_related(
            "field__parent", "lead_organization", "admin_unit"
        ).prefetch_related(
            models.Prefetch("photos", queryset=Photo.objects.public(), to_attr="public_photos"),
        )


_KIND_LABELS = dict(InitiativeKind.choices)
_STATUS_LABELS = dict(InitiativeStatus.choices)


class Initiative(models.Model):
    """A "Dân vận khéo" model or exemplar, from its registration to its end."""

    code = models.CharField(
        _("mã số"),
        max_length=30,
        unique=True,
        help_text=_("Mã số trong sổ của phường, ví dụ DVK-2023-01."),
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=InitiativeKind.choices, default=InitiativeKind.MODEL
    )
    subject = models.CharField(
        _("chủ thể"), max_length=16, choices=Subject.choices, default=Subject.COLLECTIVE
    )
    title = models.CharField(_("tên mô hình, điển hình"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        help_text=_("Chữ không dấu, tự tạo từ tên; không đổi sau khi đã công khai."),
    )
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="initiatives"
    )
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
    )
    partner_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("tổ chức phối hợp"),
        blank=True,
        related_name="partner_initiatives",
    )
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("phường, xã"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    residential_areas = models.ManyToManyField(
        ResidentialArea, verbose_name=_("khu dân cư"), blank=True, related_name="initiatives"
    )
    location = models.CharField(
        _("địa điểm"),
        max_length=400,
        blank=True,
        help_text=_("Ví dụ: từ đường Hồ Xuân Hương đến đường Lý Tự Trọng, cầu Bình Hòa."),
    )
    summary = models.TextField(_("tóm tắt"), max_length=1000, blank=True)
    description = models.TextField(_("nội dung"), blank=True)
    legal_basis = models.ManyToManyField(
        LegalDocument, verbose_name=_("căn cứ"), blank=True, related_name="initiatives"
    )
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    funding_target = MoneyField(_("mục tiêu kinh phí (đồng)"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.DRAFT,
        editable=False,
    )
    published = models.BooleanField(_("công khai"), default=False, editable=False)
    first_published_at = models.DateTimeField(
        _("công khai lần đầu lúc"), null=True, blank=True, editable=False
    )
    featured = models.BooleanField(_("nổi bật trên trang chủ"), default=False)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("nhân rộng từ mô hình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replications",
    )
    adaptation_notes = models.TextField(
        _("điều chỉnh cho phù hợp địa bàn"),
        blank=True,
        help_text=_(
            "Bắt buộc khi nhân rộng: mô hình đã được điều chỉnh thế nào cho khu dân cư này "
            "(tuyệt đối không bắt chước)."
        ),
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Con số công khai: tiến độ nhập tay, hoặc tính từ các chỉ tiêu."),
    )
    progress_entered = models.PositiveSmallIntegerField(
        _("tiến độ nhập tay (%)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Để trống để tính từ kết quả các chỉ tiêu so với mục tiêu."),
    )
    progress_updated_on = models.DateField(
        _("cập nhật tiến độ ngày"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Ngày của mốc tiến độ mới nhất đã công bố."),
    )
    search_text = models.TextField(editable=False, default="")
    # The printed posters' short link (/q/<code>): given once (registry/short_links.py) and
    # never changed, so that a poster keeps working whatever happens to the slug.
    short_code = models.CharField(
        _("mã đường dẫn ngắn"), max_length=6, null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "short_code"])
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình, điển hình")
        verbose_name_plural = _("mô hình, điển hình")
        ordering = ["-started_on", "title"]
        permissions = [
            ("submit_initiative", _("Gửi đăng ký mô hình")),
            ("approve_initiative", _("Duyệt hoặc trả lại đăng ký mô hình")),
            ("complete_initiative", _("Đánh dấu mô hình đã hoàn thành")),
            ("discontinue_initiative", _("Dừng hoặc cho tiếp tục mô hình")),
            ("publish_initiative", _("Công khai hoặc ẩn mô hình")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InitiativeKind.values), name="initiative_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="initiative_slug_not_empty"),
            models.CheckConstraint(condition=~Q(code=""), name="initiative_code_not_empty"),
            models.CheckConstraint(
                condition=Q(funding_target__isnull=True) | Q(funding_target__gte=0),
                name="initiative_funding_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="initiative_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(replicated_from__isnull=True) | ~Q(adaptation_notes=""),
                name="initiative_replication_needs_adaptation_notes",
            ),
            models.CheckConstraint(
                condition=~Q(replicated_from=F("id")), name="initiative_not_replica_of_itself"
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(first_published_at__isnull=False),
                name="initiative_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="initiative_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(progress_entered__isnull=True)
                | Q(progress_entered__gte=0, progress_entered__lte=100),
                name="initiative_progress_entered_percent",
            ),
            # Unique where given. Partial, so that SQLite adds it as an index instead of
            # rebuilding the table (which its ledger triggers refer to); the same rule.
            models.UniqueConstraint(
                fields=["short_code"],
                condition=Q(short_code__isnull=False),
                name="initiative_short_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["published", "status"], name="initiative_public_idx"),
            models.Index(fields=["started_on"], name="initiative_started_idx"),
            # The public list's order and the home page's featured order, over public
            # rows only (PostgreSQL also has a trigram index on search_text: migration 0003).
            models.Index(
                F("started_on").desc(),
                "title",
                "id",
                name="initiative_public_list_idx",
                condition=Q(published=True, status__in=PUBLIC_STATUSES),
            ),
            # The workspace list's order, and the dashboard's models under way
            # without photos (by title).
            models.Index(F("updated_at").desc(), "id", name="initiative_updated_idx"),
            models.Index(
                fields=["title", "id"],
                name="initiative_implementing_idx",
                condition=Q(status=InitiativeStatus.IMPLEMENTING),
            ),
            models.Index(
                F("featured").desc(),
                F("started_on").desc(),
                "title",
                name="initiative_featured_idx",
                condition=Q(published=True, status__in=PUBLIC_STATUSES),
            ),
            # The home page's figures (registry.queries.public_overview): an index-only scan
            # of a narrow index instead of a sequential scan of the whole table.
            models.Index(
                fields=["field", "kind", "id"],
                name="initiative_public_figures_idx",
                condition=Q(published=True, status__in=PUBLIC_STATUSES),
            ),
            # The summary reports: which models a report counts and their
            # counts per kind, status, field, ward and lead organisation, for either audience,
            # read from this narrow index alone (index-only scans) instead of the wide table.
            models.Index(
                fields=[
                    "status",
                    "published",
                    "started_on",
                    "ended_on",
                    "kind",
                    "field",
                    "admin_unit",
                    "lead_organization",
                    "id",
                ],
                name="initiative_report_scope_idx",
            ),
            # The public list's filters by progress band and by "no update for 90 days",
            # over public rows only.
            models.Index(
                fields=["progress", "id"],
                name="initiative_public_progress_idx",
                condition=Q(published=True, status__in=PUBLIC_STATUSES),
            ),
            models.Index(
                fields=["progress_updated_on", "id"],
                name="initiative_public_updated_idx",
                condition=Q(published=True, status__in=PUBLIC_STATUSES),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A derived index column, not a business rule: keep it next to the text it folds.
        self.search_text = self.compute_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "location", "code"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("public:initiative-detail", kwargs={"slug": self.slug})

    @property
    def card_photo(self):
        """The first public photo, the one a card shows (needs ``with_public_relations``)."""
        photos = self.public_photos
        return photos[0] if photos else None

    # Django's generated get_FOO_display() rebuilds a dict of the field's choices on every
    # call; cards call these twice per model, twelve models per list page. Measured: without
    # them a list page makes 8 % more Python calls (bench/README.md, "Python kept or replaced").
    def get_kind_display(self) -> str:
        return str(_KIND_LABELS.get(self.kind, self.kind))

    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    def compute_search_text(self) -> str:
        return fold(" ".join([self.code, self.title, self.summary, self.location]))

    @property
    def is_public(self) -> bool:
        return self.published and self.status in PUBLIC_STATUSES

    @property
    def slug_is_frozen(self) -> bool:
        """Once residents may have seen (and printed a QR code of) the URL, it stays."""
        return self.first_published_at is not None

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.replicated_from_id and not self.adaptation_notes.strip():
            errors["adaptation_notes"] = ValidationError(
                _("Mô hình nhân rộng phải ghi rõ đã điều chỉnh thế nào cho phù hợp địa bàn."),
                code="adaptation_notes_required",
            )
        if self.replicated_from_id and self.pk and self.replicated_from_id == self.pk:
            errors["replicated_from"] = ValidationError(
                _("Mô hình không thể nhân rộng từ chính nó."), code="self_replication"
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = ValidationError(
                _("Ngày kết thúc phải sau ngày bắt đầu."), code="dates_out_of_order"
            )
        if errors:
            raise ValidationError(errors)


class TransitionRecord(models.Model):
    """One row per status change of a stateful entity: who, when, from, to, and why.

    Abstract: each entity's history table adds its foreign key, named by ``SUBJECT`` (the
    transition core, ``registry.transitions.move``, writes the rows through it) and may give
    the two statuses its own choices.
    """

    SUBJECT: str

    from_status = models.CharField(_("từ"), max_length=16, blank=True)
    to_status = models.CharField(_("sang"), max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{getattr(self, self.SUBJECT)}: {self.from_label()} → {self.to_label()}"

    def status_label(self, value: str) -> str:
        """A status as people read it: the label of the subject's own status choices
        (in the active language), whatever choices this table declares."""
        if not value:
            return "—"
        subject = self._meta.get_field(self.SUBJECT).related_model
        return str(dict(subject._meta.get_field("status").flatchoices).get(value, value))

    def from_label(self) -> str:
        return self.status_label(self.from_status)

    from_label.short_description = _("từ")

    def to_label(self) -> str:
        return self.status_label(self.to_status)

    to_label.short_description = _("sang")


class InitiativeTransition(TransitionRecord):
    SUBJECT = "initiative"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ"), max_length=16, choices=InitiativeStatus.choices)
    to_status = models.CharField(_("sang"), max_length=16, choices=InitiativeStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")


class Indicator(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("chỉ tiêu"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    target = models.DecimalField(
        _("mục tiêu"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("kết quả"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # db_default: rows written without the ORM (bulk loaders, raw SQL) weigh 1 too.
    weight = models.PositiveSmallIntegerField(
        _("trọng số"),
        default=1,
        db_default=1,
        help_text=_("Chỉ tiêu quan trọng hơn có trọng số lớn hơn khi tính tiến độ (1–100)."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu, kết quả")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="indicator_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="indicator_actual_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="indicator_weight_1_to_100"
            ),
        ]

    def __str__(self):
        return self.label


class Commitment(models.Model):
    """A household commitment that comes with the model (keep the sidewalk free, …)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField(_("nội dung cam kết"), max_length=400)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cam kết của hộ dân")
        verbose_name_plural = _("cam kết của hộ dân")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class PhotoQuerySet(models.QuerySet):
    def public(self):
        """Photos showing identifiable people need their consent before residents see them."""
        return self.filter(Q(shows_identifiable_people=False) | Q(people_consented=True))


def photo_upload_to(instance, filename):
    # The name is generated by registry/images.py; keep only its basename.
    return f"photos/{filename.rsplit('/', 1)[-1]}"


def thumbnail_upload_to(instance, filename):
    return f"photos/thumbs/{filename.rsplit('/', 1)[-1]}"


def preview_upload_to(instance, filename):
    return f"photos/previews/{filename.rsplit('/', 1)[-1]}"


class Photo(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("ảnh"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(
        _("ảnh thu nhỏ"), upload_to=thumbnail_upload_to, blank=True, editable=False
    )
    # What Zalo and Facebook show when the model's page is shared (registry/images.py).
    preview = models.ImageField(
        _("ảnh xem trước khi chia sẻ"), upload_to=preview_upload_to, blank=True, editable=False
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        _("mô tả ảnh (cho người khiếm thị)"),
        max_length=300,
        help_text=_("Ảnh cho thấy gì, để người dùng trình đọc màn hình cũng hiểu."),
    )
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    credit = models.CharField(_("nguồn ảnh"), max_length=120, blank=True)
    taken_on = models.DateField(_("ngày chụp"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    shows_identifiable_people = models.BooleanField(_("có người nhận diện được"), default=False)
    people_consented = models.BooleanField(
        _("những người trong ảnh đã đồng ý công khai"), default=False
    )

    history = HistoricalRecords()
    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_alt_text_required"),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.image).url


class OversightActivity(models.Model):
    """Inspection, urging, reminder, hands-on guidance: "kiểm tra, đôn đốc, nhắc nhở"."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="oversight_activities"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=OversightKind.choices)
    happened_on = models.DateField(_("ngày"))
    note = models.TextField(_("nội dung, kết quả"))
    follow_up_due = models.DateField(_("hạn xử lý tiếp"), null=True, blank=True)
    resolved = models.BooleanField(_("đã xử lý xong"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hoạt động kiểm tra, đôn đốc")
        verbose_name_plural = _("kiểm tra, đôn đốc, nhắc nhở")
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("happened_on")),
                name="oversight_follow_up_after_activity",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on:%d/%m/%Y}"


class ShortLinkScan(models.Model):
    """How many times a model's short link was opened on one day (scans of its posters).

    Only the count: no address, no browser, nothing about who scanned.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="short_link_scans"
    )
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số lượt quét"), default=0)

    class Meta:
        verbose_name = _("lượt quét mã QR")
        verbose_name_plural = _("lượt quét mã QR")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "day"], name="shortlinkscan_unique_day"),
        ]

    def __str__(self):
        return f"{self.initiative_id} {self.day:%d/%m/%Y}: {self.count}"


class ShortLinkVisitor(models.Model):
    """Who was counted today for a model's short link, so that each client counts once a day.

    ``visitor`` is the month's keyed hash of the client's address (the one the feedback limits
    use), never the address; rows of earlier days are deleted as soon as a later day's first
    scan is counted (``registry.short_links.count_scan``).
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="short_link_visitors"
    )
    day = models.DateField(db_index=True)
    visitor = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "day", "visitor"], name="shortlinkvisitor_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.initiative_id} {self.day:%d/%m/%Y}"


# ---------------------------------------------------------------------------------------------
# The progress timeline (tiến độ): dated milestones of a model, append-only once published.
# Every change of state goes through registry/workflow.py (milestone_*); the constraints below
# hold for every client, the admin and raw SQL included.

MILESTONE_TITLE_MAX = 120


def _percent(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100})


class MilestoneQuerySet(models.QuerySet):
    def on_public_timeline(self):
        """What residents see: published milestones, and withdrawn ones that had been
        published (a line with the reason stays). Drafts never."""
        return self.filter(
            Q(status=MilestoneStatus.PUBLISHED)
            | Q(status=MilestoneStatus.WITHDRAWN, published_at__isnull=False)
        )


class Milestone(models.Model):
    """One dated step on a model's progress timeline (mốc tiến độ).

    Drafted by officials (or automatically, by a status change or a new indicator result),
    published by a permitted official; a published milestone is never edited or deleted: a
    correction is a new milestone that ``supersedes`` it, a withdrawal keeps a public line
    with its reason.
    """

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("mô hình, điển hình"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    title = models.CharField(_("tiêu đề"), max_length=MILESTONE_TITLE_MAX)
    body = models.TextField(_("nội dung"), blank=True, max_length=5000)
    occurred_on = models.DateField(
        _("ngày diễn ra"), help_text=_("Không được sau hôm nay; ngày dự kiến ghi ở ô bên dưới.")
    )
    planned_on = models.DateField(
        _("ngày dự kiến"),
        null=True,
        blank=True,
        help_text=_("Ngày dự kiến cho bước tiếp theo, nếu có."),
    )
    progress_before = models.PositiveSmallIntegerField(
        _("tiến độ trước (%)"), null=True, blank=True
    )
    progress_after = models.PositiveSmallIntegerField(_("tiến độ sau (%)"), null=True, blank=True)
    progress_reason = models.TextField(
        _("lý do tiến độ giảm"),
        blank=True,
        max_length=2000,
        help_text=_("Bắt buộc khi tiến độ sau thấp hơn tiến độ trước."),
    )
    status_before = models.CharField(
        _("trạng thái trước"), max_length=16, choices=InitiativeStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("trạng thái sau"), max_length=16, choices=InitiativeStatus.choices, blank=True
    )
    automatic = models.BooleanField(_("tự động lập"), default=False, editable=False)
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.DRAFT,
        editable=False,
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("đính chính cho mốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        editable=False,
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    withdrawn_reason = models.TextField(_("lý do rút lại"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True, editable=False)
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
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("mốc tiến độ")
        verbose_name_plural = _("mốc tiến độ")
        ordering = ["-occurred_on", "-id"]
        permissions = [("publish_milestone", _("Công bố hoặc rút lại mốc tiến độ"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="milestone_title_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), MILESTONE_TITLE_MAX),
                name="milestone_title_max_length",
            ),
            models.CheckConstraint(
                condition=_percent("progress_before"), name="milestone_progress_before_percent"
            ),
            models.CheckConstraint(
                condition=_percent("progress_after"), name="milestone_progress_after_percent"
            ),
            # Lowering the progress needs a reason.
            models.CheckConstraint(
                condition=Q(progress_before__isnull=True)
                | Q(progress_after__isnull=True)
                | Q(progress_after__gte=F("progress_before"))
                | ~Q(progress_reason=""),
                name="milestone_lower_progress_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status_before__in=["", *InitiativeStatus.values])
                & Q(status_after__in=["", *InitiativeStatus.values]),
                name="milestone_statuses_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_on__isnull=True) | Q(planned_on__gte=F("occurred_on")),
                name="milestone_planned_after_occurred",
            ),
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="milestone_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.WITHDRAWN)
                | (~Q(withdrawn_reason="") & Q(withdrawn_at__isnull=False)),
                name="milestone_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(supersedes=F("id")), name="milestone_not_own_correction"
            ),
            # A published milestone is corrected by at most one published correction.
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=Q(status=MilestoneStatus.PUBLISHED),
                name="milestone_one_published_correction",
            ),
        ]
        indexes = [
            models.Index(
                fields=["initiative", "status", "occurred_on"], name="milestone_timeline_idx"
            ),
            models.Index(
                fields=["status", "created_at"],
                name="milestone_drafts_idx",
                condition=Q(status=MilestoneStatus.DRAFT),
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on:%d/%m/%Y} · {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == MilestoneStatus.DRAFT

    @property
    def was_published(self) -> bool:
        return self.published_at is not None

    @property
    def progress_lowered(self) -> bool:
        return (
            self.progress_before is not None
            and self.progress_after is not None
            and self.progress_after < self.progress_before
        )

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        errors = {}
        today = timezone.localdate()
        if self.occurred_on and self.occurred_on > today:
            errors["occurred_on"] = ValidationError(
                _(
                    "Ngày diễn ra không thể sau hôm nay (%(today)s); ngày dự kiến hãy ghi vào "
                    "ô “ngày dự kiến”."
                ),
                code="occurred_in_future",
                params={"today": today.strftime("%d/%m/%Y")},
            )
        if self.occurred_on and self.planned_on and self.planned_on < self.occurred_on:
            errors["planned_on"] = ValidationError(
                _("Ngày dự kiến phải từ ngày diễn ra trở đi."), code="planned_before_occurred"
            )
        if self.progress_lowered and not (self.progress_reason or "").strip():
            errors["progress_reason"] = ValidationError(
                _("Tiến độ giảm (từ %(before)s%% xuống %(after)s%%): cần ghi rõ lý do."),
                code="progress_reason_required",
                params={"before": self.progress_before, "after": self.progress_after},
            )
        if errors:
            raise ValidationError(errors)


class MilestoneTransition(TransitionRecord):
    SUBJECT = "milestone"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ"), max_length=16, choices=MilestoneStatus.choices)
    to_status = models.CharField(_("sang"), max_length=16, choices=MilestoneStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái mốc tiến độ")
        verbose_name_plural = _("lịch sử mốc tiến độ")


def milestone_photo_upload_to(instance, filename):
    # Under photos/, the one public media folder (wardmodels.views.public_media); the name is
    # generated by registry/images.py, keep only its basename.
    return f"photos/milestones/{filename.rsplit('/', 1)[-1]}"


def milestone_thumbnail_upload_to(instance, filename):
    return f"photos/milestones/thumbs/{filename.rsplit('/', 1)[-1]}"


class MilestonePhoto(models.Model):
    """A photo of a milestone, before, during or after the work; cleaned like ``Photo``."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    role = models.CharField(_("ảnh chụp lúc"), max_length=8, choices=PhotoRole.choices)
    image = models.ImageField(
        _("ảnh"), upload_to=milestone_photo_upload_to, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(
        _("ảnh thu nhỏ"), upload_to=milestone_thumbnail_upload_to, blank=True, editable=False
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        _("mô tả ảnh (cho người khiếm thị)"),
        max_length=300,
        help_text=_("Ảnh cho thấy gì, để người dùng trình đọc màn hình cũng hiểu."),
    )
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    shows_identifiable_people = models.BooleanField(_("có người nhận diện được"), default=False)
    people_consented = models.BooleanField(
        _("những người trong ảnh đã đồng ý công khai"), default=False
    )

    history = HistoricalRecords()
    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh mốc tiến độ")
        verbose_name_plural = _("ảnh mốc tiến độ")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="milestonephoto_alt_text_required"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PhotoRole.values), name="milestonephoto_role_valid"
            ),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.image).url
