"""The ledger in the admin: contributors, pledges, and the append-only donations and expenses.

Donations and expenses can be added (through ``campaigns.workflow``) and viewed, never
changed or deleted; a mistake is corrected with the "reverse" action, which asks for a reason.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns import workflow
from campaigns.models import Contributor, Donation, Expense, Pledge
from campaigns.permissions import may_see_contributor_contact
from registry.admin_actions import workflow_action
from registry.admin_base import HistoryAdmin, ModelAdmin
from registry.forms import ReasonForm


class LedgerEntryForm(forms.ModelForm):
    """Runs the workflow's checks so that bad input shows next to its field."""

    def run_checks(self, *checks) -> None:
        for check in checks:
            try:
                check()
            except workflow.LedgerEntryError as exc:
                field = exc.field if exc.field in self.fields else None
                self.add_error(field, ValidationError(exc.message, code=exc.code))


class DonationForm(LedgerEntryForm):
    class Meta:
        model = Donation
        fields = [
            "initiative",
            "contributor",
            "pledge",
            "kind",
            "description",
            "quantity",
            "unit",
            "amount",
            "received_on",
            "receipt_number",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "receipt_number" in self.fields:  # absent on the read-only view
            self.fields["receipt_number"].required = True

    def clean(self):
        data = super().clean()
        checks = [
            lambda: workflow.check_amount(data.get("amount")) if "amount" in data else None,
            lambda: (
                workflow.check_ledger_date(data.get("received_on"), field="received_on")
                if "received_on" in data
                else None
            ),
            lambda: workflow.check_quantity(data.get("kind"), data.get("quantity")),
            lambda: (
                workflow.check_document_number(
                    data["receipt_number"], model=Donation, field="receipt_number"
                )
                if data.get("receipt_number")
                else None
            ),
        ]
        if data.get("initiative") and data.get("contributor"):
            checks.append(
                lambda: workflow.check_pledge(
                    data.get("pledge"),
                    initiative=data["initiative"],
                    contributor=data["contributor"],
                )
            )
        self.run_checks(*checks)
        return data


class ExpenseForm(LedgerEntryForm):
    class Meta:
        model = Expense
        fields = ["initiative", "description", "amount", "spent_on", "voucher_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "voucher_number" in self.fields:
            self.fields["voucher_number"].required = True

    def clean(self):
        data = super().clean()
        self.run_checks(
            lambda: workflow.check_amount(data.get("amount")) if "amount" in data else None,
            lambda: (
                workflow.check_ledger_date(data.get("spent_on"), field="spent_on")
                if "spent_on" in data
                else None
            ),
            lambda: (
                workflow.check_document_number(
                    data["voucher_number"], model=Expense, field="voucher_number"
                )
                if data.get("voucher_number")
                else None
            ),
        )
        return data


class PledgeForm(LedgerEntryForm):
    class Meta:
        model = Pledge
        fields = [
            "initiative",
            "contributor",
            "kind",
            "description",
            "quantity",
            "unit",
            "value",
            "pledged_on",
            "due_on",
        ]

    def clean(self):
        data = super().clean()
        self.run_checks(
            lambda: (
                workflow.check_amount(data.get("value"), field="value") if "value" in data else None
            ),
            lambda: (
                workflow.check_ledger_date(data.get("pledged_on"), field="pledged_on")
                if "pledged_on" in data
                else None
            ),
            lambda: workflow.check_quantity(data.get("kind"), data.get("quantity")),
        )
        return data


def _handled(count: int) -> str:
    return ngettext("Đã xử lý %(count)d khoản.", "Đã xử lý %(count)d khoản.", count) % {
        "count": count
    }


def _with_reason(name: str, description, title, permission: str, run):
    """An action that asks for a reason (page titled ``title``), then ``run(obj, by, reason)``."""
    return workflow_action(
        name=name,
        description=description,
        title=title,
        permission=permission,
        form_class=ReasonForm,
        run=lambda obj, by, data: run(obj, by, data["reason"]),
        done_message=_handled,
    )


class AppendOnlyAdmin(ModelAdmin):
    """Add and view; never change or delete (reverse instead)."""

    record_permission: str
    reverse_permission: str

    def has_add_permission(self, request):
        return request.user.has_perm(self.record_permission)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reverse_permission(self, request):
        return request.user.has_perm(self.reverse_permission)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["recorded_by", "recorded_at"]
        return [f.name for f in self.model._meta.fields] + ["reversed_by", "corrected_by"]

    def get_fields(self, request, obj=None):
        fields = list(self.form._meta.fields)
        if obj is not None:
            fields += [
                "reverses",
                "reversed_by",
                "reason",
                "corrects",
                "corrected_by",
                "recorded_by",
                "recorded_at",
            ]
        return fields

    @admin.display(description=_("đã được điều chỉnh bởi"))
    def reversed_by(self, obj):
        return getattr(obj, "reversal", None) or "—"

    @admin.display(description=_("Đã sửa thành"))
    def corrected_by(self, obj):
        return obj.corrected_by_or_none or "—"

    @admin.display(boolean=True, description=_("còn hiệu lực"))
    def standing(self, obj):
        return obj.reverses_id is None and not hasattr(obj, "reversal")

    def record(self, request, form):  # pragma: no cover - overridden
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        # Only adding reaches here (no change permission): write through the workflow.
        created = self.record(request, form.cleaned_data)
        obj.pk = created.pk
        obj._state.adding = False
        day = getattr(created, "received_on", None) or getattr(created, "spent_on", None)
        warning = workflow.outside_model_dates(created.initiative, day)
        if warning:
            messages.warning(request, warning)


@admin.register(Donation)
class DonationAdmin(AppendOnlyAdmin):
    form = DonationForm
    record_permission = "campaigns.record_donation"
    reverse_permission = "campaigns.reverse_donation"
    list_display = [
        "receipt_number",
        "received_on",
        "initiative",
        "contributor",
        "kind",
        "amount",
        "standing",
        "recorded_by",
    ]
    list_filter = ["kind", "received_on", "initiative"]
    list_select_related = ["initiative", "contributor", "recorded_by", "reversal"]
    search_fields = ["receipt_number", "contributor__name", "initiative__title", "description"]
    autocomplete_fields = ["initiative", "contributor", "pledge"]
    date_hierarchy = "received_on"
    actions = [
        _with_reason(
            "reverse_selected",
            _("Điều chỉnh (đảo) các khoản đã chọn, kèm lý do"),
            _("Điều chỉnh khoản đã nhận"),
            "reverse",
            lambda obj, by, reason: workflow.donation_reverse(donation=obj, by=by, reason=reason),
        )
    ]

    def record(self, request, data):
        return workflow.donation_record(by=request.user, **data)


@admin.register(Expense)
class ExpenseAdmin(AppendOnlyAdmin):
    form = ExpenseForm
    record_permission = "campaigns.record_expense"
    reverse_permission = "campaigns.reverse_expense"
    list_display = [
        "voucher_number",
        "spent_on",
        "initiative",
        "description",
        "amount",
        "standing",
        "recorded_by",
    ]
    list_filter = ["spent_on", "initiative"]
    list_select_related = ["initiative", "recorded_by", "reversal"]
    search_fields = ["voucher_number", "description", "initiative__title"]
    autocomplete_fields = ["initiative"]
    date_hierarchy = "spent_on"
    actions = [
        _with_reason(
            "reverse_selected",
            _("Điều chỉnh (đảo) các khoản chi đã chọn, kèm lý do"),
            _("Điều chỉnh khoản chi"),
            "reverse",
            lambda obj, by, reason: workflow.expense_reverse(expense=obj, by=by, reason=reason),
        )
    ]

    def record(self, request, data):
        return workflow.expense_record(by=request.user, **data)


CONTRIBUTOR_CONTACT_FIELDS = ["phone", "address"]


@admin.register(Contributor)
class ContributorAdmin(HistoryAdmin):
    """Phones and addresses only for users with ``campaigns.view_contributor_contact`` (the
    officials who record the ledger): without it they are left out of the list, the search,
    the form and the history, not only hidden."""

    list_display = ["name", "kind", "residential_area", "phone", "publish_name", "publish_amount"]
    list_filter = ["kind", "publish_name", "publish_amount", "residential_area"]
    list_select_related = ["residential_area"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["residential_area"]

    def _without_contact(self, request, names):
        if may_see_contributor_contact(request.user):
            return names
        return [name for name in names if name not in CONTRIBUTOR_CONTACT_FIELDS]

    def get_list_display(self, request):
        return self._without_contact(request, super().get_list_display(request))

    def get_search_fields(self, request):
        return self._without_contact(request, super().get_search_fields(request))

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not may_see_contributor_contact(request.user):
            excluded += CONTRIBUTOR_CONTACT_FIELDS
        return excluded

    def set_history_delta_changes(self, request, historical_records, *args, **kwargs):
        super().set_history_delta_changes(request, historical_records, *args, **kwargs)
        if may_see_contributor_contact(request.user):
            return
        hidden = {  # as the history page labels a change
            str(capfirst(Contributor._meta.get_field(name).verbose_name))
            for name in CONTRIBUTOR_CONTACT_FIELDS
        }
        for record in historical_records:
            changes = getattr(record, "history_delta_changes", None)
            if changes:
                record.history_delta_changes = [
                    change for change in changes if str(change["field"]) not in hidden
                ]


@admin.register(Pledge)
class PledgeAdmin(HistoryAdmin):
    form = PledgeForm
    list_display = [
        "contributor",
        "initiative",
        "kind",
        "value",
        "received",
        "pledged_on",
        "due_on",
        "state",
    ]
    list_filter = ["kind", "cancelled", "pledged_on", "initiative"]
    list_select_related = ["initiative", "contributor"]
    search_fields = ["contributor__name", "initiative__title", "description"]
    autocomplete_fields = ["initiative", "contributor"]
    readonly_fields = ["cancelled", "cancelled_at", "cancel_reason", "recorded_by", "recorded_at"]
    actions = [
        _with_reason(
            "cancel_selected",
            _("Hủy các cam kết đã chọn, kèm lý do"),
            _("Hủy cam kết đóng góp"),
            "cancel",
            lambda obj, by, reason: workflow.pledge_cancel(pledge=obj, by=by, reason=reason),
        )
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(received_amount=Coalesce(Sum("donations__amount"), 0))
        )

    @admin.display(description=_("đã nhận"))
    def received(self, obj):
        return obj.received()

    @admin.display(description=_("tình trạng"))
    def state(self, obj):
        return obj.get_state_display()

    def has_add_permission(self, request):
        return request.user.has_perm("campaigns.record_pledge")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_cancel_permission(self, request):
        return request.user.has_perm("campaigns.cancel_pledge")

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            if changed:
                try:
                    workflow.pledge_update(pledge=obj, by=request.user, **changed)
                except workflow.WorkflowError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
            return
        created = workflow.pledge_record(by=request.user, **form.cleaned_data)
        obj.pk = created.pk
        obj._state.adding = False
