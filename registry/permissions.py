"""Who may do what in the workspace (/quan-ly/): every check lives here, none in view bodies.

- ``workspace_required`` guards every workspace view: anonymous users are sent to the login
  page, a logged-in user without the workspace permission gets the site's 403 page.
- ``get_<object>_for_<use>`` fetch one object *and* authorise the request for it, raising
  ``PermissionDenied`` (403) or ``Http404``; views call them first and never check on their own.
- ``InitiativeCapabilities`` tells templates which buttons and links to show; the workflow
  functions check the same permissions again when a button is pressed.

Code checks permissions, never group names: the groups are bundles a deployment may change
(``wardmodels/groups.py``).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from . import workflow
from .models import Initiative, Milestone, OversightActivity, ResidentialArea

# Seeing the workspace at all: officials and the party committee both have it.
WORKSPACE_PERMISSION = "registry.view_initiative"
ADD_INITIATIVE = workflow.ADD_INITIATIVE_PERMISSION
CHANGE_INITIATIVE = workflow.CHANGE_INITIATIVE_PERMISSION
ADD_OVERSIGHT = workflow.RECORD_OVERSIGHT_PERMISSION
CHANGE_OVERSIGHT = workflow.RESOLVE_OVERSIGHT_PERMISSION
# Decisions on registrations stay in the admin: the workspace only links there.
DECIDE_IN_ADMIN = "registry.approve_initiative"
# Transitions the workspace offers as buttons; the others are decisions made in the admin.
WORKSPACE_ACTIONS = ("submit", "complete")


def has_workspace_access(user: AbstractBaseUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(
        WORKSPACE_PERMISSION
    )


def workspace_required(view):
    """login_required, then the workspace permission: 403 (templates/403.html) without it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not has_workspace_access(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def require_permission(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def get_initiative_for_view(
    request: HttpRequest, pk: int, queryset: QuerySet | None = None
) -> Initiative:
    """Any initiative, whatever its status: the workspace sees drafts too."""
    require_permission(request, WORKSPACE_PERMISSION)
    return get_object_or_404(queryset if queryset is not None else Initiative.objects, pk=pk)


def get_initiative_for_edit(request: HttpRequest, pk: int, *, lock: bool = False) -> Initiative:
    """An initiative the user may edit; ``lock`` holds its row until the transaction ends."""
    require_permission(request, CHANGE_INITIATIVE)
    queryset = Initiative.objects.select_for_update() if lock else Initiative.objects
    return get_object_or_404(queryset, pk=pk)


def check_can_add_initiative(request: HttpRequest) -> None:
    require_permission(request, ADD_INITIATIVE)


def get_initiative_for_transition(request: HttpRequest, pk: int, action: str) -> Initiative:
    """The initiative a workspace button moves by ``workflow.TRANSITIONS[action]``."""
    require_permission(request, workflow.TRANSITIONS[action].permission)
    return get_object_or_404(Initiative, pk=pk)


def get_initiative_for_publication(request: HttpRequest, pk: int) -> Initiative:
    """The initiative a workspace button shows on or hides from the public pages."""
    require_permission(request, workflow.PUBLISH_PERMISSION)
    return get_object_or_404(Initiative, pk=pk)


def get_initiative_for_oversight(request: HttpRequest, pk: int) -> Initiative:
    """The initiative whose oversight log the user adds to."""
    require_permission(request, ADD_OVERSIGHT)
    return get_object_or_404(Initiative, pk=pk)


def get_oversight_for_change(request: HttpRequest, pk: int) -> OversightActivity:
    require_permission(request, CHANGE_OVERSIGHT)
    return get_object_or_404(OversightActivity.objects.select_related("initiative"), pk=pk)


VIEW_AREA = "registry.view_residentialarea"
ADD_AREA = workflow.ADD_AREA_PERMISSION
CHANGE_AREA = workflow.CHANGE_AREA_PERMISSION


def check_can_view_areas(request: HttpRequest) -> None:
    require_permission(request, VIEW_AREA)


def check_can_add_area(request: HttpRequest) -> None:
    require_permission(request, ADD_AREA)


def get_area_for_edit(request: HttpRequest, pk: int) -> ResidentialArea:
    require_permission(request, CHANGE_AREA)
    return get_object_or_404(ResidentialArea, pk=pk)


DRAFT_MILESTONE = workflow.DRAFT_MILESTONE_PERMISSION
EDIT_MILESTONE = workflow.EDIT_MILESTONE_PERMISSION
PUBLISH_MILESTONE = workflow.PUBLISH_MILESTONE_PERMISSION
ADD_MILESTONE_PHOTO = workflow.ADD_MILESTONE_PHOTO_PERMISSION


def get_initiative_for_milestone_draft(request: HttpRequest, pk: int) -> Initiative:
    """The initiative whose timeline the user adds a draft milestone to."""
    require_permission(request, DRAFT_MILESTONE)
    return get_object_or_404(Initiative, pk=pk)


def _milestone(pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk)


def get_milestone_for_view(request: HttpRequest, pk: int) -> Milestone:
    require_permission(request, WORKSPACE_PERMISSION)
    require_permission(request, "registry.view_milestone")
    return _milestone(pk)


def get_milestone_for_edit(request: HttpRequest, pk: int) -> Milestone:
    require_permission(request, EDIT_MILESTONE)
    return _milestone(pk)


def get_milestone_for_photo(request: HttpRequest, pk: int) -> Milestone:
    require_permission(request, ADD_MILESTONE_PHOTO)
    return _milestone(pk)


def get_milestone_for_publication(request: HttpRequest, pk: int) -> Milestone:
    """A milestone the user publishes or withdraws."""
    require_permission(request, PUBLISH_MILESTONE)
    return _milestone(pk)


def get_milestone_for_correction(request: HttpRequest, pk: int) -> Milestone:
    require_permission(request, DRAFT_MILESTONE)
    return _milestone(pk)


@dataclass(frozen=True)
class MilestoneCapabilities:
    """What ``user`` may do on a model's timeline in the workspace (buttons and forms)."""

    can_draft: bool
    can_edit: bool
    can_publish: bool
    can_add_photo: bool

    @classmethod
    def of(cls, user: AbstractBaseUser) -> "MilestoneCapabilities":
        return cls(
            can_draft=user.has_perm(DRAFT_MILESTONE),
            can_edit=user.has_perm(EDIT_MILESTONE),
            can_publish=user.has_perm(PUBLISH_MILESTONE),
            can_add_photo=user.has_perm(ADD_MILESTONE_PHOTO),
        )


@dataclass(frozen=True)
class InitiativeCapabilities:
    """What ``user`` may do with one initiative in the workspace (for buttons and links)."""

    can_edit: bool
    actions: tuple[str, ...]
    can_publish: bool
    can_unpublish: bool
    can_add_oversight: bool
    can_resolve_oversight: bool
    decides_in_admin: bool

    @classmethod
    def of(cls, user: AbstractBaseUser, initiative: Initiative) -> "InitiativeCapabilities":
        may_publish = user.has_perm(workflow.PUBLISH_PERMISSION)
        return cls(
            can_edit=user.has_perm(CHANGE_INITIATIVE),
            actions=tuple(
                a
                for a in workflow.allowed_actions(workflow.TRANSITIONS, initiative, user)
                if a in WORKSPACE_ACTIONS
            ),
            can_publish=may_publish and not initiative.published,
            can_unpublish=may_publish and initiative.published,
            can_add_oversight=user.has_perm(ADD_OVERSIGHT),
            can_resolve_oversight=user.has_perm(CHANGE_OVERSIGHT),
            decides_in_admin=user.is_staff and user.has_perm(DECIDE_IN_ADMIN),
        )
