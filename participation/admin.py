"""Residents' feedback in the admin: read-only rows, changed only through the workflow's
actions (one factory, registry/admin_actions.py). Contact details show only to holders of
``participation.view_feedback_contact``."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin_actions import TransitionPermissions, transition_action
from registry.admin_base import ModelAdmin

from . import workflow
from .forms import PublishForm, ReasonForm
from .models import DayOff, Feedback, FeedbackAnswer, FeedbackTransition
from .permissions import VIEW_CONTACT
from .redaction import redact_feedback

CONTACT_FIELDS = ("name", "phone", "contact_consent", "client_hash")


def _done(count: int) -> str:
    return ngettext("Đã cập nhật %(count)d góp ý.", "Đã cập nhật %(count)d góp ý.", count) % {
        "count": count
    }


class AnswerInline(admin.StackedInline):
    model = FeedbackAnswer
    fields = ("text", "by", "created_at")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = FeedbackTransition
    fields = ("at", "from_label", "to_label", "by", "reason")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("Công khai (che thông tin cá nhân)"), permissions=["publish"])
def publish_action(modeladmin, request, queryset):
    """Publish one item from the same masked suggestion and through the same workflow step as
    the workspace: an intermediate page with the form, which its ``apply`` POST runs. One item
    at a time: each public text is read and masked on its own."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request,
            _("Chọn đúng một góp ý để công khai: mỗi nội dung công khai được đọc và che riêng."),
            messages.WARNING,
        )
        return None
    feedback = queryset.get()
    suggestion = redact_feedback(feedback)
    if "apply" in request.POST:
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                workflow.feedback_publish(feedback=feedback, by=request.user, **form.cleaned_data)
            except workflow.WorkflowError as exc:
                form.add_error(None, str(exc))  # the page again, with the text as typed
            else:
                modeladmin.message_user(request, _done(1), messages.SUCCESS)
                return None
    else:
        form = PublishForm(initial={"public_text": feedback.public_text or suggestion.text})
    return TemplateResponse(
        request,
        "admin/participation/feedback/publish.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Công khai góp ý %(code)s") % {"code": feedback.code},
            "feedback": feedback,
            "redaction": suggestion,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(Feedback)
class FeedbackAdmin(TransitionPermissions, admin.ModelAdmin):
    transition_table = workflow.TRANSITIONS
    list_display = ("code", "kind", "about", "status", "due_on", "assignee", "published_at")
    list_filter = ("status", "kind")
    search_fields = ("code",)
    inlines = [AnswerInline, TransitionInline]
    actions = [
        transition_action(
            "receive",
            _("Tiếp nhận"),
            func=workflow.feedback_receive,
            obj_kwarg="feedback",
            done_message=_done,
        ),
        transition_action(
            "close",
            _("Đóng"),
            func=workflow.feedback_close,
            obj_kwarg="feedback",
            done_message=_done,
        ),
        transition_action(
            "spam",
            _("Đánh dấu thư rác"),
            func=workflow.feedback_mark_spam,
            obj_kwarg="feedback",
            done_message=_done,
        ),
        transition_action(
            "not_publish",
            _("Không công khai (ghi lý do)"),
            func=workflow.feedback_not_publish,
            obj_kwarg="feedback",
            done_message=_done,
            form_class=ReasonForm,
        ),
        publish_action,
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    @admin.display(description=_("mô hình"), ordering="initiative__title")
    def about(self, obj):
        """The model, or "Góp ý chung về phường" for feedback about no model."""
        return obj.subject

    def get_fields(self, request, obj=None):
        fields = [
            "code",
            "initiative",
            "kind",
            "status",
            "text",
            "public_text",
            "show_name",
            "created_at",
            "received_at",
            "due_on",
            "answered_at",
            "closed_at",
            "published_at",
            "assignee",
            "reason",
            "duplicate_of",
            "rating",
            "contacts_erased_at",
        ]
        if request.user.has_perm(VIEW_CONTACT):
            fields[6:6] = CONTACT_FIELDS
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("initiative", "assignee")


@admin.register(DayOff)
class DayOffAdmin(ModelAdmin):
    list_display = ("date", "reason")
    date_hierarchy = "date"
    search_fields = ("reason",)
