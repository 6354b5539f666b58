"""Driving Django admin actions the way a browser does, for tests/*/test_admin_actions.py.

An action is run by POSTing the changelist's form (``action``, ``index`` and the selected
rows); every action answers that first POST with its confirmation page (and form, if it asks
for something), whose own POST adds ``apply`` and the form's fields.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_user


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def custom_actions(app_label: str) -> set[tuple[str, str]]:
    """(model name, action name) of every action the app's ModelAdmins register themselves.

    The site-wide actions (Django's ``delete_selected``) are left out; they are listed by
    ``site_wide_actions``.
    """
    site_wide = site_wide_actions()
    found = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != app_label:
            continue
        for _func, name, _description in model_admin._get_base_actions():
            if name not in site_wide:
                found.add((model._meta.model_name, name))
    return found


def site_wide_actions() -> set[str]:
    return {name for name, _func in admin.site.actions}


def offered_actions(client, model) -> set[str]:
    """The action names in the changelist's drop-down for the logged-in user."""
    response = client.get(changelist_url(model))
    assert response.status_code == 200
    action_form = response.context["action_form"]
    if action_form is None:  # no action at all for this user
        return set()
    return {value for value, _label in action_form.fields["action"].choices if value}


def start_action(client, model, action: str, obj):
    """The first POST, from the changelist's action bar."""
    data = {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [obj.pk]}
    return client.post(changelist_url(model), data, follow=True)


def apply_action(client, model, action: str, obj, form: dict):
    """The POST of the intermediate page (hidden ``apply``, the form's fields)."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], "apply": "1", **form}
    return client.post(changelist_url(model), data, follow=True)


def run_action(client, model, action: str, obj, form: dict | None):
    """Run an action to its end, through its confirmation page (``form``: its fields)."""
    return apply_action(client, model, action, obj, form or {})


def shown_messages(response) -> list[tuple[str, str]]:
    """(level tag, text) of the messages the final page shows; each is checked in the HTML."""
    if response.context is None or "messages" not in response.context:
        return []
    found = [(m.level_tag, str(m)) for m in response.context["messages"]]
    html = response.content.decode()
    for _level, text in found:
        assert escape(text) in html, f"message not rendered: {text}"
    return found


def staff_without(permission: str):
    """A staff user holding every permission there is except ``permission``."""
    app_label, codename = permission.split(".")
    user = make_user(is_staff=True)
    user.user_permissions.set(
        Permission.objects.exclude(content_type__app_label=app_label, codename=codename)
    )
    assert not user.has_perm(permission)
    return user


def snapshot(obj) -> dict:
    """Everything an action could change about ``obj``: its row, its history, its table."""
    model = type(obj)
    fresh = model._base_manager.get(pk=obj.pk)
    state = {f.attname: getattr(fresh, f.attname) for f in model._meta.concrete_fields}
    for related in ("transitions", "history"):
        if hasattr(fresh, related):
            state[f"{related} rows"] = getattr(fresh, related).count()
    state["rows in the table"] = model._base_manager.count()
    return state
