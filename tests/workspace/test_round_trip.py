"""A model from registration to the public page, through the workspace and the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Contributor, Donation, Evaluation, Pledge, Recognition
from registry.choices import InitiativeStatus as S
from registry.models import Initiative, InitiativeTransition
from tests.campaigns.factories_reviews import make_round
from tests.factories import uploaded_image
from tests.workspace.helpers import initiative_post_data, management

pytestmark = pytest.mark.django_db


def test_register_submit_approve_publish_pledge_donate_score_and_propose(
    official, committee_member
):
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
        {"action": "action_approve", ACTION_CHECKBOX_NAME: [initiative.pk], "apply": "1"},
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
    assert initiative.title in resident.get(reverse("public:initiative-list")).content.decode()

    # 5. Its history tells the story.
    history = official_client.get(
        reverse("workspace:initiative-history", args=[initiative.pk])
    ).content.decode()
    assert "<del>Đã đăng ký</del> → <ins>Đang thực hiện</ins>" in history
    assert "Công khai: <del>Không</del> → <ins>Có</ins>" in history

    # 6. Money: a new contributor, a pledge, then a donation against it; the totals follow.
    ledger_url = reverse("workspace:ledger", args=[initiative.pk])
    assert ledger_url in official_client.get(detail).content.decode(), "a tab of the model"
    response = official_client.post(
        reverse("workspace:contributor-create", args=[initiative.pk]),
        {
            "contributor-kind": "business",
            "contributor-name": "Công ty TNHH Hoa Sen",
            "contributor-phone": "0237 3821 999",
        },
    )
    contributor = Contributor.objects.get(name="Công ty TNHH Hoa Sen")
    assert response["Location"] == f"{ledger_url}?contributor={contributor.pk}#record"
    today = timezone.localdate().isoformat()
    official_client.post(
        reverse("workspace:pledge-record", args=[initiative.pk]),
        {
            "pledge-contributor": contributor.pk,
            "pledge-kind": "cash",
            "pledge-value": "310000000",
            "pledge-pledged_on": today,
        },
    )
    pledge = Pledge.objects.get(initiative=initiative)
    official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": contributor.pk,
            "donation-pledge": pledge.pk,
            "donation-kind": "cash",
            "donation-amount": "310000000",
            "donation-received_on": today,
            "donation-receipt_number": "BN-2023-001",
        },
    )
    donation = Donation.objects.get(initiative=initiative)
    assert (donation.pledge, donation.amount, donation.recorded_by) == (
        pledge,
        310_000_000,
        official,
    )
    totals = official_client.get(ledger_url).context["totals"]
    assert (totals["pledged"], totals["received"], totals["donors"]) == (
        310_000_000,
        310_000_000,
        1,
    )
    assert pledge.state() == "fulfilled"

    # 7. A review round is open: the official scores the model on the score sheet.
    review_round = make_round(title="Sơ kết năm 2023")
    criteria = list(review_round.campaign.criteria.all())
    sheet = reverse("workspace:score-sheet", args=[review_round.pk])
    assert sheet in official_client.get(reverse("workspace:dashboard")).content.decode()
    official_client.post(
        reverse("workspace:evaluation-save", args=[review_round.pk, initiative.pk]),
        {
            f"score_{criteria[0].pk}": "55",
            f"score_{criteria[1].pk}": "38",
            "recommendation": "recognise",
            "comment": "Tuyến đường đẹp, Nhân dân đồng tình",
        },
    )
    evaluation = Evaluation.objects.get(initiative=initiative, review_round=review_round)
    assert (evaluation.evaluator, evaluation.total, evaluation.max_total) == (official, 93, 100)

    # 8. From the score sheet, the official proposes recognition; the committee sees it waiting.
    propose = reverse("workspace:recognition-propose", args=[review_round.pk, initiative.pk])
    assert propose in official_client.get(sheet).content.decode()
    assert "93 / 100" in official_client.get(propose).content.decode()
    official_client.post(propose, {"level": "ward_party_committee", "tier": "typical"})
    recognition = Recognition.objects.get(initiative=initiative)
    assert (recognition.status, recognition.review_round, recognition.proposed_by) == (
        "proposed",
        review_round,
        official,
    )
    dashboard = committee_client.get(reverse("workspace:dashboard")).content.decode()
    assert reverse("admin:campaigns_recognition_change", args=[recognition.pk]) in dashboard
