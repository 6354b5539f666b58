"""Submit, complete, publish, unpublish, preview: POSTs that call registry/workflow.py."""

import pytest
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import InitiativeTransition
from tests.factories import make_initiative, make_photo

pytestmark = pytest.mark.django_db


def _url(name, initiative):
    return reverse(f"workspace:initiative-{name}", args=[initiative.pk])


def test_an_official_submits_a_draft(official_client, official):
    initiative = make_initiative(status=S.DRAFT, published=False)
    detail = official_client.get(_url("detail", initiative)).content.decode()
    assert _url("submit", initiative) in detail
    response = official_client.post(_url("submit", initiative), follow=True)
    assert "Đã gửi đăng ký" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == S.REGISTERED
    row = InitiativeTransition.objects.get(initiative=initiative)
    assert (row.from_status, row.to_status, row.by) == (S.DRAFT, S.REGISTERED, official)


def test_submitting_twice_shows_the_error_on_the_same_page(official_client):
    initiative = make_initiative(status=S.DRAFT, published=False)
    official_client.post(_url("submit", initiative))
    response = official_client.post(_url("submit", initiative), follow=True)
    assert response.redirect_chain[-1][0] == _url("detail", initiative)
    assert "Không thể thực hiện" in response.content.decode()
    assert InitiativeTransition.objects.count() == 1


def test_an_official_marks_a_model_completed(official_client):
    initiative = make_initiative(status=S.IMPLEMENTING)
    official_client.post(_url("complete", initiative))
    initiative.refresh_from_db()
    assert initiative.status == S.COMPLETED


def test_publishing_and_unpublishing(official_client):
    from django.test import Client

    client = Client()
    initiative = make_initiative(status=S.IMPLEMENTING, published=False)
    official_client.post(_url("publish", initiative))
    initiative.refresh_from_db()
    assert initiative.published and initiative.first_published_at
    assert client.get(initiative.get_absolute_url()).status_code == 200
    official_client.post(_url("unpublish", initiative))
    initiative.refresh_from_db()
    assert not initiative.published
    assert client.get(initiative.get_absolute_url()).status_code == 404


def test_the_committee_has_no_decision_buttons_but_a_link_to_the_admin(committee_client):
    initiative = make_initiative(status=S.REGISTERED, published=False)
    html = committee_client.get(_url("detail", initiative)).content.decode()
    assert reverse("admin:registry_initiative_change", args=[initiative.pk]) in html
    for action in ("submit", "complete"):
        assert _url(action, initiative) not in html
    assert "/sua/" not in html
    for label in ("Duyệt đăng ký", "Trả lại", "Dừng mô hình"):
        assert label not in html


def test_the_committee_cannot_submit_through_the_workspace(committee_client):
    """The submit button's permission is checked before anything happens: the 403 page."""
    initiative = make_initiative(status=S.DRAFT, published=False)
    response = committee_client.post(_url("submit", initiative))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == S.DRAFT


def test_an_official_has_no_link_to_decide_in_the_admin(official_client):
    initiative = make_initiative(status=S.REGISTERED, published=False)
    html = official_client.get(_url("detail", initiative)).content.decode()
    assert reverse("admin:registry_initiative_change", args=[initiative.pk]) not in html
    assert "chờ Đảng ủy phường duyệt" in html


def test_the_preview_shows_a_draft_as_the_public_would_see_it(official_client):
    initiative = make_initiative(
        "Ngôi nhà trí tuệ", status=S.DRAFT, published=False, summary="Tủ sách cho thiếu nhi"
    )
    make_photo(initiative, alt_text="Ảnh công khai được")
    make_photo(initiative, alt_text="Ảnh chưa xin phép", shows_identifiable_people=True)
    html = official_client.get(_url("preview", initiative)).content.decode()
    assert "Xem trước" in html and "CHƯA thấy trang này" in html
    assert "Tủ sách cho thiếu nhi" in html
    assert "Ảnh công khai được" in html
    assert "Ảnh chưa xin phép" not in html, "the preview hides what the public page hides"
    official_client.logout()
    assert official_client.get(_url("preview", initiative)).status_code == 302
    assert official_client.get(f"/mo-hinh/{initiative.slug}/").status_code == 404
