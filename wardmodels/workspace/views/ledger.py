"""The ledger in the workspace: contributors, pledges, donations, expenses and reversals.

Thin views: authorise through campaigns/permissions.py, bind a form, call
``campaigns.workflow``, leave a message, redirect. Every state change is a POST; on an error
the same page is shown again with the user's input kept and the error next to its field.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns import permissions, queries, workflow
from campaigns.forms import (
    ContributorForm,
    DonationCorrectionForm,
    DonationForm,
    ExpenseCorrectionForm,
    ExpenseForm,
    PledgeCorrectionForm,
    PledgeForm,
    ShortReasonForm,
)
from campaigns.models import (
    Contributor,
)
from campaigns.permissions import (
    LedgerCapabilities,
)
from registry.formatting import number
from registry.permissions import InitiativeCapabilities, workspace_required
from registry.workflow import WorkflowError

from .common import apply_workflow_error, page


def _ledger_url(initiative_id, anchor="", **params) -> str:
    from urllib.parse import urlencode

    url = reverse("workspace:ledger", args=[initiative_id])
    if params:
        url += "?" + urlencode(params)
    return url + (f"#{anchor}" if anchor else "")


@workspace_required
def ledger_index(request):
    """Every model (drafts aside) with its pledged, received and spent totals."""
    permissions.require_permission(request, permissions.VIEW_LEDGER)
    page_obj = page(request, queries.ledger_overview())
    return render(
        request,
        "workspace/campaigns/ledger_index.html",
        {"page_obj": page_obj, "initiatives": page_obj.object_list},
    )


@workspace_required
def contributor_search(request):
    """Contributors found by name (with or without diacritics) across every model, with what
    each pledged and gave per model; phones and addresses only with the contact permission
    (which alone also searches by phone)."""
    permissions.require_permission(request, permissions.VIEW_CONTRIBUTOR)
    permissions.require_permission(request, permissions.VIEW_LEDGER)
    query = request.GET.get("q", "").strip()[:100]
    see_contact = permissions.may_see_contributor_contact(request.user)
    return render(
        request,
        "workspace/campaigns/contributor_search.html",
        {
            "query": query,
            "see_contact": see_contact,
            "contributors": queries.contributors_across_models(
                query, by_phone=see_contact, limit=CONTRIBUTOR_SEARCH_LIMIT
            ),
            "limit": CONTRIBUTOR_SEARCH_LIMIT,
        },
    )


CONTRIBUTOR_SEARCH_LIMIT = 50


def _selected_contributor(request, bound_form=None):
    """The contributor chosen for a pledge or donation: from the form sent back or the URL."""
    raw = (
        bound_form.data.get(bound_form.add_prefix("contributor"))
        if bound_form is not None
        else request.GET.get("contributor")
    )
    return _contributor_of(raw)


def _contributor_of(raw):
    """The contributor whose id ``raw`` is, or None."""
    # The contributor field's own parsing: "²" passes str.isdigit() but not int(), and an id
    # of 10,000 digits is past int()'s limit; the field refuses both as a choice.
    try:
        return forms.ModelChoiceField(
            queryset=Contributor.objects.select_related("residential_area")
        ).clean(raw)
    except ValidationError:
        return None


def _ledger_page(request, initiative, *, bound=None, reverse_error=None, status=200):
    """The ledger of one model; ``bound`` holds a form sent back with its errors, by name
    ("contributor", "pledge", "donation", "expense"); ``reverse_error`` is (kind, pk, form)
    for a cancellation or reversal that failed."""
    bound = bound or {}
    caps = LedgerCapabilities.of(request.user)
    bound_for_contributor = bound.get("pledge") or bound.get("donation")
    contributor = _selected_contributor(request, bound_for_contributor)
    initial = {"contributor": contributor.pk if contributor else None}
    today = timezone.localdate()
    pledge_id = request.GET.get("pledge") if bound_for_contributor is None else None
    forms = {
        "contributor": bound.get("contributor") or ContributorForm(prefix="contributor"),
        "pledge": bound.get("pledge")
        or PledgeForm(prefix="pledge", initial={**initial, "pledged_on": today}),
        "donation": bound.get("donation")
        or DonationForm(
            prefix="donation",
            initiative=initiative,
            contributor_id=initial["contributor"],
            initial={**initial, "received_on": today, "pledge": pledge_id},
        ),
        "expense": bound.get("expense")
        or ExpenseForm(prefix="expense", initial={"spent_on": today}),
    }
    query = request.GET.get("q", "").strip() if not bound else ""
    ledger = queries.workspace_ledger(initiative)
    for kind in ("pledge", "donation", "expense"):
        for entry in ledger[f"{kind}s"]:
            failed = reverse_error and reverse_error[:2] == (kind, entry.pk)
            entry.reason_form = (
                reverse_error[2] if failed else ShortReasonForm(auto_id=f"id_{kind}_{entry.pk}_%s")
            )
            entry.today = today
    return render(
        request,
        "workspace/campaigns/ledger.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "ledger_caps": caps,
            "forms": forms,
            "contributor": contributor,
            "query": query,
            "matches": (
                queries.contributor_search(query, by_phone=caps.see_contact)
                if request.user.has_perm(permissions.VIEW_CONTRIBUTOR)
                else []
            ),
            "has_errors": bool(bound or reverse_error),
            **ledger,
        },
        status=status,
    )


@workspace_required
def ledger(request, pk):
    initiative = permissions.get_initiative_for_ledger(request, pk)
    return _ledger_page(request, initiative)


@require_POST
@workspace_required
def contributor_create(request, pk):
    """Add a new contributor, then come back to the ledger with them chosen."""
    initiative = permissions.get_initiative_for_ledger(request, pk)
    permissions.check_can_add_contributor(request)
    form = ContributorForm(request.POST, prefix="contributor")
    if not form.is_valid():
        messages.error(
            request, _("Chưa thêm được người đóng góp: hãy sửa những chỗ được đánh dấu.")
        )
        return _ledger_page(request, initiative, bound={"contributor": form})
    contributor = workflow.contributor_create(by=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Đã thêm người đóng góp “%(name)s”; hãy ghi cam kết hoặc khoản đã nhận.")
        % {"name": contributor.name},
    )
    return redirect(_ledger_url(initiative.pk, "record", contributor=contributor.pk))


def _record_view(action: str, form_name: str):
    """A POST that records one ledger entry through ``workflow.<action>``."""

    @require_POST
    @workspace_required
    def view(request, pk):
        initiative = permissions.get_initiative_for_ledger_action(request, pk, action)
        if form_name == "donation":
            # The pledge list depends on the contributor chosen.
            contributor = _contributor_of(request.POST.get("donation-contributor"))
            form = DonationForm(
                request.POST,
                prefix="donation",
                initiative=initiative,
                contributor_id=contributor.pk if contributor else None,
            )
        else:
            form = {"pledge": PledgeForm, "expense": ExpenseForm}[form_name](
                request.POST, prefix=form_name
            )
        if form.is_valid():
            try:
                entry = getattr(workflow, action)(
                    initiative=initiative, by=request.user, **form.cleaned_data
                )
            except WorkflowError as exc:
                apply_workflow_error(form, exc)
            else:
                amount = getattr(entry, "value", None) or entry.amount
                messages.success(
                    request,
                    str(_RECORDED[action])
                    % {
                        "value": number(amount),
                        "name": getattr(getattr(entry, "contributor", None), "name", ""),
                    },
                )
                _warn_outside_model_dates(request, initiative, entry)
                return redirect(_ledger_url(initiative.pk, f"{form_name}s"))
        messages.error(request, _("Chưa ghi được: hãy sửa những chỗ được đánh dấu."))
        return _ledger_page(
            request, permissions.get_initiative_for_ledger(request, pk), bound={form_name: form}
        )

    view.__name__ = action
    return view


_RECORDED = {
    "pledge_record": gettext_lazy("Đã ghi cam kết %(value)s ₫ của “%(name)s”."),
    "donation_record": gettext_lazy("Đã ghi khoản nhận %(value)s ₫ của “%(name)s”."),
    "expense_record": gettext_lazy("Đã ghi khoản chi %(value)s ₫."),
}


pledge_record = _record_view("pledge_record", "pledge")
donation_record = _record_view("donation_record", "donation")
expense_record = _record_view("expense_record", "expense")


def _cancel_view(kind: str, getter, func, kwarg: str, done):
    """A POST that cancels a pledge or reverses an entry, with a reason."""

    @require_POST
    @workspace_required
    def view(request, pk):
        entry = getter(request, pk)
        form = ShortReasonForm(request.POST, auto_id=f"id_{kind}_{pk}_%s")
        if form.is_valid():
            try:
                func(**{kwarg: entry, "by": request.user, "reason": form.cleaned_data["reason"]})
            except WorkflowError as exc:
                form.add_error("reason", str(exc.message))
            else:
                messages.success(request, str(done) % {"entry": entry})
                return redirect(_ledger_url(entry.initiative_id, f"{kind}-{entry.pk}"))
        messages.error(
            request,
            _("Chưa thực hiện được: %(errors)s")
            % {"errors": " ".join(str(e) for e in form.errors.get("reason", []))},
        )
        initiative = permissions.get_initiative_for_ledger(request, entry.initiative_id)
        return _ledger_page(request, initiative, reverse_error=(kind, entry.pk, form))

    view.__name__ = func.__name__
    return view


pledge_cancel = _cancel_view(
    "pledge",
    permissions.get_pledge_for_cancel,
    workflow.pledge_cancel,
    "pledge",
    gettext_lazy("Đã hủy cam kết: %(entry)s."),
)
donation_reverse = _cancel_view(
    "donation",
    permissions.get_donation_for_reverse,
    workflow.donation_reverse,
    "donation",
    gettext_lazy("Đã điều chỉnh (đảo) khoản nhận %(entry)s; tổng số đã được tính lại."),
)
expense_reverse = _cancel_view(
    "expense",
    permissions.get_expense_for_reverse,
    workflow.expense_reverse,
    "expense",
    gettext_lazy("Đã điều chỉnh (đảo) khoản chi %(entry)s; tổng số đã được tính lại."),
)


def _entry_date(entry):
    return getattr(entry, "received_on", None) or getattr(entry, "spent_on", None)


def _warn_outside_model_dates(request, initiative, entry) -> None:
    """Receipts and expenses dated outside the model's dates are recorded, with a warning."""
    warning = workflow.outside_model_dates(initiative, _entry_date(entry))
    if warning:
        messages.warning(request, warning)


# "Sửa khoản này": the form of the entry that replaces one, pre-filled with its values.
_CORRECTIONS = {
    "pledge": (PledgeCorrectionForm, workflow.pledge_correct, "pledges"),
    "donation": (DonationCorrectionForm, workflow.donation_correct, "donations"),
    "expense": (ExpenseCorrectionForm, workflow.expense_correct, "expenses"),
}

_CORRECTED = {
    "pledge": gettext_lazy("Đã hủy cam kết cũ và ghi cam kết đã sửa %(value)s ₫."),
    "donation": gettext_lazy(
        "Đã điều chỉnh (đảo) khoản cũ và ghi khoản đã sửa %(value)s ₫; tổng số đã được tính lại."
    ),
    "expense": gettext_lazy(
        "Đã điều chỉnh (đảo) khoản chi cũ và ghi khoản đã sửa %(value)s ₫; "
        "tổng số đã được tính lại."
    ),
}


def _not_correctable(kind: str, entry) -> str | None:
    if kind == "pledge":
        return _("Cam kết này đã hủy rồi.") if entry.cancelled else None
    if entry.reverses_id is not None:
        return _("Đây là bút toán điều chỉnh: không thể sửa tiếp.")
    if entry.has_reversal:
        return _("Khoản này đã được điều chỉnh rồi.")
    return None


def _correct_view(kind: str):
    form_class, correct, section = _CORRECTIONS[kind]

    @workspace_required
    def view(request, pk):
        entry = permissions.get_entry_for_correct(request, kind, pk)
        initiative = entry.initiative
        refusal = _not_correctable(kind, entry)
        if refusal:
            messages.error(request, refusal)
            return redirect(_ledger_url(initiative.pk, f"{kind}-{entry.pk}"))
        kwargs = {"prefix": kind}
        if kind == "donation":
            kwargs.update(initiative=initiative, contributor_id=entry.contributor_id)
        if request.method == "POST":
            form = form_class(request.POST, **kwargs)
            if form.is_valid():
                data = dict(form.cleaned_data)
                reason = data.pop("reason")
                try:
                    new = correct(**{kind: entry}, by=request.user, reason=reason, **data)
                except WorkflowError as exc:
                    apply_workflow_error(form, exc)
                else:
                    value = getattr(new, "value", None) or new.amount
                    messages.success(request, str(_CORRECTED[kind]) % {"value": number(value)})
                    _warn_outside_model_dates(request, initiative, new)
                    return redirect(_ledger_url(initiative.pk, f"{kind}-{new.pk}"))
        else:
            form = form_class(initial=workflow.correction_initial(entry), **kwargs)
        return render(
            request,
            "workspace/campaigns/ledger_correct.html",
            {
                "initiative": initiative,
                "caps": InitiativeCapabilities.of(request.user, initiative),
                "entry": entry,
                "kind": kind,
                "section": section,
                "form": form,
            },
        )

    view.__name__ = f"{kind}_correct"
    return view


pledge_correct = _correct_view("pledge")
donation_correct = _correct_view("donation")
expense_correct = _correct_view("expense")
