"""The one way admin actions are built: every state change offered in the admin's action bar.

``workflow_action`` makes an action that, for each selected row, calls a workflow function
and reports its ``WorkflowError`` next to the row's name. An action whose form has fields
(a reason, a decision number and date) first answers with the intermediate page
``admin/transition_form.html``; that page's POST (``apply``) runs it. The permission is the
admin's ``has_<permission>_permission``; ``TransitionPermissions`` derives those from a
workflow's table of steps.

It lives in ``registry``, the lowest app, so that every admin above it may use it.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .transitions import Step, WorkflowError

TEMPLATE = "admin/transition_form.html"


def _intermediate_page(modeladmin, request: HttpRequest, queryset, form, title):
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "queryset": queryset,
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
    - ``form_class``: asked for on the intermediate page first, unless it has no fields;
    - ``title``: the intermediate page's title (the action's ``description`` by default);
    - ``done_message(count)``: the success message when at least one row was changed;
    - ``unchanged(obj)``: a warning for a row that is already as asked (left alone), or
      ``None`` to go on.
    """
    asks = form_class is not None and bool(form_class.base_fields)

    def action(modeladmin, request: HttpRequest, queryset):
        data = {}
        if asks:
            form = form_class(request.POST if "apply" in request.POST else None)
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
