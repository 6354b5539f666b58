"""The one way admin actions are built: every state change offered in the admin's action bar
and, as decision buttons, on each object's change page.

``workflow_action`` makes an action that, for each selected row, calls a workflow function
and reports its ``WorkflowError`` next to the row's name. Every action first answers with the
confirmation page ``admin/transition_form.html`` (the rows, what each proposes, and the
action's form: a reason, a decision number and date); that page's POST (``apply``) runs it.
The permission is the admin's ``has_<permission>_permission``; ``TransitionPermissions``
derives those from a workflow's table of steps.

``Decision`` describes one step once; ``DecisionAdmin`` turns a list of them into both the
action-bar actions and the change page's buttons. A button leads to a confirmation page
(``admin/decision_confirm.html``: the proposal's text and its dossier, then the form) whose
POST calls the same workflow function. For someone who may edit the object the button
submits the change form: its edits are saved first, then the confirmation page opens.

It lives in ``registry``, the lowest app, so that every admin above it may use it.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .transitions import Step, WorkflowError

TEMPLATE = "admin/transition_form.html"
DECISION_TEMPLATE = "admin/decision_confirm.html"
# Past this many rows the confirmation page lists names only (each summary costs queries).
SUMMARIES_UP_TO = 10


def _intermediate_page(modeladmin, request: HttpRequest, queryset, form, title):
    rows = list(queryset[: SUMMARIES_UP_TO + 1])
    summarise = getattr(modeladmin, "decision_summary", None)
    with_summaries = summarise is not None and len(rows) <= SUMMARIES_UP_TO
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "queryset": queryset,
            "items": [(obj, summarise(obj) if with_summaries else []) for obj in queryset],
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


def workflow_action(
    *,
    name: str,
    description,
    permission: str,
    run: Callable[[Any, AbstractBaseUser, dict], object],
    done_message: Callable[[int], str],
    form_class: type[forms.Form] | None = None,
    title=None,
    unchanged: Callable[[Any], str | None] | None = None,
):
    """An admin action named ``name`` that calls ``run(obj, user, form data)`` on each row.

    - ``permission``: the admin permission name (``has_<permission>_permission``);
    - ``form_class``: its fields are asked for on the confirmation page;
    - ``title``: the intermediate page's title (the action's ``description`` by default);
    - ``done_message(count)``: the success message when at least one row was changed;
    - ``unchanged(obj)``: a warning for a row that is already as asked (left alone), or
      ``None`` to go on.
    """

    def action(modeladmin, request: HttpRequest, queryset):
        # Always a confirmation first, with or without fields: a decision is never one
        # misplaced click in a drop-down.
        form = (form_class or forms.Form)(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _intermediate_page(modeladmin, request, queryset, form, title or description)
        data = form.cleaned_data
        done = 0
        for obj in queryset:
            note = unchanged(obj) if unchanged else None
            if note:
                modeladmin.message_user(request, f"{obj}: {note}", messages.WARNING)
                continue
            try:
                run(obj, request.user, data)
                done += 1
            except WorkflowError as exc:
                modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
        if done:
            modeladmin.message_user(request, done_message(done), messages.SUCCESS)
        return None

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


def transition_action(
    action: str,
    description,
    *,
    func: Callable,
    obj_kwarg: str,
    done_message: Callable[[int], str],
    form_class: type[forms.Form] | None = None,
):
    """``workflow_action`` for step ``action`` of a table: ``func(<obj_kwarg>=obj, by=user,
    **form data)``, named ``action_<action>``, allowed by ``has_<action>_permission``."""
    return workflow_action(
        name=f"action_{action}",
        description=description,
        permission=action,
        run=lambda obj, by, data: func(**{obj_kwarg: obj, "by": by}, **data),
        done_message=done_message,
        form_class=form_class,
    )


class TransitionPermissions:
    """``has_<action>_permission`` for each step of ``transition_table``: its permission."""

    transition_table: Mapping[str, Step] = {}

    def __getattr__(self, name):
        if name.startswith("has_") and name.endswith("_permission"):
            action = name[4 : -len("_permission")]
            if action in self.transition_table:
                step = self.transition_table[action]
                return lambda request: request.user.has_perm(step.permission)
        raise AttributeError(name)


@dataclass(frozen=True)
class Decision:
    """One step of a workflow table, offered in the action bar and as a change-page button.

    ``func(<obj_kwarg>=obj, by=user, **form data)`` is the workflow function; ``form_class``
    asks for what the step needs (a reason, a decision number and date).
    """

    action: str
    description: Any
    func: Callable
    obj_kwarg: str
    done_message: Callable[[int], str]
    form_class: type[forms.Form] | None = None

    def admin_action(self):
        return transition_action(
            self.action,
            self.description,
            func=self.func,
            obj_kwarg=self.obj_kwarg,
            done_message=self.done_message,
            form_class=self.form_class,
        )


class DecisionAdmin(TransitionPermissions):
    """A ModelAdmin mixin: ``decisions`` become change-page buttons with a confirmation page.

    ``decision_summary(obj)``: (label, value) pairs shown on the confirmation pages (the
    proposal's text); ``decision_documents(obj)``: (name, url) of its dossier.
    """

    decisions: Sequence[Decision] = ()
    change_form_template = "admin/decision_change_form.html"

    def decision_summary(self, obj) -> list[tuple[Any, Any]]:
        return []

    def decision_documents(self, obj) -> list[tuple[str, str]]:
        return []

    def _decision(self, action: str) -> Decision | None:
        return next((d for d in self.decisions if d.action == action), None)

    def decision_url(self, obj, action: str) -> str:
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_decide",
            args=[obj.pk, action],
        )

    def decisions_for(self, request, obj) -> list[Decision]:
        """The decisions the state of ``obj`` and the user's permissions allow now."""
        return [
            d
            for d in self.decisions
            if obj.status in self.transition_table[d.action].sources
            and request.user.has_perm(self.transition_table[d.action].permission)
        ]

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/quyet-dinh/<str:action>/",
                self.admin_site.admin_view(self.decision_view),
                name=f"{opts.app_label}_{opts.model_name}_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        buttons = []
        if obj is not None:
            buttons = [
                (d, self.decision_url(obj, d.action)) for d in self.decisions_for(request, obj)
            ]
        extra_context = {**(extra_context or {}), "decision_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        # A decision button of the change form: the edits were just saved; now confirm.
        decision = self._decision(request.POST.get("_decide", ""))
        if decision is not None:
            return HttpResponseRedirect(self.decision_url(obj, decision.action))
        return super().response_change(request, obj)

    def decision_view(self, request, object_id, action):
        """GET: the confirmation page; POST: the workflow function, then the change page."""
        decision = self._decision(action)
        obj = self.get_object(request, unquote(object_id))
        if decision is None or obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj) or not request.user.has_perm(
            self.transition_table[action].permission
        ):
            raise PermissionDenied
        opts = self.opts
        change_url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
        )
        form = (decision.form_class or forms.Form)(
            request.POST if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                decision.func(**{decision.obj_kwarg: obj, "by": request.user}, **form.cleaned_data)
            except WorkflowError as exc:
                self.message_user(request, f"{obj}: {exc}", messages.ERROR)
            else:
                self.message_user(request, decision.done_message(1), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            DECISION_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "title": decision.description,
                "opts": opts,
                "object": obj,
                "original": obj,
                "change_url": change_url,
                "summary": self.decision_summary(obj),
                "documents": self.decision_documents(obj),
                "form": form,
                "allowed": obj.status in self.transition_table[action].sources,
            },
        )
