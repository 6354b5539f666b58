"""The progress timeline in the workspace: a model's milestones (drafts, published,
withdrawn), drafting and editing drafts with their photos, publishing, correcting and
withdrawing. Thin views: authorise (registry/permissions.py), form, workflow, message,
redirect; a form with bad input comes back with its messages and what was typed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from registry import permissions, workflow
from registry.choices import MilestoneStatus as MS
from registry.forms import MilestoneForm, MilestonePhotoForm, ReasonForm
from registry.models import Milestone, MilestonePhoto
from registry.permissions import (
    InitiativeCapabilities,
    MilestoneCapabilities,
    workspace_required,
)


def _list_url(initiative_id: int, anchor: str = "") -> str:
    url = reverse("workspace:milestone-list", args=[initiative_id])
    return f"{url}#{anchor}" if anchor else url


def _edit_url(milestone: Milestone) -> str:
    return reverse("workspace:milestone-edit", args=[milestone.pk])


def _form_errors(form, exc: ValidationError) -> None:
    """Put a workflow's ``ValidationError`` on the form (by field when it names one)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


DISCARDED_PARAM = "bo"


def _discarded_drafts(initiative):
    """Drafts withdrawn before they were ever public: hidden from the list unless asked."""
    return Milestone.objects.filter(
        initiative=initiative, status=MS.WITHDRAWN, published_at__isnull=True
    )


def _timeline(initiative, *, with_discarded: bool):
    milestones = Milestone.objects.filter(initiative=initiative)
    if not with_discarded:
        milestones = milestones.exclude(pk__in=_discarded_drafts(initiative).values("pk"))
    return (
        milestones.select_related("created_by", "published_by", "supersedes")
        .prefetch_related(
            "photos",
            Prefetch(
                "corrections",
                queryset=Milestone.objects.order_by("-id"),
                to_attr="correction_list",
            ),
        )
        .order_by("-occurred_on", "-id")
    )


@workspace_required
def milestone_list(request, pk):
    """Every milestone of one model, newest first, and the form of a new draft."""
    if request.method == "POST":
        permissions.require_permission(request, "registry.view_milestone")
        initiative = permissions.get_initiative_for_milestone_draft(request, pk)
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                milestone = workflow.milestone_draft(
                    initiative=initiative, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request, _("Đã lập dự thảo mốc “%(title)s”.") % {"title": milestone.title}
                )
                return redirect(_edit_url(milestone))
    else:
        initiative = permissions.get_initiative_for_view(request, pk)
        permissions.require_permission(request, "registry.view_milestone")
        form = MilestoneForm(initial={"progress_before": initiative.progress})
    with_discarded = request.GET.get(DISCARDED_PARAM) == "1"
    milestones = list(_timeline(initiative, with_discarded=with_discarded))
    return render(
        request,
        "workspace/milestone_list.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "milestone_caps": MilestoneCapabilities.of(request.user),
            "milestones": milestones,
            "has_drafts": any(m.status == MS.DRAFT for m in milestones),
            "with_discarded": with_discarded,
            "discarded_count": _discarded_drafts(initiative).count(),
            "discard_form": ReasonForm(),
            "form": form,
        },
    )


def _ids(values) -> list[int]:
    """The values that read as ids; not ``str.isdigit()``: "²" passes it and int() refuses it,
    as it refuses 10,000 digits."""
    field = forms.IntegerField(min_value=1)
    ids = []
    for value in values:
        try:
            ids.append(field.clean(value))
        except ValidationError:
            continue
    return ids


@require_POST
@workspace_required
def milestone_discard(request, pk):
    """Discard the ticked drafts of one model with one reason (each is withdrawn)."""
    permissions.require_permission(request, workflow.PUBLISH_MILESTONE_PERMISSION)
    initiative = permissions.get_initiative_for_view(request, pk)
    ids = _ids(request.POST.getlist("milestones"))
    if not ids:
        messages.error(request, _("Hãy đánh dấu những dự thảo cần bỏ."))
        return redirect(_list_url(initiative.pk))
    try:
        count = workflow.milestone_discard_drafts(
            initiative=initiative,
            milestone_ids=ids,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("Đã bỏ %(count)d dự thảo.", "Đã bỏ %(count)d dự thảo.", count)
            % {"count": count},
        )
    return redirect(_list_url(initiative.pk))


def _edit_page(request, milestone, *, form=None, photo_form=None, status=200):
    initiative = milestone.initiative
    return render(
        request,
        "workspace/milestone_edit.html",
        {
            "initiative": initiative,
            "milestone": milestone,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "milestone_caps": MilestoneCapabilities.of(request.user),
            "form": form if form is not None else MilestoneForm(instance=milestone),
            "photo_form": photo_form if photo_form is not None else MilestonePhotoForm(),
            "photos": MilestonePhoto.objects.filter(milestone=milestone),
        },
        status=status,
    )


@workspace_required
def milestone_edit(request, pk):
    """A draft's text and figures, and its photos; a published one is shown read-only."""
    if request.method != "POST":
        return _edit_page(request, permissions.get_milestone_for_view(request, pk))
    milestone = permissions.get_milestone_for_edit(request, pk)
    form = MilestoneForm(request.POST, instance=Milestone.objects.get(pk=milestone.pk))
    if form.is_valid():
        try:
            workflow.milestone_update(milestone=milestone, by=request.user, **form.cleaned_data)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(_edit_url(milestone))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo mốc tiến độ."))
            return redirect(_edit_url(milestone))
    return _edit_page(request, milestone, form=form)


@require_POST
@workspace_required
def milestone_photo_add(request, pk):
    milestone = permissions.get_milestone_for_photo(request, pk)
    photo_form = MilestonePhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            workflow.milestone_photo_add(
                milestone=milestone, by=request.user, **photo_form.workflow_fields()
            )
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            _form_errors(photo_form, exc)
            return _edit_page(request, milestone, photo_form=photo_form)
        else:
            messages.success(request, _("Đã thêm ảnh vào mốc tiến độ."))
        return redirect(_edit_url(milestone) + "#photos")
    return _edit_page(request, milestone, photo_form=photo_form)


@require_POST
@workspace_required
def milestone_publish(request, pk):
    """Publish a draft; from the edit form (its fields in the POST), what was typed is saved
    first, in the same transaction, so that no edit is lost or published unseen."""
    milestone = permissions.get_milestone_for_publication(request, pk)
    changes = None
    if "title" in request.POST:
        form = MilestoneForm(request.POST, instance=Milestone.objects.get(pk=milestone.pk))
        if not form.is_valid():
            return _edit_page(request, milestone, form=form)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        workflow.milestone_publish(milestone=milestone, by=request.user, changes=changes)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        if changes is not None:
            return redirect(_edit_url(milestone))
    except ValidationError as exc:
        _form_errors(form, exc)
        return _edit_page(request, milestone, form=form)
    else:
        messages.success(
            request,
            _("Đã công bố mốc “%(title)s” trên trang tiến độ của mô hình.")
            % {"title": milestone.title},
        )
    return redirect(_list_url(milestone.initiative_id, f"milestone-{milestone.pk}"))


@workspace_required
def milestone_withdraw(request, pk):
    """Ask for the reason, then withdraw (a published one keeps a public line with it)."""
    if request.method == "POST":
        milestone = permissions.get_milestone_for_publication(request, pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                workflow.milestone_withdraw(
                    milestone=milestone, by=request.user, reason=form.cleaned_data["reason"]
                )
            except workflow.WorkflowError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã rút lại mốc tiến độ."))
            return redirect(_list_url(milestone.initiative_id, f"milestone-{milestone.pk}"))
    else:
        milestone = permissions.get_milestone_for_publication(request, pk)
        form = ReasonForm()
    initiative = milestone.initiative
    return render(
        request,
        "workspace/milestone_withdraw.html",
        {
            "initiative": initiative,
            "milestone": milestone,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "form": form,
        },
    )


@workspace_required
def milestone_supersede(request, pk):
    """A correction of a published milestone: a new draft, prefilled with the old text."""
    milestone = permissions.get_milestone_for_correction(request, pk)
    if request.method == "POST":
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                correction = workflow.milestone_supersede(
                    milestone=milestone, by=request.user, **form.cleaned_data
                )
            except workflow.WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect(_list_url(milestone.initiative_id, f"milestone-{milestone.pk}"))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã lập dự thảo đính chính; công bố nó để thay mốc cũ trên trang công khai."),
                )
                return redirect(_edit_url(correction))
    else:
        form = MilestoneForm(instance=milestone)
    initiative = milestone.initiative
    return render(
        request,
        "workspace/milestone_supersede.html",
        {
            "initiative": initiative,
            "milestone": milestone,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "form": form,
        },
    )
