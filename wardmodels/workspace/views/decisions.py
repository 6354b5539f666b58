"""Staff pages of the campaigns app: certificate, dossier download, transition endpoints.

Every state change is a POST that calls ``campaigns.workflow``; a GET changes nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from campaigns import workflow
from campaigns.forms import COMMENDATION_FORMS, RECOGNITION_FORMS
from campaigns.models import Commendation, DossierDocument, Recognition
from campaigns.permissions import VIEW_COMMENDATION, require_permission
from campaigns.review_choices import CERTIFICATE_FORMS, CommendationStatus


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_GET
@login_required
def certificate(request, pk: int):
    """The printable A4 certificate (giấy khen) of a decided or issued commendation."""
    require_permission(request, VIEW_COMMENDATION)
    commendation = get_object_or_404(
        Commendation.objects.select_related("initiative", "review_round"),
        pk=pk,
        status__in=[CommendationStatus.DECIDED, CommendationStatus.ISSUED],
        form__in=CERTIFICATE_FORMS,
    )
    ward = settings.WARD_NAME
    place = ward.split(" ", 1)[1] if ward.lower().startswith(("phường ", "xã ")) else ward
    return render(
        request,
        "campaigns/certificate.html",
        {"commendation": commendation, "ward_name": ward, "place_name": place},
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


def _run_transition(request, *, obj, action, forms, actions, table, obj_kwarg, default_url):
    """Run ``actions[action]`` with the posted form; the workflow checks the permission, and
    its refusal is a 403 as for any page the user may not use."""
    if action not in actions:
        raise Http404
    form = forms[action](request.POST)
    try:
        if form.is_valid():
            actions[action](**{obj_kwarg: obj, "by": request.user}, **form.cleaned_data)
            messages.success(request, _done_message(obj))
        else:
            # Someone who may not act at all is refused before being told about the form.
            workflow.check_permission(request.user, table[action].permission)
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    except workflow.WorkflowError as exc:
        if exc.code == "permission":
            raise PermissionDenied from None
        messages.error(request, str(exc))
    return redirect(_next_url(request, default_url))


def _done_message(obj) -> str:
    from django.utils.translation import gettext

    return gettext("Đã cập nhật: %(what)s — %(status)s.") % {
        "what": obj,
        "status": obj.get_status_display(),
    }


@require_POST
@login_required
def recognition_transition(request, pk: int, action: str):
    recognition = get_object_or_404(Recognition, pk=pk)
    return _run_transition(
        request,
        obj=recognition,
        action=action,
        forms=RECOGNITION_FORMS,
        actions=workflow.RECOGNITION_ACTIONS,
        table=workflow.RECOGNITION_TRANSITIONS,
        obj_kwarg="recognition",
        default_url=reverse("admin:campaigns_recognition_change", args=[pk]),
    )


@require_POST
@login_required
def commendation_transition(request, pk: int, action: str):
    commendation = get_object_or_404(Commendation, pk=pk)
    return _run_transition(
        request,
        obj=commendation,
        action=action,
        forms=COMMENDATION_FORMS,
        actions=workflow.COMMENDATION_ACTIONS,
        table=workflow.COMMENDATION_TRANSITIONS,
        obj_kwarg="commendation",
        default_url=reverse("admin:campaigns_commendation_change", args=[pk]),
    )
