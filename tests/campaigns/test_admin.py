import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from campaigns.models import Recognition, RecognitionTransition
from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import RecognitionStatus as R
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:campaigns_recognition_changelist")


def test_officials_are_not_offered_the_committee_actions(client, official, committee_member):
    f.make_recognition()
    client.force_login(official)
    official_page = client.get(CHANGELIST).content.decode()
    assert 'value="action_approve"' not in official_page
    assert 'value="action_publish"' not in official_page
    client.force_login(committee_member)
    committee_page = client.get(CHANGELIST).content.decode()
    assert 'value="action_approve"' in committee_page


def test_an_official_proposes_through_the_admin_add_form(official_client, official):
    initiative = factories.make_initiative()
    review_round = f.make_round()
    response = official_client.post(
        reverse("admin:campaigns_recognition_add"),
        {
            "initiative": initiative.pk,
            "review_round": review_round.pk,
            "level": "ward_party_committee",
            "tier": "recognised",
            "proposal": "Kết quả tốt",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert recognition.status == R.PROPOSED
    assert recognition.proposed_by == official
    assert RecognitionTransition.objects.get().to_status == R.PROPOSED


def test_the_committee_cannot_add_recognitions(committee_client):
    assert committee_client.get(reverse("admin:campaigns_recognition_add")).status_code == 403


def test_the_committee_decides_a_commendation_in_the_admin(committee_client):
    commendation = f.make_commendation(status=C.SUBMITTED)
    url = reverse("admin:campaigns_commendation_changelist")
    committee_client.post(
        url,
        {
            "action": "action_decide",
            helpers.ACTION_CHECKBOX_NAME: [commendation.pk],
            "apply": "1",
            "decision_number": "215/QĐ-UBND",
            "decided_on": "20/12/2023",
        },
    )
    commendation.refresh_from_db()
    assert commendation.status == C.DECIDED
    assert commendation.decision_number == "215/QĐ-UBND"
    listing = committee_client.get(url).content.decode()
    assert reverse("workspace:certificate", args=[commendation.pk]) in listing


def test_admin_pages_render_for_both_roles(client, official, committee_member):
    recognition = f.make_recognition(status=R.PUBLISHED)
    commendation = f.make_commendation(status=C.ISSUED, review_round=recognition.review_round)
    for user in (official, committee_member):
        client.force_login(user)
        for name, args in [
            ("admin:campaigns_campaign_changelist", []),
            ("admin:campaigns_reviewround_changelist", []),
            ("admin:campaigns_evaluation_changelist", []),
            ("admin:campaigns_recognition_change", [recognition.pk]),
            ("admin:campaigns_commendation_change", [commendation.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 200, name
