"""Residents' feedback in the workspace: the list with its filters, one item with its
transitions (receive, start, answer, close, not publish, spam, duplicate, assign, publish),
and the residents' photos (private files)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
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
from participation.redaction import redact_feedback
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


@dataclass(frozen=True)
class FormAction:
    """A step that takes a form: the workflow function receives the form's cleaned data as
    keyword arguments (the form's fields are named like its parameters)."""

    form: type[forms.Form]
    context_name: str  # the form's name in the detail page's template
    permission: str
    run: Callable[..., Feedback]


FORM_ACTIONS = {
    "answer": FormAction(
        AnswerForm, "answer_form", workflow.ANSWER_PERMISSION, workflow.feedback_answer
    ),
    "not_publish": FormAction(
        ReasonForm, "reason_form", workflow.ANSWER_PERMISSION, workflow.feedback_not_publish
    ),
    "duplicate": FormAction(
        DuplicateForm,
        "duplicate_form",
        workflow.ANSWER_PERMISSION,
        workflow.feedback_mark_duplicate,
    ),
    "assign": FormAction(
        AssignForm, "assign_form", workflow.ANSWER_PERMISSION, workflow.feedback_assign
    ),
    "publish": FormAction(
        PublishForm, "publish_form", workflow.PUBLISH_PERMISSION, workflow.feedback_publish
    ),
}
# Steps without a form: a refusal is a message on the detail page.
SIMPLE_ACTIONS = {
    "receive": workflow.feedback_receive,
    "start": workflow.feedback_start,
    "close": workflow.feedback_close,
    "spam": workflow.feedback_mark_spam,
    "unpublish": workflow.feedback_unpublish,
}


def _unbound_forms(feedback: Feedback, suggestion) -> dict:
    answer = getattr(feedback, "answer", None) if feedback.answered_at else None
    return {
        "answer_form": AnswerForm(initial={"text": answer.text if answer else ""}),
        "reason_form": ReasonForm(),
        "duplicate_form": DuplicateForm(),
        "assign_form": AssignForm(initial={"assignee": feedback.assignee_id}),
        # Never the raw text: the masked suggestion, or the text already published.
        "publish_form": PublishForm(
            initial={"public_text": feedback.public_text or suggestion.text}
        ),
    }


def _render_detail(request, feedback: Feedback, bound: dict | None = None):
    """The detail page; ``bound`` replaces a form by the one the official sent, so that a
    refused answer or public text is shown again with its errors, as typed. ``redaction``:
    what the detector masked in the resident's text, shown beside the publish form."""
    suggestion = redact_feedback(feedback)
    return render(
        request,
        "workspace/feedback_detail.html",
        {
            "feedback": feedback,
            "may_see_contact": permissions.may_see_contact(request.user),
            "actions": allowed_actions(workflow.TRANSITIONS, feedback, request.user),
            "may_answer": request.user.has_perm(permissions.ANSWER_FEEDBACK),
            "may_publish": request.user.has_perm(permissions.PUBLISH_FEEDBACK),
            **_unbound_forms(feedback, suggestion),
            **(bound or {}),
            "redaction": suggestion,
            "photos": list(feedback.photos.all()),
            "transitions": list(feedback.transitions.select_related("by")[:50]),
            "today": timezone.localdate(),
        },
    )


@require_GET
@workspace_required
def feedback_detail(request, pk):
    return _render_detail(request, _feedback_for_view(request, pk))


def _updated(request, feedback: Feedback):
    messages.success(
        request,
        _("Đã cập nhật góp ý %(code)s — %(status)s.")
        % {"code": feedback.code, "status": feedback.get_status_display()},
    )
    return redirect(reverse("workspace:feedback-detail", args=[feedback.pk]))


def _act(request, pk: int, action: str):
    """Run one step on a feedback item; a missing permission is a 403, before any form."""
    feedback = _feedback_for_view(request, pk)
    if action in SIMPLE_ACTIONS:
        extra = {}
        if action == "unpublish":
            # "Thôi công khai" sits in the publication form: its edited text is kept.
            publish_form = PublishForm(request.POST)
            if publish_form.is_valid():
                extra["public_text"] = publish_form.cleaned_data["public_text"]
        try:
            SIMPLE_ACTIONS[action](feedback=feedback, by=request.user, **extra)
        except WorkflowError as exc:
            if exc.code == "permission":
                raise PermissionDenied from None
            messages.error(request, str(exc))
            return redirect(reverse("workspace:feedback-detail", args=[feedback.pk]))
        return _updated(request, feedback)
    spec = FORM_ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    form = spec.form(request.POST)
    # The answer form's second button saves the answer and closes the item in one step.
    extra = {"close": True} if action == "answer" and "close" in request.POST else {}
    if form.is_valid():
        try:
            spec.run(feedback=feedback, by=request.user, **form.cleaned_data, **extra)
        except WorkflowError as exc:
            if exc.code == "permission":
                raise PermissionDenied from None
            # A message, not a form error: the step may no longer be offered (someone else
            # just moved the item), and then its form is not on the page.
            messages.error(request, str(exc))
        else:
            return _updated(request, feedback)
    return _render_detail(request, feedback, {spec.context_name: form})


@require_POST
@workspace_required
def feedback_action(request, pk, action):
    """receive, start, close, spam (no form); answer, not_publish, duplicate (a form)."""
    return _act(request, pk, action)


@require_POST
@workspace_required
def feedback_assign(request, pk):
    return _act(request, pk, "assign")


@require_POST
@workspace_required
def feedback_publish(request, pk):
    """Publish with the redacted text; ``unpublish`` in the POST takes it off instead."""
    return _act(request, pk, "unpublish" if "unpublish" in request.POST else "publish")


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
