"""Dashboard sections of the campaigns app: overdue pledges, rounds to score, recognitions
awaiting a decision, dossiers missing documents."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import workflow
from tests.campaigns.factories import make_donation, make_pledge
from tests.campaigns.factories_reviews import make_commendation, make_recognition, make_round
from tests.factories import make_initiative
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _overdue_pledge(title="Đường hoa Lê Lợi"):
    initiative = make_initiative(title)
    today = timezone.localdate()
    return make_pledge(
        initiative=initiative,
        value=2_000_000,
        pledged_on=today - dt.timedelta(days=60),
        due_on=today - dt.timedelta(days=5),
    )


def _sections(response):
    return {s.key: s for s in response.context["sections"]}


def test_the_campaign_sections_list_work_with_links(official_client, official):
    pledge = _overdue_pledge()
    make_donation(
        initiative=pledge.initiative, contributor=pledge.contributor, pledge=pledge, amount=500_000
    )
    paid = _overdue_pledge("Đã trả đủ")
    make_donation(
        initiative=paid.initiative, contributor=paid.contributor, pledge=paid, amount=2_000_000
    )
    review_round = make_round(title="Tổng kết năm 2023")
    scored = make_initiative("Đã chấm")
    workflow.evaluation_save(
        review_round=review_round,
        initiative=scored,
        by=official,
        scores={c.pk: "10" for c in review_round.campaign.criteria.all()},
        recommendation="continue",
    )
    make_round(title="Đợt đã đóng", status="closed")
    recognition = make_recognition(initiative=scored, review_round=review_round)
    incomplete = make_commendation(recipient_name="Tổ dân phố số 5")
    complete = make_commendation(recipient_name="Hồ sơ đủ")
    from tests.campaigns.factories_reviews import attach_full_dossier

    attach_full_dossier(complete, by=official)

    sections = _sections(official_client.get(DASHBOARD))
    [item] = sections["overdue-pledges"].items
    assert item.url == reverse("workspace:ledger", args=[pledge.initiative_id]) + (
        f"#pledge-{pledge.pk}"
    )
    assert item.overdue and "500.000\u00a0₫ / 2.000.000\u00a0₫" in item.note
    [item] = sections["rounds-to-score"].items
    assert item.title == "Tổng kết năm 2023"
    assert item.url == reverse("workspace:score-sheet", args=[review_round.pk])
    # Not scored yet: the two pledged models and the two commended ones.
    assert "Còn 4 mô hình chưa chấm" in item.note
    [item] = sections["recognitions"].items
    assert item.url.endswith(f"#recognition-{recognition.pk}") and not item.action_url
    [item] = sections["dossiers"].items
    assert item.title.startswith("Tổ dân phố số 5")
    assert item.url == reverse("workspace:commendation-detail", args=[incomplete.pk]) + "#dossier"
    assert "Tờ trình" in item.note and "Báo cáo thành tích" in item.note


def test_the_committee_gets_the_admin_link_for_recognitions(committee_client):
    recognition = make_recognition()
    sections = _sections(committee_client.get(DASHBOARD))
    assert "rounds-to-score" not in sections, "the committee does not score"
    [item] = sections["recognitions"].items
    assert item.action_url == reverse("admin:campaigns_recognition_change", args=[recognition.pk])


def test_the_campaign_sections_cost_the_same_queries_with_more_items(official_client):
    def grow_by(n):
        for i in range(n):
            _overdue_pledge(f"Mô hình {i}")
            make_round(title=f"Đợt {i}")
            make_recognition()
            make_commendation()

    grow_by(1)
    response = assert_constant_queries(lambda: official_client.get(DASHBOARD), lambda: grow_by(2))
    sections = _sections(response)
    assert [
        len(sections[k].items)
        for k in ("overdue-pledges", "rounds-to-score", "recognitions", "dossiers")
    ] == [3, 6, 3, 3], "each recognition comes with its own open round"


def test_overdue_pledges_show_the_oldest_twenty_and_say_there_are_more(official_client):
    initiative = make_initiative("Đường hoa Lê Lợi")
    today = timezone.localdate()
    pledges = [
        make_pledge(
            initiative=initiative,
            value=1_000_000,
            pledged_on=today - dt.timedelta(days=400),
            due_on=today - dt.timedelta(days=days),
        )
        for days in range(30, 8, -1)  # 22 overdue, the oldest first
    ]
    paid = pledges[0]  # the oldest is paid in full: not overdue any more
    make_donation(initiative=initiative, contributor=paid.contributor, pledge=paid, amount=10**6)
    section = _sections(official_client.get(DASHBOARD))["overdue-pledges"]
    shown = [item.url.rsplit("-", 1)[1] for item in section.items]
    assert shown == [str(p.pk) for p in pledges[1:21]]
    assert section.truncated and section.count_label == "20+"
    assert section.items[0].due == pledges[1].due_on


def test_a_round_i_have_scored_in_full_is_not_listed(official_client, official):
    review_round = make_round(title="Tổng kết năm 2023")
    only_model = make_initiative("Đường hoa Lê Lợi")
    sections = _sections(official_client.get(DASHBOARD))
    [item] = sections["rounds-to-score"].items
    assert "Còn 1 mô hình chưa chấm" in item.note
    workflow.evaluation_save(
        review_round=review_round,
        initiative=only_model,
        by=official,
        scores={c.pk: "10" for c in review_round.campaign.criteria.all()},
        recommendation="continue",
    )
    assert _sections(official_client.get(DASHBOARD))["rounds-to-score"].items == []
