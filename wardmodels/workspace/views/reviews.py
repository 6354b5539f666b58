"""Review rounds, score sheets and recognitions in the workspace (the committee decides
recognitions in the admin, or by the POST endpoint here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import permissions, queries, workflow
from campaigns.forms import (
    RECOGNITION_FORMS,
    EvaluationRowForm,
    RecognitionProposalForm,
)
from campaigns.models import (
    Evaluation,
    Recognition,
)
from campaigns.permissions import (
    ReviewCapabilities,
)
from campaigns.review_choices import (
    RoundStatus,
)
from registry.permissions import InitiativeCapabilities, workspace_required
from registry.workflow import WorkflowError

from .common import page, run_transition


@workspace_required
def round_list(request):
    permissions.check_can_view_reviews(request)
    rounds = queries.review_rounds_overview(request.user).order_by("-period_end", "title", "pk")
    page_obj = page(request, rounds)
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


@require_POST
@login_required
def recognition_transition(request, pk: int, action: str):
    recognition = get_object_or_404(Recognition, pk=pk)
    return run_transition(
        request,
        obj=recognition,
        action=action,
        forms=RECOGNITION_FORMS,
        actions=workflow.RECOGNITION_ACTIONS,
        table=workflow.RECOGNITION_TRANSITIONS,
        obj_kwarg="recognition",
        default_url=reverse("admin:campaigns_recognition_change", args=[pk]),
    )
