"""Commendations in the workspace: proposals, dossiers, the certificate, transitions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns import permissions, queries, workflow
from campaigns.certificates import certificate_wording
from campaigns.forms import (
    COMMENDATION_FORMS,
    CommendationProposalForm,
    DossierDocumentForm,
)
from campaigns.models import (
    Commendation,
    CommendationTransition,
    DossierDocument,
)
from campaigns.permissions import (
    VIEW_COMMENDATION,
    ReviewCapabilities,
    require_permission,
)
from campaigns.review_choices import (
    CERTIFICATE_FORMS,
    REQUIRED_DOSSIER_KINDS,
    CommendationStatus,
    DossierKind,
)
from registry.permissions import workspace_required
from registry.workflow import WorkflowError

from .common import page, run_transition


@workspace_required
def commendation_list(request):
    permissions.check_can_view_commendations(request)
    commendations = queries.workspace_commendations().order_by("-created_at", "-pk")
    status = request.GET.get("status") or ""
    if status in CommendationStatus.values:
        commendations = commendations.filter(status=status)
    page_obj = page(request, commendations)
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


@require_GET
@login_required
def certificate(request, pk: int):
    """The printable A4 certificate (giấy khen) of a decided or issued commendation."""
    require_permission(request, VIEW_COMMENDATION)
    commendation = get_object_or_404(
        Commendation.objects.select_related("initiative", "review_round__campaign"),
        pk=pk,
        status__in=[CommendationStatus.DECIDED, CommendationStatus.ISSUED],
        form__in=CERTIFICATE_FORMS,
    )
    ward = settings.WARD_NAME
    place = ward.split(" ", 1)[1] if ward.lower().startswith(("phường ", "xã ")) else ward
    return render(
        request,
        "campaigns/certificate.html",
        {
            "commendation": commendation,
            "wording": certificate_wording(commendation),
            "ward_name": ward,
            "place_name": place,
        },
    )


@require_GET
@login_required
def dossier_download(request, pk: int):
    """A dossier file, only to staff allowed to see dossiers, always as an attachment."""
    require_permission(request, "campaigns.view_dossierdocument")
    document = get_object_or_404(DossierDocument, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )


@require_POST
@login_required
def commendation_transition(request, pk: int, action: str):
    commendation = get_object_or_404(Commendation, pk=pk)
    return run_transition(
        request,
        obj=commendation,
        action=action,
        forms=COMMENDATION_FORMS,
        actions=workflow.COMMENDATION_ACTIONS,
        table=workflow.COMMENDATION_TRANSITIONS,
        obj_kwarg="commendation",
        default_url=reverse("admin:campaigns_commendation_change", args=[pk]),
    )
