"""The dashboard: what needs doing now, each item linking to where it is done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.models import OversightActivity
from tests.factories import make_initiative, make_photo
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


def _returned(official, committee_member, title, reason="Chưa ghi rõ địa bàn"):
    initiative = make_initiative(title, status=S.DRAFT, published=False, created_by=official)
    workflow.initiative_submit(initiative=initiative, by=official)
    workflow.initiative_return(initiative=initiative, by=committee_member, reason=reason)
    return initiative


def _follow_up(initiative, days):
    today = timezone.localdate()
    return OversightActivity.objects.create(
        initiative=initiative,
        kind="inspection",
        happened_on=today - dt.timedelta(days=30),
        note="Vỉa hè còn bị lấn chiếm",
        follow_up_due=today + dt.timedelta(days=days),
    )


def test_the_dashboard_lists_the_work_waiting(official_client, official, committee_member):
    mine = make_initiative("Dự thảo của tôi", status=S.DRAFT, published=False, created_by=official)
    make_initiative("Dự thảo của người khác", status=S.DRAFT, published=False)
    returned = _returned(official, committee_member, "Cụm dân cư kiểu mẫu")
    waiting = make_initiative("Ngôi nhà trí tuệ", status=S.REGISTERED, published=False)
    bare = make_initiative("Chợ an toàn thực phẩm")
    with_photo = make_initiative("Đường điện thắp sáng")
    make_photo(with_photo)
    overdue = _follow_up(bare, -2)
    _follow_up(with_photo, 3)
    _follow_up(with_photo, 30).note = "far away"
    resolved = _follow_up(with_photo, 1)
    resolved.resolved = True
    resolved.save()

    response = official_client.get(DASHBOARD)
    sections = {s.key: s for s in response.context["sections"]}
    assert [i.title for i in sections["drafts"].items] == ["Dự thảo của tôi"]
    assert sections["drafts"].items[0].url == reverse("workspace:initiative-edit", args=[mine.pk])
    assert [(i.title, i.note) for i in sections["returned"].items] == [
        ("Cụm dân cư kiểu mẫu", "Lý do: Chưa ghi rõ địa bàn")
    ]
    assert [i.title for i in sections["awaiting"].items] == ["Ngôi nhà trí tuệ"]
    assert sections["awaiting"].items[0].url == reverse(
        "workspace:initiative-detail", args=[waiting.pk]
    )
    assert not sections["awaiting"].items[0].action_url, "officials do not decide"
    follow_ups = sections["follow-ups"].items
    assert [(i.title, i.overdue) for i in follow_ups] == [
        ("Chợ an toàn thực phẩm", True),
        ("Đường điện thắp sáng", False),
    ]
    assert follow_ups[0].url.endswith(f"/kiem-tra/#oversight-{overdue.pk}")
    assert [i.title for i in sections["no-photos"].items] == ["Chợ an toàn thực phẩm"]
    html = response.content.decode()
    assert "Quá hạn" in html and "todo-overdue" in html
    assert returned.title in html


def test_the_committee_sees_waiting_registrations_with_a_link_to_the_admin(committee_client):
    waiting = make_initiative("Ngôi nhà trí tuệ", status=S.REGISTERED, published=False)
    response = committee_client.get(DASHBOARD)
    keys = [s.key for s in response.context["sections"]]
    assert "drafts" not in keys and "returned" not in keys, "nothing for them to edit"
    html = response.content.decode()
    assert reverse("admin:registry_initiative_change", args=[waiting.pk]) in html
    for button in ("Duyệt đăng ký", "Trả lại đăng ký", "Dừng mô hình"):
        assert button not in html


def test_the_dashboard_costs_the_same_queries_with_more_work(
    official_client, official, committee_member
):
    def grow_by(n):
        for i in range(n):
            make_initiative(f"Dự thảo {i}", status=S.DRAFT, published=False, created_by=official)
            _returned(official, committee_member, f"Trả lại {i}")
            make_initiative(f"Chờ duyệt {i}", status=S.REGISTERED, published=False)
            _follow_up(make_initiative(f"Chưa có ảnh {i}"), i - 1)

    grow_by(1)
    response = assert_constant_queries(lambda: official_client.get(DASHBOARD), lambda: grow_by(2))
    sections = {s.key: s for s in response.context["sections"]}
    assert [len(sections[k].items) for k in ("drafts", "returned", "awaiting", "no-photos")] == [
        3,
        3,
        3,
        3,
    ]
    assert len(sections["follow-ups"].items) == 3
