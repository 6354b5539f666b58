"""Who may do what with the ledger, reviews and commendations in the workspace (/quan-ly/).

Same shape as registry/permissions.py: ``get_<object>_for_<use>`` fetch one object *and*
authorise the request for it (``PermissionDenied`` → 403, or 404); views call them first and
never check on their own. The workflow functions check the same permissions again.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from registry.models import Initiative
from registry.permissions import require_permission

from . import workflow
from .models import Commendation, Donation, DossierDocument, Expense, Pledge, ReviewRound

VIEW_LEDGER = "campaigns.view_donation"
VIEW_CONTRIBUTOR = "campaigns.view_contributor"
# Phones and addresses: the officials who record the ledger, not everyone who reads it.
VIEW_CONTRIBUTOR_CONTACT = "campaigns.view_contributor_contact"
ADD_CONTRIBUTOR = workflow.CONTRIBUTOR_PERMISSION
VIEW_REVIEWS = "campaigns.view_reviewround"
VIEW_RECOGNITION = "campaigns.view_recognition"
VIEW_COMMENDATION = "campaigns.view_commendation"
DECIDE_RECOGNITION = workflow.RECOGNITION_TRANSITIONS["approve"].permission
PUBLISH_RECOGNITION = workflow.RECOGNITION_TRANSITIONS["publish"].permission
DECIDE_COMMENDATION = workflow.COMMENDATION_TRANSITIONS["decide"].permission
PROPOSE_RECOGNITION = workflow.RECOGNITION_TRANSITIONS["propose"].permission
PROPOSE_COMMENDATION = workflow.DOSSIER_PERMISSION
LEDGER = workflow.LEDGER_PERMISSIONS


def get_initiative_for_ledger(request: HttpRequest, pk: int) -> Initiative:
    require_permission(request, VIEW_LEDGER)
    return get_object_or_404(Initiative, pk=pk)


def get_initiative_for_ledger_action(request: HttpRequest, pk: int, action: str) -> Initiative:
    """The initiative a new ledger entry goes to; ``action`` names a LEDGER_PERMISSIONS key."""
    require_permission(request, LEDGER[action])
    return get_object_or_404(Initiative, pk=pk)


def check_can_add_contributor(request: HttpRequest) -> None:
    require_permission(request, ADD_CONTRIBUTOR)


def get_pledge_for_cancel(request: HttpRequest, pk: int) -> Pledge:
    require_permission(request, LEDGER["pledge_cancel"])
    return get_object_or_404(Pledge.objects.select_related("initiative", "contributor"), pk=pk)


def get_donation_for_reverse(request: HttpRequest, pk: int) -> Donation:
    require_permission(request, LEDGER["donation_reverse"])
    return get_object_or_404(Donation.objects.select_related("initiative"), pk=pk)


def get_expense_for_reverse(request: HttpRequest, pk: int) -> Expense:
    require_permission(request, LEDGER["expense_reverse"])
    return get_object_or_404(Expense.objects.select_related("initiative"), pk=pk)


def get_entry_for_correct(request: HttpRequest, kind: str, pk: int):
    """A pledge, donation or expense to correct: cancelling or reversing it, and recording
    the entry that replaces it, are both needed."""
    getter = {
        "pledge": get_pledge_for_cancel,
        "donation": get_donation_for_reverse,
        "expense": get_expense_for_reverse,
    }[kind]
    entry = getter(request, pk)
    require_permission(request, LEDGER[f"{kind}_record"])
    return entry


def check_can_view_reviews(request: HttpRequest) -> None:
    require_permission(request, VIEW_REVIEWS)


def get_round_for_view(request: HttpRequest, pk: int) -> ReviewRound:
    require_permission(request, VIEW_REVIEWS)
    return get_object_or_404(ReviewRound.objects.select_related("campaign"), pk=pk)


def get_round_and_initiative_for_scoring(
    request: HttpRequest, round_pk: int, initiative_pk: int
) -> tuple[ReviewRound, Initiative]:
    require_permission(request, workflow.SCORE_PERMISSION)
    review_round = get_object_or_404(ReviewRound.objects.select_related("campaign"), pk=round_pk)
    return review_round, get_object_or_404(Initiative, pk=initiative_pk)


def get_round_and_initiative_for_proposal(
    request: HttpRequest, round_pk: int, initiative_pk: int
) -> tuple[ReviewRound, Initiative]:
    require_permission(request, PROPOSE_RECOGNITION)
    review_round = get_object_or_404(ReviewRound.objects.select_related("campaign"), pk=round_pk)
    return review_round, get_object_or_404(Initiative, pk=initiative_pk)


def get_initiative_for_reviews(request: HttpRequest, pk: int) -> Initiative:
    require_permission(request, VIEW_REVIEWS)
    return get_object_or_404(Initiative, pk=pk)


def check_can_view_commendations(request: HttpRequest) -> None:
    require_permission(request, VIEW_COMMENDATION)


def check_can_propose_commendation(request: HttpRequest) -> None:
    require_permission(request, PROPOSE_COMMENDATION)


def get_commendation_for_view(request: HttpRequest, pk: int) -> Commendation:
    require_permission(request, VIEW_COMMENDATION)
    return get_object_or_404(
        Commendation.objects.select_related("initiative", "review_round", "contributor"), pk=pk
    )


def get_commendation_for_dossier(request: HttpRequest, pk: int) -> Commendation:
    """A commendation whose dossier the user assembles or submits."""
    require_permission(request, PROPOSE_COMMENDATION)
    return get_object_or_404(
        Commendation.objects.select_related("initiative", "review_round", "contributor"), pk=pk
    )


def get_document_for_remove(request: HttpRequest, pk: int) -> DossierDocument:
    require_permission(request, PROPOSE_COMMENDATION)
    return get_object_or_404(DossierDocument.objects.select_related("commendation"), pk=pk)


def may_see_contributor_contact(user: AbstractBaseUser) -> bool:
    return user.has_perm(VIEW_CONTRIBUTOR_CONTACT)


@dataclass(frozen=True)
class LedgerCapabilities:
    """Which ledger forms and buttons ``user`` sees (the workflow checks again on POST)."""

    add_contributor: bool
    see_contact: bool
    # Named like workflow.LEDGER_PERMISSIONS.
    pledge_record: bool
    pledge_update: bool
    pledge_cancel: bool
    donation_record: bool
    donation_reverse: bool
    expense_record: bool
    expense_reverse: bool

    @classmethod
    def of(cls, user: AbstractBaseUser) -> "LedgerCapabilities":
        return cls(
            add_contributor=user.has_perm(ADD_CONTRIBUTOR),
            see_contact=may_see_contributor_contact(user),
            **{action: user.has_perm(perm) for action, perm in LEDGER.items()},
        )

    @property
    def records_for_contributor(self) -> bool:
        return self.pledge_record or self.donation_record

    # "Sửa khoản này": cancel or reverse, and record the replacement.
    @property
    def pledge_correct(self) -> bool:
        return self.pledge_cancel and self.pledge_record

    @property
    def donation_correct(self) -> bool:
        return self.donation_reverse and self.donation_record

    @property
    def expense_correct(self) -> bool:
        return self.expense_reverse and self.expense_record


@dataclass(frozen=True)
class ReviewCapabilities:
    score: bool
    propose_recognition: bool
    decide_recognition: bool
    propose_commendation: bool
    decide_commendation: bool

    @classmethod
    def of(cls, user: AbstractBaseUser) -> "ReviewCapabilities":
        return cls(
            score=user.has_perm(workflow.SCORE_PERMISSION),
            propose_recognition=user.has_perm(PROPOSE_RECOGNITION),
            # Decisions stay in the admin: these only show a link there.
            decide_recognition=user.is_staff
            and (user.has_perm(DECIDE_RECOGNITION) or user.has_perm(PUBLISH_RECOGNITION)),
            propose_commendation=user.has_perm(PROPOSE_COMMENDATION),
            decide_commendation=user.is_staff and user.has_perm(DECIDE_COMMENDATION),
        )
