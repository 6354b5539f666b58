import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Criterion, Recognition, ReviewRound
from campaigns.review_choices import RecognitionStatus as R

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_campaign_stands_on_plan_239(demo):
    campaign = Campaign.objects.get()
    assert campaign.title == "Phong trào thi đua “Dân vận khéo” năm 2023"
    assert [doc.number for doc in campaign.legal_basis.all()] == ["239-KH/TU"]
    assert "VÍ DỤ" in campaign.description


def test_the_criteria_are_marked_as_an_example_set(demo):
    criteria = list(Criterion.objects.order_by("order"))
    assert len(criteria) == 4
    assert all("VÍ DỤ" in c.description for c in criteria)
    assert sum(c.max_score for c in criteria) == 100


def test_only_le_loi_is_recognised_and_no_decision_number_is_invented(demo, client):
    recognition = Recognition.objects.get()
    assert recognition.initiative.slug == "dam-bao-my-quan-do-thi-duong-hoa-le-loi"
    assert recognition.status == R.PUBLISHED
    assert recognition.level == "ward_party_committee"
    assert recognition.decision_number == ""
    assert recognition.decided_on is None
    assert "không nêu số" in recognition.source_note
    assert ReviewRound.objects.get().title.endswith("2023")
    body = client.get(recognition.initiative.get_absolute_url()).content.decode()
    assert "Được Đảng ủy phường công nhận" in body
    assert "Chưa có số quyết định trong nguồn" in body


def test_loading_the_demo_twice_duplicates_nothing(demo):
    call_command("load_demo", verbosity=0)
    assert Recognition.objects.count() == 1
    assert Criterion.objects.count() == 4
