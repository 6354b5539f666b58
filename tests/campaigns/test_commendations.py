from datetime import date

import pytest
from django.urls import reverse

from campaigns import workflow
from campaigns.models import Commendation, CommendationTransition
from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import DossierKind
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "215/QĐ-UBND", "decided_on": date(2023, 12, 20)}


def _history(commendation):
    return list(
        CommendationTransition.objects.filter(commendation=commendation)
        .order_by("id")
        .values_list("from_status", "to_status", "by__username", "reason")
    )


def _status(commendation):
    return Commendation.objects.get(pk=commendation.pk).status


# submit


def test_a_complete_dossier_is_submitted_with_history(official):
    commendation = f.make_commendation()
    f.attach_full_dossier(commendation, by=official)
    workflow.commendation_submit(commendation=commendation, by=official)
    assert _status(commendation) == C.SUBMITTED
    assert _history(commendation) == [("draft", "submitted", official.username, "")]


@pytest.mark.parametrize("missing", list(f.REQUIRED_DOSSIER_KINDS))
def test_submission_is_refused_until_the_three_documents_are_attached(official, missing):
    commendation = f.make_commendation()
    for kind in f.REQUIRED_DOSSIER_KINDS:
        if kind != missing:
            workflow.dossier_attach(
                commendation=commendation, kind=kind, file=f.uploaded_pdf(), by=official
            )
    workflow.dossier_attach(
        commendation=commendation, kind=DossierKind.OTHER, file=f.uploaded_pdf(), by=official
    )
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_submit(commendation=commendation, by=official)
    assert exc.value.code == "dossier_incomplete"
    assert str(DossierKind(missing).label) in str(exc.value)
    assert _status(commendation) == C.DRAFT
    assert _history(commendation) == []


def test_submitting_twice_is_a_clear_error(official):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_submit(commendation=commendation, by=official)
    assert exc.value.code == "wrong_state"


def test_submitting_needs_the_propose_permission(committee_member):
    commendation = f.make_commendation()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_submit(commendation=commendation, by=committee_member)
    assert exc.value.code == "permission"


# decide


def test_the_committee_decides_with_number_and_date(committee_member):
    commendation = f.make_commendation(status=C.SUBMITTED)
    workflow.commendation_decide(commendation=commendation, by=committee_member, **DECISION)
    commendation.refresh_from_db()
    assert commendation.status == C.DECIDED
    assert (commendation.decision_number, commendation.decided_on) == (
        "215/QĐ-UBND",
        date(2023, 12, 20),
    )
    assert commendation.decided_by == committee_member
    assert _history(commendation) == [("submitted", "decided", committee_member.username, "")]


@pytest.mark.parametrize(
    "decision",
    [
        {"decision_number": "", "decided_on": date(2023, 12, 1)},
        {"decision_number": "1/QĐ", "decided_on": None},
    ],
)
def test_deciding_needs_number_and_date(committee_member, decision):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_decide(commendation=commendation, by=committee_member, **decision)
    assert exc.value.code == "decision_required"
    assert _status(commendation) == C.SUBMITTED


def test_a_draft_cannot_be_decided(committee_member):
    commendation = f.make_commendation()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_decide(commendation=commendation, by=committee_member, **DECISION)
    assert exc.value.code == "wrong_state"


def test_an_official_cannot_decide(official):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_decide(commendation=commendation, by=official, **DECISION)
    assert exc.value.code == "permission"
    assert _status(commendation) == C.SUBMITTED


def test_deciding_twice_is_a_clear_error(committee_member):
    commendation = f.make_commendation(status=C.SUBMITTED)
    workflow.commendation_decide(commendation=commendation, by=committee_member, **DECISION)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_decide(commendation=commendation, by=committee_member, **DECISION)
    assert exc.value.code == "wrong_state"
    assert len(_history(commendation)) == 1


# reject


def test_rejecting_needs_a_reason_and_records_it(committee_member):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_reject(commendation=commendation, by=committee_member, reason="")
    assert exc.value.code == "reason_required"
    assert _status(commendation) == C.SUBMITTED
    workflow.commendation_reject(
        commendation=commendation, by=committee_member, reason="Thành tích chưa tiêu biểu"
    )
    assert _status(commendation) == C.REJECTED
    assert _history(commendation) == [
        ("submitted", "rejected", committee_member.username, "Thành tích chưa tiêu biểu")
    ]


def test_an_official_cannot_reject(official):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_reject(commendation=commendation, by=official, reason="x")
    assert exc.value.code == "permission"


# issue


def test_issuing_a_decided_commendation_records_the_day(official):
    commendation = f.make_commendation(status=C.DECIDED)
    workflow.commendation_issue(commendation=commendation, by=official, issued_on=date(2024, 1, 5))
    commendation.refresh_from_db()
    assert commendation.status == C.ISSUED
    assert commendation.issued_on == date(2024, 1, 5)
    assert _history(commendation) == [("decided", "issued", official.username, "")]


@pytest.mark.parametrize("status", [C.DRAFT, C.SUBMITTED, C.REJECTED, C.ISSUED, C.REVOKED])
def test_only_a_decided_commendation_is_issued(official, status):
    commendation = f.make_commendation(status=status)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_issue(commendation=commendation, by=official)
    assert exc.value.code == "wrong_state"


def test_issuing_needs_the_issue_permission():
    from tests import factories

    nobody = factories.make_user(is_staff=True)
    commendation = f.make_commendation(status=C.DECIDED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_issue(commendation=commendation, by=nobody)
    assert exc.value.code == "permission"


# revoke


@pytest.mark.parametrize("status", [C.DECIDED, C.ISSUED])
def test_a_decided_or_issued_commendation_is_revoked_with_a_reason(committee_member, status):
    commendation = f.make_commendation(status=status)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_revoke(commendation=commendation, by=committee_member, reason="")
    assert exc.value.code == "reason_required"
    workflow.commendation_revoke(
        commendation=commendation, by=committee_member, reason="Kê khai thành tích không đúng"
    )
    assert _status(commendation) == C.REVOKED
    assert _history(commendation) == [
        (status, "revoked", committee_member.username, "Kê khai thành tích không đúng")
    ]


@pytest.mark.parametrize("status", [C.DRAFT, C.SUBMITTED, C.REJECTED, C.REVOKED])
def test_revoking_from_another_state_is_refused(committee_member, status):
    commendation = f.make_commendation(status=status)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_revoke(commendation=commendation, by=committee_member, reason="x")
    assert exc.value.code == "wrong_state"


def test_an_official_cannot_revoke(official):
    commendation = f.make_commendation(status=C.ISSUED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_revoke(commendation=commendation, by=official, reason="x")
    assert exc.value.code == "permission"


# the staff endpoints


def _url(commendation, action):
    return reverse("workspace:commendation-transition", args=[commendation.pk, action])


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("submit", C.DRAFT),
        ("decide", C.SUBMITTED),
        ("reject", C.SUBMITTED),
        ("issue", C.DECIDED),
        ("revoke", C.ISSUED),
    ],
)
def test_a_get_changes_nothing(admin_client, action, status):
    commendation = f.make_commendation(status=status)
    response = admin_client.get(_url(commendation, action), {**DECISION, "reason": "x"})
    assert response.status_code == 405
    assert _status(commendation) == status
    assert _history(commendation) == []


def test_the_whole_path_by_post(official_client, official, committee_member, client):
    commendation = f.make_commendation()
    f.attach_full_dossier(commendation, by=official)
    official_client.post(_url(commendation, "submit"))
    assert _status(commendation) == C.SUBMITTED
    client.force_login(committee_member)
    client.post(
        _url(commendation, "decide"), {"decision_number": "7/QĐ-UBND", "decided_on": "20/12/2023"}
    )
    assert _status(commendation) == C.DECIDED
    client.force_login(official)
    client.post(_url(commendation, "issue"), {"issued_on": ""})
    assert _status(commendation) == C.ISSUED
    assert [row[1] for row in _history(commendation)] == ["submitted", "decided", "issued"]


def test_an_official_posting_a_decision_gets_403(official_client):
    commendation = f.make_commendation(status=C.SUBMITTED)
    response = official_client.post(
        _url(commendation, "decide"), {"decision_number": "1", "decided_on": "2023-12-20"}
    )
    assert response.status_code == 403
    assert _status(commendation) == C.SUBMITTED


def test_an_incomplete_dossier_post_shows_what_is_missing(official_client):
    commendation = f.make_commendation()
    response = official_client.post(_url(commendation, "submit"), follow=True)
    assert "Hồ sơ chưa đủ" in response.content.decode()
    assert _status(commendation) == C.DRAFT


def test_a_next_url_outside_the_site_is_ignored(committee_client):
    commendation = f.make_commendation(status=C.SUBMITTED)
    response = committee_client.post(
        _url(commendation, "reject"), {"reason": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(
        "admin:campaigns_commendation_change", args=[commendation.pk]
    )


# drafting and editing


def test_a_draft_is_created_by_an_official_with_its_author_in_the_history(official):
    initiative = f.factories.make_initiative()
    commendation = workflow.commendation_create(
        by=official,
        initiative=initiative,
        recipient_kind="collective",
        recipient_name="Tổ dân phố 5",
        form="ward_chairman_certificate",
        reason="Đã có thành tích xuất sắc",
    )
    assert (commendation.status, commendation.created_by) == (C.DRAFT, official)
    assert commendation.history.get().history_user == official
    assert _history(commendation) == []


def test_the_committee_may_not_draft_a_commendation(committee_member):
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_create(
            by=committee_member,
            initiative=f.factories.make_initiative(),
            recipient_kind="collective",
            recipient_name="Tổ dân phố 5",
            form="ward_chairman_certificate",
            reason="Đã có thành tích xuất sắc",
        )
    assert exc.value.code == "permission"
    assert not Commendation.objects.exists()


def test_a_draft_is_edited_and_the_edit_is_in_the_history(official):
    commendation = f.make_commendation()
    workflow.commendation_update(commendation=commendation, by=official, recipient_name="Tổ 7")
    assert Commendation.objects.get(pk=commendation.pk).recipient_name == "Tổ 7"
    assert commendation.history.latest().history_user == official


def test_only_a_draft_may_be_edited(official):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.commendation_update(commendation=commendation, by=official, recipient_name="X")
    assert exc.value.code == "wrong_state"
    assert Commendation.objects.get(pk=commendation.pk).recipient_name != "X"


def test_the_admin_edits_a_draft_through_the_workflow(official_client, official):
    commendation = f.make_commendation()
    url = reverse("admin:campaigns_commendation_change", args=[commendation.pk])
    data = {
        "initiative": commendation.initiative_id,
        "recipient_kind": commendation.recipient_kind,
        "recipient_name": "Tổ dân phố 9",
        "form": commendation.form,
        "reason": commendation.reason,
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    response = official_client.post(url, data)
    assert response.status_code == 302
    commendation.refresh_from_db()
    assert commendation.recipient_name == "Tổ dân phố 9"
    assert commendation.history.latest().history_user == official
