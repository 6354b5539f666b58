"""The officials' workspace (/quan-ly/) for the campaigns app: ledger, reviews, commendations.

Thin views, same shape as registry/workspace_views.py: authorise through
campaigns/permissions.py, bind a form, call ``campaigns.workflow``, leave a message,
redirect. Every state change is a POST; on an error the same page is shown again with the
user's input kept and the error next to the field it belongs to.
"""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns import permissions, queries, workflow
from campaigns.forms import (
    CommendationProposalForm,
    ContributorForm,
    DonationForm,
    DossierDocumentForm,
    EvaluationRowForm,
    ExpenseForm,
    PledgeForm,
    RecognitionProposalForm,
    ShortReasonForm,
)
from campaigns.models import CommendationTransition, Contributor, Evaluation, Recognition
from campaigns.permissions import LedgerCapabilities, ReviewCapabilities
from campaigns.review_choices import (
    CERTIFICATE_FORMS,
    REQUIRED_DOSSIER_KINDS,
    CommendationStatus,
    DossierKind,
    RoundStatus,
)
from registry.permissions import InitiativeCapabilities, workspace_required
from registry.workflow import WorkflowError

LIST_PAGE_SIZE = 25


def _page(request, queryset):
    try:
        return Paginator(queryset, LIST_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from None


def _apply_workflow_error(form, exc: WorkflowError) -> None:
    """Put a workflow error on the form field it names (``LedgerEntryError.field``)."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc.message))


# --- Ledger -----------------------------------------------------------------------------


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
    page_obj = _page(request, queries.ledger_overview())
    return render(
        request,
        "workspace/campaigns/ledger_index.html",
        {"page_obj": page_obj, "initiatives": page_obj.object_list},
    )


def _selected_contributor(request, bound_form=None):
    """The contributor chosen for a pledge or donation: from the form sent back or the URL."""
    raw = (
        bound_form.data.get(bound_form.add_prefix("contributor"))
        if bound_form is not None
        else request.GET.get("contributor")
    )
    try:
        return Contributor.objects.select_related("residential_area").get(pk=int(raw))
    except (TypeError, ValueError, Contributor.DoesNotExist):
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
            "matches": queries.contributor_search(query) if caps.see_contact else [],
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
            raw = request.POST.get("donation-contributor") or ""
            form = DonationForm(
                request.POST,
                prefix="donation",
                initiative=initiative,
                contributor_id=int(raw) if raw.isdigit() else None,
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
                _apply_workflow_error(form, exc)
            else:
                amount = getattr(entry, "value", None) or entry.amount
                messages.success(
                    request,
                    str(_RECORDED[action])
                    % {
                        "value": f"{amount:,}".replace(",", "."),
                        "name": getattr(getattr(entry, "contributor", None), "name", ""),
                    },
                )
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


# --- Reviews ------------------------------------------------------------------------------


@workspace_required
def round_list(request):
    permissions.check_can_view_reviews(request)
    rounds = queries.review_rounds_overview(request.user).order_by("-period_end", "title", "pk")
    page_obj = _page(request, rounds)
    return render(
        request,
        "workspace/campaigns/round_list.html",
        {
            "page_obj": page_obj,
            "rounds": page_obj.object_list,
            "review_caps": ReviewCapabilities.of(request.user),
        },
    )


class ScoreRow:
    def __init__(self, initiative, evaluation, form):
        self.initiative = initiative
        self.evaluation = evaluation
        self.form = form


def _score_sheet_page(request, review_round, *, bound=None, status=200):
    bound = bound or {}
    sheet = queries.score_sheet(review_round, request.user)
    review_caps = ReviewCapabilities.of(request.user)
    editable = review_round.is_open and review_caps.score
    rows = []
    for initiative in sheet["initiatives"]:
        evaluation = sheet["mine"].get(initiative.pk)
        form = bound.get(initiative.pk) or EvaluationRowForm(
            criteria=sheet["criteria"],
            initiative=initiative,
            initial=EvaluationRowForm.initial_for(evaluation),
        )
        if evaluation is not None:
            scores = {s.criterion_id: s.value for s in evaluation.scores.all()}
            evaluation.ordered_scores = [scores.get(c.pk) for c in sheet["criteria"]]
        rows.append(ScoreRow(initiative, evaluation, form))
    return render(
        request,
        "workspace/campaigns/score_sheet.html",
        {
            "review_round": review_round,
            "criteria": sheet["criteria"],
            "rows": rows,
            "editable": editable,
            "review_caps": review_caps,
            "has_errors": bool(bound),
        },
        status=status,
    )


@workspace_required
def score_sheet(request, pk):
    review_round = permissions.get_round_for_view(request, pk)
    return _score_sheet_page(request, review_round)


@require_POST
@workspace_required
def evaluation_save(request, round_pk, initiative_pk):
    """Save the current user's scores of one model (one row of the score sheet)."""
    review_round, initiative = permissions.get_round_and_initiative_for_scoring(
        request, round_pk, initiative_pk
    )
    criteria = list(review_round.campaign.criteria.all())
    form = EvaluationRowForm(request.POST, criteria=criteria, initiative=initiative)
    if form.is_valid():
        try:
            evaluation = workflow.evaluation_save(
                review_round=review_round,
                initiative=initiative,
                by=request.user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Đã lưu phiếu chấm “%(title)s”: %(total)s/%(max)s điểm.")
                % {
                    "title": initiative.title,
                    "total": evaluation.total.normalize(),
                    "max": evaluation.max_total.normalize(),
                },
            )
            return redirect(
                reverse("workspace:score-sheet", args=[review_round.pk]) + f"#row-{initiative.pk}"
            )
    messages.error(
        request,
        _("Chưa lưu phiếu chấm “%(title)s”: hãy sửa những chỗ được đánh dấu trên dòng đó.")
        % {"title": initiative.title},
    )
    return _score_sheet_page(request, review_round, bound={initiative.pk: form})


@workspace_required
def recognition_propose(request, round_pk, initiative_pk):
    """Propose recognising a model in a round, with the round's scores in view."""
    review_round, initiative = permissions.get_round_and_initiative_for_proposal(
        request, round_pk, initiative_pk
    )
    if request.method == "POST":
        form = RecognitionProposalForm(request.POST)
        if form.is_valid():
            try:
                workflow.recognition_propose(
                    initiative=initiative,
                    review_round=review_round,
                    by=request.user,
                    **form.cleaned_data,
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Đã đề nghị công nhận “%(title)s”; đề nghị chờ Đảng ủy phường quyết định.")
                    % {"title": initiative.title},
                )
                return redirect(reverse("workspace:initiative-reviews", args=[initiative.pk]))
    else:
        form = RecognitionProposalForm()
    return render(
        request,
        "workspace/campaigns/recognition_propose.html",
        {
            "initiative": initiative,
            "review_round": review_round,
            "form": form,
            "scores": queries.round_scores(
                initiative_id=initiative.pk, review_round_id=review_round.pk
            ),
            "criteria": list(review_round.campaign.criteria.all()),
            "existing": Recognition.objects.filter(
                initiative=initiative, review_round=review_round
            ),
        },
    )


@workspace_required
def initiative_reviews(request, pk):
    """One model's evaluations, recognitions and commendations, with links to act on them."""
    initiative = permissions.get_initiative_for_reviews(request, pk)
    evaluations = (
        Evaluation.objects.with_scores()
        .filter(initiative=initiative)
        .order_by("-review_round__period_end", "review_round_id", "evaluator__username")
    )
    return render(
        request,
        "workspace/campaigns/initiative_reviews.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "review_caps": ReviewCapabilities.of(request.user),
            "evaluations": evaluations,
            "open_rounds": queries.review_rounds_overview(request.user)
            .filter(status=RoundStatus.OPEN)
            .order_by("-period_end", "pk"),
            "evaluable": initiative.status in workflow.EVALUABLE_STATUSES,
            "recognitions": Recognition.objects.filter(initiative=initiative).select_related(
                "review_round", "proposed_by"
            ),
            "commendations": queries.workspace_commendations().filter(initiative=initiative),
        },
    )


# --- Commendations ------------------------------------------------------------------------


@workspace_required
def commendation_list(request):
    permissions.check_can_view_commendations(request)
    commendations = queries.workspace_commendations().order_by("-created_at", "-pk")
    status = request.GET.get("trang-thai") or ""
    if status in CommendationStatus.values:
        commendations = commendations.filter(status=status)
    page_obj = _page(request, commendations)
    return render(
        request,
        "workspace/campaigns/commendation_list.html",
        {
            "page_obj": page_obj,
            "commendations": page_obj.object_list,
            "statuses": CommendationStatus.choices,
            "status": status,
            "review_caps": ReviewCapabilities.of(request.user),
        },
    )


@workspace_required
def commendation_create(request):
    """A new commendation proposal, saved as a draft; its dossier is assembled next."""
    permissions.check_can_propose_commendation(request)
    if request.method == "POST":
        form = CommendationProposalForm(request.POST)
        if form.is_valid():
            try:
                commendation = workflow.commendation_create(by=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Đã lập dự thảo khen thưởng “%(name)s”; hãy tải lên hồ sơ rồi trình.")
                    % {"name": commendation.recipient_name},
                )
                return redirect(reverse("workspace:commendation-detail", args=[commendation.pk]))
    else:
        form = CommendationProposalForm(
            initial={
                "initiative": request.GET.get("initiative"),
                "review_round": request.GET.get("round"),
            }
        )
    return render(request, "workspace/campaigns/commendation_form.html", {"form": form})


def _commendation_page(request, commendation, *, upload_form=None, status=200):
    documents = list(commendation.documents.select_related("uploaded_by"))
    present = {d.kind for d in documents}
    review_caps = ReviewCapabilities.of(request.user)
    return render(
        request,
        "workspace/campaigns/commendation_detail.html",
        {
            "commendation": commendation,
            "initiative": commendation.initiative,
            "documents": documents,
            "required": [(DossierKind(k).label, k in present) for k in REQUIRED_DOSSIER_KINDS],
            "missing": [DossierKind(k).label for k in REQUIRED_DOSSIER_KINDS if k not in present],
            "is_draft": commendation.status == CommendationStatus.DRAFT,
            "review_caps": review_caps,
            "can_assemble": review_caps.propose_commendation
            and commendation.status == CommendationStatus.DRAFT,
            "can_download": request.user.has_perm("campaigns.view_dossierdocument"),
            "has_certificate": commendation.form in CERTIFICATE_FORMS
            and commendation.status in (CommendationStatus.DECIDED, CommendationStatus.ISSUED),
            "upload_form": upload_form or DossierDocumentForm(),
            "transitions": _labelled(
                CommendationTransition.objects.filter(commendation=commendation).select_related(
                    "by"
                )
            ),
        },
        status=status,
    )


def _labelled(transitions):
    labels = dict(CommendationStatus.choices)
    rows = list(transitions)
    for t in rows:
        t.from_label = labels.get(t.from_status, "—")
        t.to_label = labels.get(t.to_status, t.to_status)
    return rows


@workspace_required
def commendation_detail(request, pk):
    return _commendation_page(request, permissions.get_commendation_for_view(request, pk))


@require_POST
@workspace_required
def dossier_attach(request, pk):
    commendation = permissions.get_commendation_for_dossier(request, pk)
    form = DossierDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = workflow.dossier_attach(
                commendation=commendation,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except WorkflowError as exc:
            form.add_error("file", str(exc.message))
        else:
            messages.success(request, _("Đã thêm vào hồ sơ: %(doc)s.") % {"doc": document})
            return redirect(reverse("workspace:commendation-detail", args=[commendation.pk]))
    messages.error(request, _("Chưa tải lên được: hãy sửa những chỗ được đánh dấu."))
    return _commendation_page(request, commendation, upload_form=form)


@require_POST
@workspace_required
def dossier_remove(request, pk):
    document = permissions.get_document_for_remove(request, pk)
    commendation_id = document.commendation_id
    label = str(document)
    try:
        workflow.dossier_remove(document=document, by=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ khỏi hồ sơ: %(doc)s.") % {"doc": label})
    return redirect(reverse("workspace:commendation-detail", args=[commendation_id]))


@require_POST
@workspace_required
def commendation_submit(request, pk):
    commendation = permissions.get_commendation_for_dossier(request, pk)
    try:
        workflow.commendation_submit(commendation=commendation, by=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã trình hồ sơ khen thưởng; hồ sơ chờ cấp có thẩm quyền quyết định.")
        )
    return redirect(reverse("workspace:commendation-detail", args=[commendation.pk]))
