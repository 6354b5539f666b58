"""Contributors' phones and addresses: seen by the officials who record the ledger
(``campaigns.view_contributor_contact``), not by the party committee, which reads the ledger."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_pledge
from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS

pytestmark = pytest.mark.django_db

PHONE = "0237 3821 999"
ADDRESS = "Số 18 đường Lê Lợi, tổ dân phố 3"
NAME = "Hộ bà Trần Thị Lụa"


@pytest.fixture
def contributor():
    contributor = make_contributor(NAME, phone=PHONE, address=ADDRESS)
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    make_pledge(initiative=initiative, contributor=contributor)
    make_donation(initiative=initiative, contributor=contributor)
    contributor.initiative = initiative
    return contributor


def _group_perms(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_the_officials_hold_the_contact_permission_and_the_committee_does_not(
    official, committee_member
):
    assert "view_contributor_contact" in _group_perms(WARD_OFFICIALS)
    assert "view_contributor_contact" not in _group_perms(PARTY_COMMITTEE)
    assert "view_contributor" in _group_perms(PARTY_COMMITTEE)  # it still reads the ledger
    assert official.has_perm("campaigns.view_contributor_contact")
    assert not committee_member.has_perm("campaigns.view_contributor_contact")


def test_the_committee_reads_the_workspace_ledger_without_phones_or_addresses(
    committee_client, contributor
):
    url = reverse("workspace:ledger", args=[contributor.initiative.pk])
    page = committee_client.get(url, {"contributor": contributor.pk, "q": "Lụa"})
    body = page.content.decode()
    assert page.status_code == 200 and NAME in body
    assert PHONE not in body and ADDRESS not in body
    # Nor can a phone number be tried in the search: it would tell whose it is.
    found = committee_client.get(url, {"q": "3821999"}).content.decode()
    assert f"Chọn {NAME}" not in found


def test_an_official_sees_them_in_the_workspace_ledger(official_client, contributor):
    url = reverse("workspace:ledger", args=[contributor.initiative.pk])
    body = official_client.get(url, {"contributor": contributor.pk, "q": "lua"}).content.decode()
    assert PHONE in body and ADDRESS in body
    assert f"Chọn {NAME}" in official_client.get(url, {"q": "3821999"}).content.decode()


def test_the_committee_sees_no_contact_in_the_admin(committee_client, contributor):
    changelist = committee_client.get(reverse("admin:campaigns_contributor_changelist"))
    body = changelist.content.decode()
    assert changelist.status_code == 200 and NAME in body
    assert PHONE not in body
    by_phone = committee_client.get(
        reverse("admin:campaigns_contributor_changelist"), {"q": "3821"}
    ).content.decode()
    assert NAME not in by_phone  # a phone number finds no one: it would tell whose it is
    change = committee_client.get(
        reverse("admin:campaigns_contributor_change", args=[contributor.pk])
    )
    page = change.content.decode()
    assert change.status_code == 200 and NAME in page
    assert PHONE not in page and ADDRESS not in page


def test_the_committee_sees_no_old_contact_in_the_admin_history(committee_client, contributor):
    contributor.phone = "0912 000 111"
    contributor.save()
    history = committee_client.get(
        reverse("admin:campaigns_contributor_history", args=[contributor.pk])
    )
    page = history.content.decode()
    assert history.status_code == 200
    assert PHONE not in page and "0912 000 111" not in page


def test_an_official_sees_the_contact_in_the_admin(official_client, contributor):
    body = official_client.get(reverse("admin:campaigns_contributor_changelist")).content.decode()
    assert PHONE in body
    page = official_client.get(
        reverse("admin:campaigns_contributor_change", args=[contributor.pk])
    ).content.decode()
    assert PHONE in page and ADDRESS in page
