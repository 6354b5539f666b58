"""What the workspace's campaign pages share: paging, errors on fields, transition posts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from registry.workflow import WorkflowError, check_permission

LIST_PAGE_SIZE = 25


def page(request, queryset):
    try:
        return Paginator(queryset, LIST_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from None


def apply_workflow_error(form, exc: WorkflowError) -> None:
    """Put a workflow error on the form field it names (``LedgerEntryError.field``)."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc.message))


def next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def run_transition(request, *, obj, action, forms, actions, table, obj_kwarg, default_url):
    """Run ``actions[action]`` with the posted form; the workflow checks the permission, and
    its refusal is a 403 as for any page the user may not use."""
    if action not in actions:
        raise Http404
    form = forms[action](request.POST)
    try:
        if form.is_valid():
            actions[action](**{obj_kwarg: obj, "by": request.user}, **form.cleaned_data)
            messages.success(request, done_message(obj))
        else:
            # Someone who may not act at all is refused before being told about the form.
            check_permission(request.user, table[action].permission)
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    except WorkflowError as exc:
        if exc.code == "permission":
            raise PermissionDenied from None
        messages.error(request, str(exc))
    return redirect(next_url(request, default_url))


def done_message(obj) -> str:
    return gettext("Đã cập nhật: %(what)s — %(status)s.") % {
        "what": obj,
        "status": obj.get_status_display(),
    }
