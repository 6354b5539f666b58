"""The party committee decides recognitions and commendations here, through workflow.py.

Actions that need a decision number and date or a reason show an intermediate page; every
action calls a ``campaigns.workflow`` function and reports its ``WorkflowError`` per row.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin_actions import Decision, DecisionAdmin
from registry.admin_base import HistoryAdmin
from registry.formatting import vnd

from .. import queries, workflow
from ..forms import (
    COMMENDATION_FORMS,
    RECOGNITION_FORMS,
    DossierDocumentForm,
    EmptyForm,
    ReasonForm,
)
from ..models import (
    Campaign,
    Commendation,
    CommendationTransition,
    Criterion,
    DossierDocument,
    Evaluation,
    Recognition,
    RecognitionTransition,
    ReviewRound,
    ReviewRoundTransition,
    Score,
)
from ..review_choices import (
    RECOGNITION_DECIDED,
    CommendationStatus,
    DossierKind,
    RecognitionStatus,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyInline):
    fields = ["at", "from_label", "to_label", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử chuyển trạng thái")


def _updated(count: int) -> str:
    return ngettext("Đã cập nhật %(count)d mục.", "Đã cập nhật %(count)d mục.", count) % {
        "count": count
    }


def _decision(actions, forms_by_action, obj_kwarg, action, description) -> Decision:
    return Decision(
        action,
        description,
        func=actions[action],
        obj_kwarg=obj_kwarg,
        form_class=forms_by_action[action],
        done_message=_updated,
    )


# Campaigns and rounds --------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "label", "description", "weight", "max_score"]


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["legal_basis"]
    inlines = [CriterionInline]


class ReviewRoundHistoryInline(HistoryInline):
    model = ReviewRoundTransition


ROUND_ACTIONS = {"close": workflow.round_close, "reopen": workflow.round_reopen}
ROUND_FORMS = {"close": EmptyForm, "reopen": ReasonForm}


@admin.register(ReviewRound)
class ReviewRoundAdmin(DecisionAdmin, admin.ModelAdmin):
    transition_table = workflow.ROUND_TRANSITIONS
    list_display = ["title", "campaign", "kind", "period_start", "period_end", "status"]
    list_filter = ["status", "kind", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["title", "campaign__title"]
    readonly_fields = ["status"]
    inlines = [ReviewRoundHistoryInline]

    decisions = [
        _decision(ROUND_ACTIONS, ROUND_FORMS, "review_round", action, description)
        for action, description in [
            ("close", _("Đóng đợt đánh giá")),
            ("reopen", _("Mở lại đợt đánh giá (kèm lý do)")),
        ]
    ]
    actions = [decision.admin_action() for decision in decisions]


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "value"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(HistoryAdmin):
    """Read-only: evaluations are saved through ``workflow.evaluation_save`` (workspace)."""

    list_display = [
        "initiative",
        "review_round",
        "evaluator",
        "total",
        "max_total",
        "recommendation",
    ]
    list_filter = ["review_round", "recommendation"]
    list_select_related = ["initiative", "review_round", "evaluator"]
    search_fields = ["initiative__title", "initiative__code"]
    readonly_fields = [
        "review_round",
        "initiative",
        "evaluator",
        "total",
        "max_total",
        "recommendation",
        "comment",
        "created_at",
        "updated_at",
    ]
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Recognitions ----------------------------------------------------------------------------


class RecognitionAddForm(forms.ModelForm):
    class Meta:
        model = Recognition
        fields = ["initiative", "review_round", "level", "tier", "proposal"]

    def clean(self):
        data = super().clean()
        initiative, review_round = data.get("initiative"), data.get("review_round")
        if initiative and review_round and data.get("level"):
            live = Recognition.objects.filter(
                initiative=initiative,
                review_round=review_round,
                level=data["level"],
                status__in=[RecognitionStatus.PROPOSED, *RECOGNITION_DECIDED],
            )
            if live.exists():
                raise forms.ValidationError(
                    _("Mô hình đã có đề nghị hoặc quyết định công nhận ở cấp này trong đợt này."),
                    code="already_proposed",
                )
            if initiative.status not in workflow.EVALUABLE_STATUSES:
                raise forms.ValidationError(
                    _("Chỉ đề nghị công nhận mô hình đang thực hiện hoặc đã hoàn thành."),
                    code="not_evaluable",
                )
        return data


class RecognitionHistoryInline(HistoryInline):
    model = RecognitionTransition


def _recognition_decision(action, description):
    return _decision(
        workflow.RECOGNITION_ACTIONS, RECOGNITION_FORMS, "recognition", action, description
    )


@admin.register(Recognition)
class RecognitionAdmin(DecisionAdmin, HistoryAdmin):
    transition_table = workflow.RECOGNITION_TRANSITIONS
    list_display = [
        "initiative",
        "review_round",
        "level",
        "tier",
        "status",
        "decision_number",
        "decided_on",
    ]
    list_filter = ["status", "level", "tier", "review_round"]
    search_fields = ["initiative__title", "initiative__code", "decision_number"]
    autocomplete_fields = ["initiative"]
    inlines = [RecognitionHistoryInline]
    decisions = [
        _recognition_decision("approve", _("Duyệt công nhận (ghi số, ngày quyết định)")),
        _recognition_decision("reject", _("Không duyệt (kèm lý do)")),
        _recognition_decision("publish", _("Công bố quyết định trên trang công khai")),
    ]
    actions = [decision.admin_action() for decision in decisions]
    decision_fields = [
        "status",
        "proposed_by",
        "proposed_at",
        "decision_number",
        "decided_on",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "published_at",
        "round_scores",
    ]

    def get_queryset(self, request):
        return queries.recognition_admin_queryset()

    def decision_summary(self, obj):
        return [
            (_("Mô hình"), f"{obj.initiative.code} · {obj.initiative.title}"),
            (_("Tóm tắt mô hình"), obj.initiative.summary),
            (_("Đợt đánh giá"), obj.review_round),
            (_("Cấp, hạng"), f"{obj.get_level_display()} · {obj.get_tier_display()}"),
            (_("Nội dung đề nghị"), obj.proposal),
            (_("Nguồn"), obj.source_note),
            (_("Người đề nghị"), obj.proposed_by),
            (_("Điểm trong đợt"), self.round_scores(obj)),
        ]

    def decision_documents(self, obj):
        return [
            (
                _("Trang mô hình trong trang quản lý"),
                reverse("workspace:initiative-reviews", args=[obj.initiative_id]),
            )
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RecognitionAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return RecognitionAddForm.Meta.fields
        return [
            "initiative",
            "review_round",
            "level",
            "tier",
            "proposal",
            "source_note",
            *self.decision_fields,
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == RecognitionStatus.PROPOSED:
            return ["initiative", "review_round", "level", *self.decision_fields]
        return [
            "initiative",
            "review_round",
            "level",
            "tier",
            "proposal",
            "source_note",
            *self.decision_fields,
        ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(
            workflow.RECOGNITION_TRANSITIONS["propose"].permission
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Điểm trong đợt"))
    def round_scores(self, obj):
        summary = queries.round_scores(
            initiative_id=obj.initiative_id, review_round_id=obj.review_round_id
        )
        if not summary["count"]:
            return _("Chưa có phiếu đánh giá.")
        rows = format_html_join(
            "",
            "<li>{}: {} / {} ({})</li>",
            (
                (e.evaluator, e.total, e.max_total, e.get_recommendation_display())
                for e in summary["evaluations"]
            ),
        )
        return format_html(
            "<p>{}</p><ul>{}</ul>",
            _("%(count)s phiếu, điểm trung bình %(avg).2f / %(max).2f")
            % {
                "count": summary["count"],
                "avg": summary["average_total"],
                "max": summary["max_total"],
            },
            rows,
        )

    def save_model(self, request, obj, form, change):
        if change:
            # Only a proposal's own fields are editable (see get_readonly_fields).
            changed = {name: getattr(obj, name) for name in form.changed_data}
            if changed:
                try:
                    workflow.recognition_update(recognition=obj, by=request.user, **changed)
                except workflow.WorkflowError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
            return
        created = workflow.recognition_propose(
            initiative=obj.initiative,
            review_round=obj.review_round,
            by=request.user,
            level=obj.level,
            tier=obj.tier,
            proposal=obj.proposal,
        )
        obj.pk = created.pk
        obj.status = created.status
        obj._state.adding = False


# Commendations ---------------------------------------------------------------------------


class PrivateFileInput(forms.FileInput):
    """The dossier inline's file column: an upload field, and the stored file's name.

    A dossier file has no URL (campaigns/storage.py raises), and the admin shows a read-only
    file as a link to its URL: the change page of any commendation with a document was a
    server error. With ``read_only`` set, the admin renders read-only rows through this
    widget instead; the download column links to the permission-checked view.
    """

    read_only = True

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(value, FieldFile) and value:
            return conditional_escape(value.name.rsplit("/", 1)[-1])
        return super().render(name, value, attrs, renderer)


class DossierInline(admin.TabularInline):
    """Files are attached and removed through the workflow, only while the draft is open."""

    model = DossierDocument
    form = DossierDocumentForm
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}
    extra = 0
    fields = ["kind", "file", "download", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "original_name", "size", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("Tải về"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("workspace:dossier-download", args=[obj.pk]),
            _("Tải về"),
        )

    def _draft_and_allowed(self, request, obj):
        return (
            obj is not None
            and obj.status == CommendationStatus.DRAFT
            and request.user.has_perm(workflow.DOSSIER_PERMISSION)
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return self._draft_and_allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._draft_and_allowed(request, obj)


class CommendationHistoryInline(HistoryInline):
    model = CommendationTransition


def _commendation_decision(action, description):
    return _decision(
        workflow.COMMENDATION_ACTIONS, COMMENDATION_FORMS, "commendation", action, description
    )


@admin.register(Commendation)
class CommendationAdmin(DecisionAdmin, HistoryAdmin):
    transition_table = workflow.COMMENDATION_TRANSITIONS
    list_display = [
        "recipient_name",
        "form",
        "initiative",
        "status",
        "decision_number",
        "decided_on",
        "document_count",
        "certificate_link",
    ]
    list_filter = ["status", "form", "recipient_kind", "review_round"]
    search_fields = ["recipient_name", "initiative__title", "decision_number"]
    autocomplete_fields = ["initiative", "contributor"]
    inlines = [DossierInline, CommendationHistoryInline]
    decisions = [
        _commendation_decision("submit", _("Trình hồ sơ khen thưởng")),
        _commendation_decision("decide", _("Quyết định khen thưởng (ghi số, ngày)")),
        _commendation_decision("reject", _("Không khen thưởng (kèm lý do)")),
        _commendation_decision("issue", _("Ghi nhận đã trao")),
        _commendation_decision("revoke", _("Thu hồi khen thưởng (kèm lý do)")),
    ]
    actions = [decision.admin_action() for decision in decisions]
    editable_fields = [
        "initiative",
        "review_round",
        "recipient_kind",
        "recipient_name",
        "contributor",
        "form",
        "reason",
        "prize_amount",
        "signer_name",
    ]
    decision_fields = [
        "status",
        "decision_number",
        "decided_on",
        "decided_by",
        "issued_on",
        "created_by",
        "created_at",
        "certificate_link",
    ]

    def get_queryset(self, request):
        return queries.commendation_admin_queryset()

    def decision_summary(self, obj):
        return [
            (_("Mô hình"), f"{obj.initiative.code} · {obj.initiative.title}"),
            (_("Đối tượng"), f"{obj.get_recipient_kind_display()}: {obj.recipient_name}"),
            (_("Hình thức"), obj.get_form_display()),
            (_("Thành tích"), obj.reason),
            (_("Tiền thưởng"), vnd(obj.prize_amount) if obj.prize_amount else ""),
            (
                _("Hồ sơ còn thiếu"),
                "; ".join(str(DossierKind(k).label) for k in obj.missing_dossier_kinds()),
            ),
        ]

    def decision_documents(self, obj):
        return [
            (
                f"{document.get_kind_display()}: {document.original_name or document.pk}",
                reverse("workspace:dossier-download", args=[document.pk]),
            )
            for document in obj.documents.order_by("kind", "pk")
        ]

    def get_fields(self, request, obj=None):
        return (
            self.editable_fields if obj is None else [*self.editable_fields, *self.decision_fields]
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == CommendationStatus.DRAFT:
            return self.decision_fields
        return [*self.editable_fields, *self.decision_fields]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(
            workflow.COMMENDATION_TRANSITIONS["submit"].permission
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Số tài liệu"))
    def document_count(self, obj):
        return getattr(obj, "document_count", None)

    @admin.display(description=_("Giấy khen"))
    def certificate_link(self, obj):
        if (
            obj.pk
            and obj.has_certificate
            and obj.status
            in (
                CommendationStatus.DECIDED,
                CommendationStatus.ISSUED,
            )
        ):
            return format_html(
                '<a href="{}">{}</a>',
                reverse("workspace:certificate", args=[obj.pk]),
                _("Xem, in giấy khen"),
            )
        return "—"

    def save_model(self, request, obj, form, change):
        if not change:
            created = workflow.commendation_create(
                by=request.user, **{name: getattr(obj, name) for name in self.editable_fields}
            )
            obj.pk, obj.status, obj.created_by = created.pk, created.status, created.created_by
            obj.created_at = created.created_at
            obj._state.adding = False
            return
        # Only a draft's fields are editable (see get_readonly_fields).
        changed = {name: getattr(obj, name) for name in form.changed_data}
        if changed:
            try:
                workflow.commendation_update(commendation=obj, by=request.user, **changed)
            except workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    def save_formset(self, request, form, formset, change):
        if formset.model is not DossierDocument:
            return super().save_formset(request, form, formset, change)
        commendation = form.instance
        try:
            for inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    workflow.dossier_remove(document=inline_form.instance, by=request.user)
            for inline_form in formset.extra_forms:
                if inline_form.has_changed() and inline_form not in formset.deleted_forms:
                    workflow.dossier_attach(
                        commendation=commendation,
                        kind=inline_form.cleaned_data["kind"],
                        file=inline_form.cleaned_data["file"],
                        by=request.user,
                    )
        except workflow.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None
