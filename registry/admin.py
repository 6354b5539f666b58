"""The party committee's place: registrations are decided here, through workflow.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import workflow
from .admin_actions import TransitionPermissions, transition_action, workflow_action
from .forms import InitiativeForm, PhotoForm, ReasonForm
from .models import (
    AdminUnit,
    Commitment,
    Field,
    Indicator,
    Initiative,
    InitiativeTransition,
    LegalDocument,
    Organization,
    OversightActivity,
    Photo,
    ResidentialArea,
)

admin.site.site_header = _("Quản trị sổ mô hình “Dân vận khéo”")
admin.site.site_title = _("Dân vận khéo")
admin.site.index_title = _("Quản trị")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["successor"]


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "admin_unit"]
    list_filter = ["kind", "admin_unit"]
    search_fields = ["name"]
    autocomplete_fields = ["admin_unit"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
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
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "issuer", "title", "issued_on"]
    search_fields = ["number", "title", "issuer"]
    date_hierarchy = "issued_on"


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["label", "target", "actual", "unit", "order"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["text", "order"]


class PhotoInline(admin.StackedInline):
    model = Photo
    form = PhotoForm
    extra = 0


class OversightInline(admin.TabularInline):
    model = OversightActivity
    extra = 0
    fields = ["kind", "happened_on", "note", "follow_up_due", "resolved", "by"]
    autocomplete_fields = ["by"]


class TransitionInline(admin.TabularInline):
    model = InitiativeTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử chuyển trạng thái")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _updated(count: int) -> str:
    return ngettext("Đã cập nhật %(count)d mô hình.", "Đã cập nhật %(count)d mô hình.", count) % {
        "count": count
    }


def _transition_action(action: str, description):
    """An admin action that applies one workflow transition to each selected initiative."""
    return transition_action(
        action,
        description,
        func=workflow.ACTIONS[action],
        obj_kwarg="initiative",
        done_message=_updated,
        form_class=ReasonForm if workflow.TRANSITIONS[action].reason_required else None,
    )


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
class InitiativeAdmin(TransitionPermissions, SimpleHistoryAdmin):
    transition_table = workflow.TRANSITIONS
    form = InitiativeForm
    list_display = [
        "code",
        "title",
        "kind",
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
        _transition_action("submit", _("Gửi đăng ký")),
        _transition_action("approve", _("Duyệt đăng ký (chuyển sang đang thực hiện)")),
        _transition_action("return", _("Trả lại đăng ký (kèm lý do)")),
        _transition_action("complete", _("Đánh dấu đã hoàn thành")),
        _transition_action("discontinue", _("Dừng mô hình (kèm lý do)")),
        _transition_action("resume", _("Cho mô hình tiếp tục")),
        _publish_action(True, _("Công khai trên trang của phường")),
        _publish_action(False, _("Ẩn khỏi trang công khai")),
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(OversightActivity)
class OversightActivityAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "kind", "happened_on", "follow_up_due", "resolved", "by"]
    list_filter = ["kind", "resolved", "happened_on"]
    search_fields = ["initiative__title", "note"]
    autocomplete_fields = ["initiative", "by"]
    list_select_related = ["initiative", "by"]
