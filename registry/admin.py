"""The party committee's place: registrations are decided here, through workflow.py."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import workflow
from .admin_actions import Decision, DecisionAdmin, workflow_action
from .admin_base import HistoryAdmin, ModelAdmin, ReadableAutocomplete, ReadableDateHierarchy
from .choices import MilestoneStatus
from .forms import IndicatorForm, InitiativeForm, PhotoForm, ReasonForm
from .models import (
    AdminUnit,
    Commitment,
    Field,
    Indicator,
    Initiative,
    InitiativeTransition,
    LegalDocument,
    Milestone,
    MilestonePhoto,
    MilestoneTransition,
    Organization,
    OversightActivity,
    Photo,
    ResidentialArea,
)
from .progress import current_progress

admin.site.site_header = _("Quản trị sổ mô hình “Dân vận khéo”")
admin.site.site_title = _("Dân vận khéo")
admin.site.index_title = _("Quản trị")
# The side menu repeats the index and takes 300 px: without it a change list's columns and
# its filters fit a 1366 px laptop screen (tests/browser/test_committee_queue.py).
admin.site.enable_nav_sidebar = False

# django-axes' lists (failed logins, the access log) have a date hierarchy too: registered
# again with the project's guard (ReadableDateHierarchy).
for _axes_model in (AccessAttempt, AccessLog, AccessFailureLog):
    _axes_admin = type(admin.site.get_model_admin(_axes_model))
    admin.site.unregister(_axes_model)
    admin.site.register(
        _axes_model, type(_axes_admin.__name__, (ReadableDateHierarchy, _axes_admin), {})
    )


@admin.register(AdminUnit)
class AdminUnitAdmin(ModelAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["successor"]


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(ModelAdmin):
    list_display = ["name", "kind", "admin_unit"]
    list_filter = ["kind", "admin_unit"]
    search_fields = ["name"]
    autocomplete_fields = ["admin_unit"]


@admin.register(Field)
class FieldAdmin(ModelAdmin):
    list_display = ["__str__", "slug", "order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(ModelAdmin):
    list_display = ["number", "issuer", "title", "issued_on"]
    search_fields = ["number", "title", "issuer"]
    date_hierarchy = "issued_on"


class IndicatorAdminFormSet(BaseInlineFormSet):
    """The admin cannot ask for a reason: results that would lower the progress figure are
    refused here and recorded in the workspace, where the reason is written."""

    def clean(self):
        super().clean()
        initiative = self.instance
        if initiative.pk is None or initiative.progress is None or any(self.errors):
            return
        rows = [
            (f.cleaned_data.get("target"), f.cleaned_data.get("actual"), f.cleaned_data["weight"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and "weight" in f.cleaned_data
        ]
        after = current_progress(initiative.progress_entered, rows)
        if after is not None and after < initiative.progress:
            raise ValidationError(
                _(
                    "Những số liệu này làm tiến độ giảm từ %(before)s%% xuống %(after)s%%: "
                    "hãy nhập chúng trong trang quản lý mô hình, kèm lý do."
                ),
                code="progress_lowered",
                params={"before": initiative.progress, "after": after},
            )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = IndicatorForm
    formset = IndicatorAdminFormSet
    extra = 0
    fields = ["label", "target", "actual", "unit", "weight", "order"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["text", "order"]


class PhotoInline(admin.StackedInline):
    model = Photo
    form = PhotoForm
    extra = 0


class OversightInline(ReadableAutocomplete, admin.TabularInline):
    model = OversightActivity
    extra = 0
    fields = ["kind", "happened_on", "note", "follow_up_due", "resolved", "by"]
    autocomplete_fields = ["by"]


class TransitionInline(admin.TabularInline):
    model = InitiativeTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_label", "to_label", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử chuyển trạng thái")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _plain(value) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _updated(count: int) -> str:
    return ngettext("Đã cập nhật %(count)d mô hình.", "Đã cập nhật %(count)d mô hình.", count) % {
        "count": count
    }


def _decision(action: str, description) -> Decision:
    """One workflow transition of an initiative: an action and a change-page button."""
    return Decision(
        action,
        description,
        func=workflow.ACTIONS[action],
        obj_kwarg="initiative",
        done_message=_updated,
        form_class=ReasonForm if workflow.TRANSITIONS[action].reason_required else None,
    )


INITIATIVE_DECISIONS = [
    _decision("submit", _("Gửi đăng ký")),
    _decision("approve", _("Duyệt đăng ký (chuyển sang đang thực hiện)")),
    _decision("return", _("Trả lại đăng ký (kèm lý do)")),
    _decision("complete", _("Đánh dấu đã hoàn thành")),
    _decision("discontinue", _("Dừng mô hình (kèm lý do)")),
    _decision("resume", _("Cho mô hình tiếp tục")),
]


def _publish_action(published: bool, description):
    """Show or hide each selected initiative; one already so is reported and left alone."""
    already = (
        _("mô hình đã được công khai từ trước, không có gì thay đổi.")
        if published
        else _("mô hình đã được ẩn khỏi trang công khai từ trước, không có gì thay đổi.")
    )
    return workflow_action(
        name="action_publish" if published else "action_unpublish",
        description=description,
        permission="publish",
        # The workflow treats a repeat as a no-op; say so instead of "updated".
        unchanged=lambda initiative: already if initiative.published == published else None,
        run=lambda initiative, by, _data: workflow.initiative_set_published(
            initiative=initiative, by=by, published=published
        ),
        done_message=lambda _count: _("Đã cập nhật việc công khai."),
    )


@admin.register(Initiative)
class InitiativeAdmin(DecisionAdmin, HistoryAdmin):
    transition_table = workflow.TRANSITIONS
    decisions = INITIATIVE_DECISIONS
    form = InitiativeForm
    # Seven short columns fit a 1366 px screen with the filters beside them (the kind is a
    # filter; the status never wraps: static/css/admin.css).
    list_display = [
        "code",
        "title",
        "field",
        "admin_unit",
        "status",
        "published",
        "started_on",
    ]
    list_filter = ["status", "published", "kind", "field", "admin_unit", "started_on"]
    list_select_related = ["field__parent", "admin_unit"]
    search_fields = ["code", "title", "search_text"]
    autocomplete_fields = [
        "field",
        "lead_organization",
        "partner_organizations",
        "admin_unit",
        "residential_areas",
        "legal_basis",
        "replicated_from",
    ]
    readonly_fields = [
        "status",
        "published",
        "first_published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    date_hierarchy = "started_on"
    inlines = [IndicatorInline, CommitmentInline, PhotoInline, OversightInline, TransitionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "kind",
                    "subject",
                    "title",
                    "slug",
                    "status",
                    "published",
                    "featured",
                ]
            },
        ),
        (
            _("Lĩnh vực, tổ chức, địa bàn"),
            {
                "fields": [
                    "field",
                    "lead_organization",
                    "partner_organizations",
                    "admin_unit",
                    "residential_areas",
                    "location",
                ]
            },
        ),
        (
            _("Nội dung"),
            {
                "fields": [
                    "summary",
                    "description",
                    "legal_basis",
                    "started_on",
                    "ended_on",
                    "funding_target",
                ]
            },
        ),
        (_("Nhân rộng"), {"fields": ["replicated_from", "adaptation_notes"]}),
        (
            _("Theo dõi"),
            {
                "classes": ["collapse"],
                "fields": [
                    "first_published_at",
                    "created_by",
                    "created_at",
                    "updated_by",
                    "updated_at",
                ],
            },
        ),
    ]
    actions = [
        *(decision.admin_action() for decision in INITIATIVE_DECISIONS),
        _publish_action(True, _("Công khai trên trang của phường")),
        _publish_action(False, _("Ẩn khỏi trang công khai")),
    ]

    def decision_summary(self, obj):
        indicators = "\n".join(
            f"{i.label}: {_plain(i.actual)} / {_plain(i.target)} {i.unit}".rstrip()
            for i in obj.indicators.all()
        )
        return [
            (_("Mã, tên"), f"{obj.code} · {obj.title}"),
            (_("Loại"), f"{obj.get_kind_display()} · {obj.get_subject_display()}"),
            (_("Lĩnh vực"), obj.field),
            (_("Tổ chức chủ trì"), obj.lead_organization),
            (
                _("Địa bàn"),
                f"{obj.admin_unit} · {obj.location}" if obj.location else obj.admin_unit,
            ),
            (_("Tóm tắt"), obj.summary),
            (_("Mô tả"), obj.description),
            (_("Căn cứ"), ", ".join(str(d) for d in obj.legal_basis.all())),
            (_("Thời gian"), f"{obj.started_on or '—'} – {obj.ended_on or '—'}"),
            (_("Chỉ tiêu"), indicators),
            (_("Cam kết của hộ dân"), "\n".join(c.text for c in obj.commitments.all())),
        ]

    def decision_documents(self, obj):
        return [(photo.alt_text, photo.image.url) for photo in obj.photos.all() if photo.image]

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change):
        workflow.initiative_save(initiative=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Indicator:
            return super().save_formset(request, form, formset, change)

        # Results go through the workflow: the figure is recomputed, a milestone drafted.
        def save_indicators(locked):
            formset.instance = locked
            formset.save()

        workflow.initiative_results_update(
            initiative=form.instance, by=request.user, save_indicators=save_indicators
        )


@admin.register(OversightActivity)
class OversightActivityAdmin(HistoryAdmin):
    list_display = ["initiative", "kind", "happened_on", "follow_up_due", "resolved", "by"]
    list_filter = ["kind", "resolved", "happened_on"]
    search_fields = ["initiative__title", "note"]
    autocomplete_fields = ["initiative", "by"]
    list_select_related = ["initiative", "by"]


class MilestonePhotoInline(admin.TabularInline):
    model = MilestonePhoto
    extra = 0
    fields = [
        "role",
        "image",
        "alt_text",
        "caption",
        "shows_identifiable_people",
        "people_consented",
    ]
    readonly_fields = fields
    can_delete = False

    # Photos are added to drafts in the workspace, where they are cleaned (registry/images.py).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MilestoneTransitionInline(admin.TabularInline):
    model = MilestoneTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_label", "to_label", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử công bố, rút lại")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _milestones_updated(count: int) -> str:
    return ngettext(
        "Đã cập nhật %(count)d mốc tiến độ.", "Đã cập nhật %(count)d mốc tiến độ.", count
    ) % {"count": count}


@admin.register(Milestone)
class MilestoneAdmin(DecisionAdmin, HistoryAdmin):
    """Drafts are written in the workspace; here they may be read, corrected while drafts
    (through ``milestone_update``), published or withdrawn. Published and withdrawn
    milestones are read-only, and nothing is ever deleted."""

    transition_table = workflow.MILESTONE_TRANSITIONS
    list_display = ["title", "initiative", "occurred_on", "status", "automatic", "published_at"]
    list_filter = ["status", "automatic", "occurred_on"]
    list_select_related = ["initiative"]
    search_fields = ["title", "body", "initiative__title"]
    date_hierarchy = "occurred_on"
    fields = [
        "initiative",
        *workflow.MILESTONE_FIELDS,
        "status",
        "automatic",
        "supersedes",
        "published_at",
        "published_by",
        "withdrawn_reason",
        "withdrawn_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = [
        "initiative",
        "status",
        "automatic",
        "supersedes",
        "published_at",
        "published_by",
        "withdrawn_reason",
        "withdrawn_at",
        "created_by",
        "created_at",
    ]
    inlines = [MilestonePhotoInline, MilestoneTransitionInline]
    decisions = [
        Decision(
            "publish",
            _("Công bố mốc tiến độ"),
            func=workflow.milestone_publish,
            obj_kwarg="milestone",
            done_message=_milestones_updated,
        ),
        Decision(
            "withdraw",
            _("Rút lại mốc tiến độ (kèm lý do)"),
            func=workflow.milestone_withdraw,
            obj_kwarg="milestone",
            done_message=_milestones_updated,
            form_class=ReasonForm,
        ),
    ]
    actions = [decision.admin_action() for decision in decisions]

    def decision_summary(self, obj):
        return [
            (_("Mô hình"), obj.initiative),
            (_("Tiêu đề"), obj.title),
            (_("Ngày diễn ra"), obj.occurred_on),
            (_("Nội dung"), obj.body),
        ]

    def has_add_permission(self, request):
        return False  # drafted in the workspace, or by the workflow

    def has_delete_permission(self, request, obj=None):
        return False  # append-only: corrected by a new milestone, withdrawn with a reason

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != MilestoneStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            workflow.milestone_update(milestone=obj, by=request.user, **changes)
        except workflow.WorkflowError as exc:
            raise ValidationError(exc.message) from None
