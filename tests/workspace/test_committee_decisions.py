"""An official sees on the dashboard what the party committee decided since the last visit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import workflow as campaigns_workflow
from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.models import InitiativeTransition
from tests.campaigns.factories_reviews import make_recognition
from tests.factories import make_initiative
from tests.queries import assert_constant_queries
from wardmodels.workspace.models import DashboardVisit

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


def _section(response):
    return next(s for s in response.context["sections"] if s.key == "committee-decisions")


def test_the_dashboard_shows_what_the_committee_decided_since_the_last_visit(
    official_client, official, committee_member
):
    official_client.get(DASHBOARD)  # the previous visit
    approved = make_initiative("Đường hoa Lê Lợi", status=S.REGISTERED, published=False)
    returned = make_initiative("Chợ an toàn thực phẩm", status=S.REGISTERED, published=False)
    workflow.initiative_approve(initiative=approved, by=committee_member)
    workflow.initiative_return(initiative=returned, by=committee_member, reason="Thiếu địa bàn")
    recognition = make_recognition(make_initiative("Ngôi nhà trí tuệ"))
    campaigns_workflow.recognition_reject(
        recognition=recognition, by=committee_member, reason="Chưa đủ kết quả"
    )

    response = official_client.get(DASHBOARD)
    html = response.content.decode()
    assert "Đảng ủy đã quyết định" in html
    titles = [item.title for item in _section(response).items]
    assert "Đường hoa Lê Lợi: Đã đăng ký → Đang thực hiện" in titles
    assert "Chợ an toàn thực phẩm: Đã đăng ký → Dự thảo" in titles
    assert "Công nhận Ngôi nhà trí tuệ: Đề nghị → Không duyệt" in [str(t) for t in titles]
    assert "Thiếu địa bàn" in html
    assert reverse("workspace:initiative-detail", args=[approved.pk]) in html

    # Seen: the next visit starts after this one.
    again = official_client.get(DASHBOARD)
    assert _section(again).items == []
    assert "chưa quyết định thêm việc gì kể từ lần bạn vào trước" in again.content.decode()


def test_the_official_s_own_transitions_and_older_decisions_are_not_listed(
    official_client, official, committee_member
):
    old = make_initiative("Đường điện thắp sáng", status=S.REGISTERED, published=False)
    workflow.initiative_approve(initiative=old, by=committee_member)
    InitiativeTransition.objects.filter(initiative=old).update(
        at=timezone.now() - dt.timedelta(days=2)
    )
    DashboardVisit.objects.create(user=official, seen_at=timezone.now() - dt.timedelta(days=1))
    mine = make_initiative("Cụm dân cư kiểu mẫu", status=S.DRAFT, published=False)
    workflow.initiative_submit(initiative=mine, by=official)

    items = _section(official_client.get(DASHBOARD)).items
    assert items == []


def test_the_last_visit_is_stored_per_user(official_client, official, committee_member):
    assert not DashboardVisit.objects.filter(user=official).exists()
    official_client.get(DASHBOARD)
    first = DashboardVisit.objects.get(user=official).seen_at
    official_client.get(DASHBOARD)
    assert DashboardVisit.objects.get(user=official).seen_at >= first
    assert not DashboardVisit.objects.filter(user=committee_member).exists()


def test_the_decisions_section_costs_the_same_queries_with_more_decisions(
    official_client, committee_member
):
    def grow_by(n):
        for i in range(n):
            initiative = make_initiative(f"Chờ duyệt {i}", status=S.REGISTERED, published=False)
            workflow.initiative_approve(initiative=initiative, by=committee_member)
            recognition = make_recognition(make_initiative(f"Đề nghị {i}"))
            campaigns_workflow.recognition_reject(
                recognition=recognition, by=committee_member, reason="Chưa đủ"
            )

    DashboardVisit.objects.all().delete()
    grow_by(1)

    def visit():
        # Each measured visit sees the decisions of the last day, as a first visit would.
        DashboardVisit.objects.all().delete()
        return official_client.get(DASHBOARD)

    response = assert_constant_queries(visit, lambda: grow_by(2))
    assert len(_section(response).items) == 6
