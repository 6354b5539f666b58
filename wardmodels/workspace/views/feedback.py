"""Residents' feedback in the workspace: the list with its filters, one item with its
transitions (receive, start, answer, close, not publish, spam, duplicate, assign, publish),
and the residents' photos (private files)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation import permissions, workflow
from participation.choices import FeedbackKind, FeedbackStatus
from participation.forms import AnswerForm, AssignForm, DuplicateForm, PublishForm, ReasonForm
from participation.models import Feedback, FeedbackPhoto
from participation.queries import overdue_q, workspace_feedback
from registry.permissions import workspace_required
from registry.transitions import allowed_actions
from registry.workflow import WorkflowError

from .common import page

DUE_FILTERS = ("due", "overdue")


@require_GET
@workspace_required
def feedback_list(request):
    permissions.check_can_view_feedback(request)
    items = workspace_feedback().order_by("-created_at", "-pk")
    status = request.GET.get("status") or ""
    if status in FeedbackStatus.values:
        items = items.filter(status=status)
    kind = request.GET.get("kind") or ""
    if kind in FeedbackKind.values:
        items = items.filter(kind=kind)
    due = request.GET.get("due") or ""
    today = timezone.localdate()
    if due == "overdue":
        items = items.filter(overdue_q(today))
    elif due == "due":
        items = items.filter(status__in=workflow.WAITING_STATUSES)
    assigned = request.GET.get("assigned") or ""
    if assigned == "me":
        items = items.filter(assignee=request.user)
    elif assigned == "none":
        items = items.filter(assignee__isnull=True)
    page_obj = page(request, items)
    return render(
        request,
        "workspace/feedback_list.html",
        {
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "statuses": FeedbackStatus.choices,
            "kinds": FeedbackKind.choices,
            "status": status,
            "kind": kind,
            "due": due,
            "assigned": assigned,
            "today": today,
        },
    )


def _feedback_for_view(request, pk: int) -> Feedback:
    permissions.check_can_view_feedback(request)
    return get_object_or_404(
        Feedback.objects.select_related("initiative", "assignee", "answer", "duplicate_of"), pk=pk
    )


@require_GET
@workspace_required
def feedback_detail(request, pk):
    feedback = _feedback_for_view(request, pk)
    answer = getattr(feedback, "answer", None) if feedback.answered_at else None
    return render(
        request,
        "workspace/feedback_detail.html",
        {
            "feedback": feedback,
            "may_see_contact": permissions.may_see_contact(request.user),
            "actions": allowed_actions(workflow.TRANSITIONS, feedback, request.user),
            "may_answer": request.user.has_perm(permissions.ANSWER_FEEDBACK),
            "may_publish": request.user.has_perm(permissions.PUBLISH_FEEDBACK),
            "answer_form": AnswerForm(initial={"text": answer.text if answer else ""}),
            "reason_form": ReasonForm(),
            "duplicate_form": DuplicateForm(),
            "assign_form": AssignForm(initial={"assignee": feedback.assignee_id}),
            "publish_form": PublishForm(
                initial={"public_text": feedback.public_text or feedback.text}
            ),
            "photos": list(feedback.photos.all()),
            "transitions": list(feedback.transitions.select_related("by")[:50]),
            "today": timezone.localdate(),
        },
    )


def _run(request, feedback, call):
    """Run a workflow call; its refusal is a message (a missing permission is a 403)."""
    try:
        call()
    except WorkflowError as exc:
        if exc.code == "permission":
            raise PermissionDenied from None
        messages.error(request, str(exc))
        return False
    messages.success(
        request,
        _("Đã cập nhật góp ý %(code)s — %(status)s.")
        % {"code": feedback.code, "status": feedback.get_status_display()},
    )
    return True


def _form_errors(request, form, permission: str) -> None:
    # Someone who may not act at all is refused before being told about the form.
    if not request.user.has_perm(permission):
        raise PermissionDenied
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


SIMPLE_ACTIONS = {
    "receive": workflow.feedback_receive,
    "start": workflow.feedback_start,
    "close": workflow.feedback_close,
    "spam": workflow.feedback_mark_spam,
}


@require_POST
@workspace_required
def feedback_action(request, pk, action):
    """receive, start, close, spam (no form), answer, not_publish, duplicate (a form)."""
    feedback = _feedback_for_view(request, pk)
    if action in SIMPLE_ACTIONS:
        _run(request, feedback, lambda: SIMPLE_ACTIONS[action](feedback=feedback, by=request.user))
    elif action == "answer":
        form = AnswerForm(request.POST)
        if form.is_valid():
            _run(
                request,
                feedback,
                lambda: workflow.feedback_answer(
                    feedback=feedback, by=request.user, text=form.cleaned_data["text"]
                ),
            )
        else:
            _form_errors(request, form, workflow.ANSWER_PERMISSION)
    elif action == "not_publish":
        form = ReasonForm(request.POST)
        if form.is_valid():
            _run(
                request,
                feedback,
                lambda: workflow.feedback_not_publish(
                    feedback=feedback, by=request.user, reason=form.cleaned_data["reason"]
                ),
            )
        else:
            _form_errors(request, form, workflow.ANSWER_PERMISSION)
    elif action == "duplicate":
        form = DuplicateForm(request.POST)
        if form.is_valid():
            _run(
                request,
                feedback,
                lambda: workflow.feedback_mark_duplicate(
                    feedback=feedback, by=request.user, original=form.cleaned_data["original"]
                ),
            )
        else:
            _form_errors(request, form, workflow.ANSWER_PERMISSION)
    else:
        raise Http404
    return redirect(reverse("workspace:feedback-detail", args=[feedback.pk]))


@require_POST
@workspace_required
def feedback_assign(request, pk):
    feedback = _feedback_for_view(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        _run(
            request,
            feedback,
            lambda: workflow.feedback_assign(
                feedback=feedback, by=request.user, assignee=form.cleaned_data["assignee"]
            ),
        )
    else:
        _form_errors(request, form, workflow.ANSWER_PERMISSION)
    return redirect(reverse("workspace:feedback-detail", args=[feedback.pk]))


@require_POST
@workspace_required
def feedback_publish(request, pk):
    """Publish with the redacted text; ``unpublish`` in the POST takes it off instead."""
    feedback = _feedback_for_view(request, pk)
    if "unpublish" in request.POST:
        _run(
            request,
            feedback,
            lambda: workflow.feedback_unpublish(feedback=feedback, by=request.user),
        )
    else:
        form = PublishForm(request.POST)
        if form.is_valid():
            _run(
                request,
                feedback,
                lambda: workflow.feedback_publish(
                    feedback=feedback,
                    by=request.user,
                    public_text=form.cleaned_data["public_text"],
                ),
            )
        else:
            _form_errors(request, form, workflow.PUBLISH_PERMISSION)
    return redirect(reverse("workspace:feedback-detail", args=[feedback.pk]))


@require_GET
@workspace_required
def feedback_photo(request, pk):
    """A resident's photo, for officials who may read feedback (never a public URL)."""
    permissions.check_can_view_feedback(request)
    photo = get_object_or_404(FeedbackPhoto, pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=_content_type(photo.image.name))
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        ext, "application/octet-stream"
    )
