"""The party committee's place: registrations are decided here, through workflow.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import workflow
from .forms import InitiativeForm, PhotoForm
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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


def _transition_action(action: str, description):
    """An admin action that applies one workflow transition to each selected initiative."""
    transition = workflow.TRANSITIONS[action]
    perm_name = action

    def run(modeladmin, request, queryset):
        reason = ""
        if transition.reason_required:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return TemplateResponse(
                    request,
                    "admin/registry/transition_reason.html",
                    {
                        **modeladmin.admin_site.each_context(request),
                        "title": description,
                        "queryset": queryset,
                        "form": form,
                        "action": request.POST.get("action"),
                        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                        "opts": modeladmin.model._meta,
                    },
                )
            reason = form.cleaned_data["reason"]
        func = workflow.ACTIONS[action]
        done = 0
        for initiative in queryset:
            kwargs = {"initiative": initiative, "by": request.user}
            if transition.reason_required:
                kwargs["reason"] = reason
            try:
                func(**kwargs)
                done += 1
            except workflow.WorkflowError as exc:
                modeladmin.message_user(request, f"{initiative}: {exc}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request,
                ngettext("Đã cập nhật %(count)d mô hình.", "Đã cập nhật %(count)d mô hình.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        return None

    run.__name__ = f"action_{action}"
    return admin.action(description=description, permissions=[perm_name])(run)


def _publish_action(published: bool, description):
    """Show or hide each selected initiative; one already so is reported and left alone."""
    already = (
        _("mô hình đã được công khai từ trước, không có gì thay đổi.")
        if published
        else _("mô hình đã được ẩn khỏi trang công khai từ trước, không có gì thay đổi.")
    )

    def run(modeladmin, request, queryset):
        done = 0
        for initiative in queryset:
            # The workflow treats a repeat as a no-op; say so instead of "updated".
            if initiative.published == published:
                modeladmin.message_user(request, f"{initiative}: {already}", messages.WARNING)
                continue
            try:
                workflow.initiative_set_published(
                    initiative=initiative, by=request.user, published=published
                )
                done += 1
            except workflow.WorkflowError as exc:
                modeladmin.message_user(request, f"{initiative}: {exc}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("Đã cập nhật việc công khai."), messages.SUCCESS)

    run.__name__ = "action_publish" if published else "action_unpublish"
    return admin.action(description=description, permissions=["publish"])(run)


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
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

    def _has(self, request, action):
        return request.user.has_perm(workflow.TRANSITIONS[action].permission)

    def has_submit_permission(self, request):
        return self._has(request, "submit")

    def has_approve_permission(self, request):
        return self._has(request, "approve")

    def has_return_permission(self, request):
        return self._has(request, "return")

    def has_complete_permission(self, request):
        return self._has(request, "complete")

    def has_discontinue_permission(self, request):
        return self._has(request, "discontinue")

    def has_resume_permission(self, request):
        return self._has(request, "resume")

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
