"""A model from registration to the public page, through the workspace and the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import Initiative, InitiativeTransition
from tests.factories import uploaded_image
from tests.workspace.helpers import initiative_post_data, management

pytestmark = pytest.mark.django_db


def test_register_submit_approve_publish_and_the_public_sees_it(official, committee_member):
    official_client, committee_client = Client(), Client()
    official_client.force_login(official)
    committee_client.force_login(committee_member)
    # 1. The official registers the model in one form: two indicators, a commitment, a photo.
    data = initiative_post_data(
        indicators=[
            {"label": "Chậu hoa giấy", "unit": "chậu", "target": "310", "actual": "310"},
            {"label": "Chiều dài tuyến đường", "unit": "km", "target": "2", "actual": "2"},
        ],
        commitments=["Không lấn chiếm vỉa hè, lòng đường"],
    )
    data.update(management("photos", 1))
    data.update(
        {
            "photos-0-image": uploaded_image("le-loi.jpg"),
            "photos-0-alt_text": "Đường hoa giấy Lê Lợi",
            "photos-0-caption": "Tuyến đường hoa sau khi hoàn thành",
            "photos-0-order": "0",
        }
    )
    response = official_client.post(reverse("workspace:initiative-create"), data)
    initiative = Initiative.objects.get(code="DVK-2023-01")
    detail = reverse("workspace:initiative-detail", args=[initiative.pk])
    assert response["Location"] == detail
    assert initiative.indicators.count() == 2 and initiative.commitments.count() == 1
    assert initiative.photos.count() == 1
    assert initiative.status == S.DRAFT

    # 2. It appears among "my drafts" and is submitted from its page.
    dashboard = official_client.get(reverse("workspace:dashboard")).content.decode()
    assert initiative.title in dashboard
    official_client.post(reverse("workspace:initiative-submit", args=[initiative.pk]))
    initiative.refresh_from_db()
    assert initiative.status == S.REGISTERED

    # 3. The committee sees it waiting and approves it in the admin.
    dashboard = committee_client.get(reverse("workspace:dashboard")).content.decode()
    assert reverse("admin:registry_initiative_change", args=[initiative.pk]) in dashboard
    committee_client.post(
        reverse("admin:registry_initiative_changelist"),
        {"action": "action_approve", ACTION_CHECKBOX_NAME: [initiative.pk]},
    )
    initiative.refresh_from_db()
    assert initiative.status == S.IMPLEMENTING
    assert list(
        InitiativeTransition.objects.filter(initiative=initiative)
        .order_by("at", "id")
        .values_list("to_status", "by")
    ) == [(S.REGISTERED, official.pk), (S.IMPLEMENTING, committee_member.pk)]

    # 4. The official publishes it; residents see it with its indicators and photo.
    resident = Client()
    assert resident.get(f"/mo-hinh/{initiative.slug}/").status_code == 404
    official_client.post(reverse("workspace:initiative-publish", args=[initiative.pk]))
    page = resident.get(f"/mo-hinh/{initiative.slug}/").content.decode()
    for shown in (
        "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
        "Chậu hoa giấy",
        "Chiều dài tuyến đường",
        "Không lấn chiếm vỉa hè, lòng đường",
        'alt="Đường hoa giấy Lê Lợi"',
    ):
        assert shown in page, shown
    assert initiative.title in resident.get(reverse("registry:initiative-list")).content.decode()

    # 5. Its history tells the story.
    history = official_client.get(
        reverse("workspace:initiative-history", args=[initiative.pk])
    ).content.decode()
    assert "<del>Đã đăng ký</del> → <ins>Đang thực hiện</ins>" in history
    assert "Công khai: <del>Không</del> → <ins>Có</ins>" in history
