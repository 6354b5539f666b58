"""The history page: transitions and field-level changes, who and when."""

import pytest
from django.urls import reverse

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.history import initiative_history
from registry.models import Indicator
from tests.factories import make_initiative, make_organization
from tests.queries import assert_constant_queries
from tests.workspace.helpers import edit_post_data

pytestmark = pytest.mark.django_db


def test_the_history_shows_edits_field_by_field_and_transitions(
    official_client, official, committee_member
):
    initiative = make_initiative("Đường hoa", status=S.DRAFT, published=False)
    Indicator.objects.create(initiative=initiative, label="Chậu hoa giấy", target=300)
    data = edit_post_data(official_client, initiative)
    data["title"] = "Đường hoa Lê Lợi"
    data["lead_organization"] = str(make_organization("Khối dân vận phường").pk)
    data["indicators-0-target"] = "310"
    edit = reverse("workspace:initiative-edit", args=[initiative.pk])
    assert official_client.post(edit, data).status_code == 302
    workflow.initiative_submit(initiative=initiative, by=official)
    workflow.initiative_return(initiative=initiative, by=committee_member, reason="Thiếu ảnh")

    response = official_client.get(reverse("workspace:initiative-history", args=[initiative.pk]))
    html = response.content.decode()
    assert "Tên mô hình, điển hình: <del>Đường hoa</del> → <ins>Đường hoa Lê Lợi</ins>" in html
    assert "Tổ chức chủ trì: <del>—</del> → <ins>Khối dân vận phường</ins>" in html
    assert "Mục tiêu: <del>300</del> → <ins>310</ins>" in html
    assert "Chỉ tiêu “Chậu hoa giấy”" in html
    assert "<del>Đã đăng ký</del> → <ins>Dự thảo</ins>" in html
    assert "Lý do: Thiếu ảnh" in html
    entries = response.context["entries"]
    assert entries[0].is_transition and entries[0].user == committee_member
    assert any(e.user == official and e.action == "Sửa" for e in entries)


def test_the_history_costs_the_same_queries_however_long(official, committee_member):
    """Growing the history costs no query more, and every grown row is listed, newest first."""
    initiative = make_initiative(status=S.DRAFT, published=False)

    def grow():
        for i in range(3):
            initiative.summary = f"Lần {i}"
            initiative._history_user = official  # who, as the request middleware records it
            initiative.save()
            indicator = Indicator(initiative=initiative, label=f"Chỉ tiêu {i}")
            indicator._history_user = official
            indicator.save()
            workflow.initiative_submit(initiative=initiative, by=official)
            workflow.initiative_return(
                initiative=initiative, by=committee_member, reason=f"Lý do {i}"
            )

    entries = assert_constant_queries(lambda: initiative_history(initiative), grow)
    shown = [
        (
            e.user.username if e.user else None,
            e.action,
            e.subject,
            [(c.label, c.old, c.new) for c in e.changes],
            e.reason,
        )
        for e in entries
    ]
    summary = "Tóm tắt"
    submitted = ("Trạng thái", "Dự thảo", "Đã đăng ký")
    returned = ("Trạng thái", "Đã đăng ký", "Dự thảo")
    expected = [(None, "Tạo mới", "Thông tin mô hình", [], "")]
    old = "—"
    for i in range(3):
        expected += [
            (official.username, "Sửa", "Thông tin mô hình", [(summary, old, f"Lần {i}")], ""),
            (official.username, "Tạo mới", f"Chỉ tiêu “Chỉ tiêu {i}”", [], ""),
            (official.username, "Chuyển trạng thái", "Trạng thái", [submitted], ""),
            (
                committee_member.username,
                "Chuyển trạng thái",
                "Trạng thái",
                [returned],
                f"Lý do {i}",
            ),
        ]
        old = f"Lần {i}"
    assert shown == expected[::-1]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
