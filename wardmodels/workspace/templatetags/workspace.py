"""Template helpers for the workspace; the checks themselves live in registry/permissions.py."""

from django import template

from registry import permissions

register = template.Library()


@register.filter
def has_workspace_access(user) -> bool:
    """``{% if user|has_workspace_access %}``: show the "Quản lý" link."""
    return permissions.has_workspace_access(user)
