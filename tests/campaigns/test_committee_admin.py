"""The committee's queue in the admin: what waits on the index, decision buttons on each
object's page leading to a confirmation with the proposal's text and dossier, the same
workflow functions behind them, statuses in Vietnamese, and a confirmation for list actions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from campaigns import workflow as campaigns_workflow
from campaigns.models import Commendation, DossierDocument, Recognition
from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import RecognitionStatus as R
from registry.choices import InitiativeStatus as S
from registry.models import Initiative, InitiativeTransition
from tests import factories
from tests.admin_actions import changelist_url, snapshot, start_action
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db


def _decide_url(obj, action):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_decide", args=[obj.pk, action])


def _change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


# --- the queue on the admin index ------------------------------------------------------------


def test_the_admin_index_lists_what_waits_for_the_committee(committee_client):
    waiting = factories.make_initiative("Đường hoa Lê Lợi", status=S.REGISTERED, published=False)
    factories.make_initiative("Chợ an toàn", status=S.REGISTERED, published=False)
    factories.make_initiative("Đang làm", status=S.IMPLEMENTING)
    f.make_recognition(factories.make_initiative("Ngôi nhà trí tuệ"), status=R.PROPOSED)
    f.make_commendation(status=C.SUBMITTED, recipient_name="Hội Nông dân phường")

    html = committee_client.get(reverse("admin:index")).content.decode()
    assert "Chờ Đảng ủy quyết định" in html
    assert "Đăng ký mô hình chờ duyệt: 2" in html
    assert "Đề nghị công nhận chờ quyết định: 1" in html
    assert "Hồ sơ khen thưởng đã trình: 1" in html
    assert changelist_url(Initiative) + "?status__exact=registered" in html
    assert changelist_url(Recognition) + "?status__exact=proposed" in html
    assert changelist_url(Commendation) + "?status__exact=submitted" in html
    assert _change_url(waiting) in html
    assert "Hội Nông dân phường" in html


def test_an_official_s_admin_index_has_no_committee_queue(official_client):
    factories.make_initiative(status=S.REGISTERED, published=False)
    html = official_client.get(reverse("admin:index")).content.decode()
    assert "Chờ Đảng ủy quyết định" not in html


# --- decision buttons and their confirmation page -------------------------------------------


def test_a_registered_model_s_page_offers_approve_and_return(committee_client):
    initiative = factories.make_initiative(status=S.REGISTERED, published=False)
    html = committee_client.get(_change_url(initiative)).content.decode()
    assert f'href="{_decide_url(initiative, "approve")}"' in html
    assert f'href="{_decide_url(initiative, "return")}"' in html
    assert _decide_url(initiative, "submit") not in html  # an official's step
    assert _decide_url(initiative, "discontinue") not in html  # not from this state


def test_the_confirmation_shows_the_proposal_and_a_get_changes_nothing(committee_client):
    initiative = factories.make_initiative(
        "Đường hoa Lê Lợi",
        status=S.REGISTERED,
        published=False,
        summary="310 chậu hoa giấy dọc 2 km đường Lê Lợi",
    )
    before = snapshot(initiative)
    html = committee_client.get(_decide_url(initiative, "approve")).content.decode()
    assert "310 chậu hoa giấy dọc 2 km đường Lê Lợi" in html
    assert "Xác nhận" in html
    assert snapshot(initiative) == before


def test_confirming_approves_through_the_workflow(committee_client, committee_member):
    initiative = factories.make_initiative(status=S.REGISTERED, published=False)
    response = committee_client.post(_decide_url(initiative, "approve"), follow=True)
    assert "Đã cập nhật 1 mô hình." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == S.IMPLEMENTING
    transition = InitiativeTransition.objects.get(initiative=initiative)
    assert (transition.from_status, transition.to_status, transition.by) == (
        S.REGISTERED,
        S.IMPLEMENTING,
        committee_member,
    )
    # The milestone of the workflow's own step is drafted too: it is the same function.
    assert initiative.milestones.filter(status_after=S.IMPLEMENTING).exists()


def test_returning_asks_for_the_reason_and_refuses_an_empty_one(committee_client):
    initiative = factories.make_initiative(status=S.REGISTERED, published=False)
    before = snapshot(initiative)
    response = committee_client.post(_decide_url(initiative, "return"), {"reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert snapshot(initiative) == before
    committee_client.post(_decide_url(initiative, "return"), {"reason": "Thiếu địa bàn"})
    initiative.refresh_from_db()
    assert initiative.status == S.DRAFT
    assert InitiativeTransition.objects.get(initiative=initiative).reason == "Thiếu địa bàn"


def test_someone_without_the_permission_cannot_decide(official_client):
    initiative = factories.make_initiative(status=S.REGISTERED, published=False)
    assert official_client.get(_decide_url(initiative, "approve")).status_code == 403
    assert official_client.post(_decide_url(initiative, "approve")).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == S.REGISTERED


def test_a_decision_taken_meanwhile_is_reported_not_repeated(committee_client, committee_member):
    initiative = factories.make_initiative(status=S.REGISTERED, published=False)
    committee_client.post(_decide_url(initiative, "approve"))
    again = committee_client.post(_decide_url(initiative, "approve"), follow=True)
    assert "Không thể thực hiện" in again.content.decode()
    assert InitiativeTransition.objects.filter(initiative=initiative).count() == 1


def test_the_recognition_confirmation_shows_the_proposal_text(committee_client):
    recognition = f.make_recognition(
        factories.make_initiative("Đường hoa Lê Lợi"),
        proposal="Mô hình tiêu biểu: 310 chậu hoa, 310 triệu đồng do Nhân dân đóng góp",
    )
    html = committee_client.get(_decide_url(recognition, "approve")).content.decode()
    assert "Mô hình tiêu biểu: 310 chậu hoa, 310 triệu đồng do Nhân dân đóng góp" in html
    assert 'name="decision_number"' in html
    committee_client.post(
        _decide_url(recognition, "approve"),
        {"decision_number": "45-QĐ/ĐU", "decided_on": "2023-06-01"},
    )
    recognition.refresh_from_db()
    assert (recognition.status, recognition.decision_number) == (R.APPROVED, "45-QĐ/ĐU")


def test_the_commendation_confirmation_lists_the_dossier_with_links(committee_client, official):
    commendation = f.make_commendation(reason="Vận động 310 triệu đồng")
    f.attach_full_dossier(commendation, by=official)
    campaigns_workflow.commendation_submit(commendation=commendation, by=official)
    html = committee_client.get(_decide_url(commendation, "decide")).content.decode()
    assert "Vận động 310 triệu đồng" in html
    documents = DossierDocument.objects.filter(commendation=commendation)
    assert documents.count() == 3
    for document in documents:
        assert reverse("workspace:dossier-download", args=[document.pk]) in html


def test_an_editor_s_decision_button_saves_the_edits_first(official_client):
    """A draft commendation: the official edits the reason and presses "Trình": both happen."""
    commendation = f.make_commendation(reason="Cũ")
    page = official_client.get(_change_url(commendation)).content.decode()
    assert 'name="_decide" value="submit"' in page
    data = {
        "initiative": commendation.initiative_id,
        "review_round": "",
        "recipient_kind": commendation.recipient_kind,
        "recipient_name": commendation.recipient_name,
        "contributor": "",
        "form": commendation.form,
        "reason": "Thành tích mới, ghi đầy đủ",
        "prize_amount": "",
        "signer_name": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "_decide": "submit",
    }
    response = official_client.post(_change_url(commendation), data)
    assert response.status_code == 302
    assert response["Location"] == _decide_url(commendation, "submit")
    commendation.refresh_from_db()
    assert commendation.reason == "Thành tích mới, ghi đầy đủ"
    assert commendation.status == C.DRAFT  # the confirmation comes next


# --- statuses in Vietnamese --------------------------------------------------------------------


def test_the_history_shows_statuses_in_vietnamese(committee_client, committee_member):
    recognition = f.make_recognition()
    campaigns_workflow.recognition_reject(
        recognition=recognition, by=committee_member, reason="Chưa đủ kết quả"
    )
    html = committee_client.get(_change_url(recognition)).content.decode()
    history = html.split("Lịch sử chuyển trạng thái")[1]
    assert "Đề nghị" in history and "Không duyệt" in history
    assert ">proposed<" not in history and ">rejected<" not in history
    initiative = factories.make_initiative(status=S.DRAFT, published=False)
    from registry import workflow

    workflow.initiative_submit(initiative=initiative, by=factories.make_official())
    transition = InitiativeTransition.objects.get(initiative=initiative)
    assert str(transition).endswith("Dự thảo → Đã đăng ký")


# --- list actions ask first -------------------------------------------------------------------


def test_approving_from_the_list_asks_for_confirmation_first(committee_client):
    initiative = factories.make_initiative(
        status=S.REGISTERED, published=False, summary="Tóm tắt đề nghị"
    )
    before = snapshot(initiative)
    page = start_action(committee_client, Initiative, "action_approve", initiative)
    html = page.content.decode()
    assert 'name="apply"' in html and "Tóm tắt đề nghị" in html
    assert snapshot(initiative) == before
    committee_client.post(
        changelist_url(Initiative),
        {"action": "action_approve", ACTION_CHECKBOX_NAME: [initiative.pk], "apply": "1"},
    )
    initiative.refresh_from_db()
    assert initiative.status == S.IMPLEMENTING


def test_the_queue_costs_the_same_queries_with_more_waiting(committee_client):
    from tests.queries import assert_constant_queries

    def grow_by(n):
        for _ in range(n):
            factories.make_initiative(status=S.REGISTERED, published=False)
            f.make_recognition(status=R.PROPOSED)
            f.make_commendation(status=C.SUBMITTED)

    grow_by(1)
    response = assert_constant_queries(
        lambda: committee_client.get(reverse("admin:index")), lambda: grow_by(6)
    )
    assert "Đăng ký mô hình chờ duyệt: 7" in response.content.decode()
