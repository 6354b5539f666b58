"""Who may do what with residents' feedback (permissions, never group names)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

VIEW_FEEDBACK = "participation.view_feedback"
VIEW_CONTACT = "participation.view_feedback_contact"
ANSWER_FEEDBACK = "participation.answer_feedback"
PUBLISH_FEEDBACK = "participation.publish_feedback"


def check_can_view_feedback(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_FEEDBACK):
        raise PermissionDenied


def may_see_contact(user: AbstractBaseUser) -> bool:
    """Name (when not shown publicly), phone and client hash: only with this permission."""
    return user.has_perm(VIEW_CONTACT)
