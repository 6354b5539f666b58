"""The workspace's contributor search across models: by name with or without diacritics,
each contributor's pledges and gifts per model; phones and addresses with the permission only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_pledge

pytestmark = pytest.mark.django_db

URL = reverse("workspace:contributor-search")
PHONE = "0237 3821 999"
ADDRESS = "Số 18 đường Lê Lợi"


@pytest.fixture
def lua():
    contributor = make_contributor("Hộ bà Trần Thị Lụa", phone=PHONE, address=ADDRESS)
    flowers = factories.make_initiative("Đường hoa Lê Lợi")
    lights = factories.make_initiative("Đường điện thắp sáng khu dân cư")
    make_pledge(initiative=flowers, contributor=contributor, value=3_000_000)
    make_donation(initiative=flowers, contributor=contributor, amount=2_000_000)
    make_donation(initiative=lights, contributor=contributor, amount=500_000)
    make_pledge(
        initiative=lights,
        contributor=contributor,
        value=9_000_000,
        cancelled=True,
        cancelled_at=timezone.now(),
        cancel_reason="Gia đình đổi ý",
    )
    make_contributor("Cửa hàng Minh Phát")  # not a match
    return contributor


def test_an_official_finds_a_contributor_without_diacritics_across_models(official_client, lua):
    body = official_client.get(URL, {"q": "tran thi lua"}).content.decode()
    assert "Hộ bà Trần Thị Lụa" in body and "Minh Phát" not in body
    flowers = body.index("Đường hoa Lê Lợi")
    lights = body.index("Đường điện thắp sáng khu dân cư")
    assert "3.000.000\xa0₫" in body[flowers:] and "2.000.000\xa0₫" in body[flowers:]
    assert "500.000\xa0₫" in body[lights:]
    assert "9.000.000" not in body  # a cancelled pledge is no pledge
    assert PHONE in body and ADDRESS in body
    assert f"?contributor={lua.pk}" in body
    # The same contributor by the digits of the phone, for whoever may see it.
    assert "Hộ bà Trần Thị Lụa" in official_client.get(URL, {"q": "3821999"}).content.decode()


def test_the_committee_finds_names_and_amounts_but_no_contact(committee_client, lua):
    response = committee_client.get(URL, {"q": "LỤA"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hộ bà Trần Thị Lụa" in body and "2.000.000\xa0₫" in body
    assert PHONE not in body and ADDRESS not in body
    assert "Trần Thị Lụa" not in committee_client.get(URL, {"q": "3821999"}).content.decode()


def test_the_ledger_page_offers_the_search(official_client, db):
    """One step from the ledger tab (the tab bar keeps to one row at 1366 px)."""
    body = official_client.get(reverse("workspace:ledger-index")).content.decode()
    assert f'action="{URL}"' in body


def test_the_search_costs_the_same_queries_for_one_or_three_matches(official_client):
    def count(n):
        for i in range(n):
            contributor = make_contributor(f"Hộ ông Lê Văn Nam {i}")
            make_donation(contributor=contributor)
        with CaptureQueriesContext(connection) as queries:
            response = official_client.get(URL, {"q": "le van nam"})
        assert response.content.decode().count("Hộ ông Lê Văn Nam") == n
        return len(queries)

    one = count(1)
    from campaigns.models import Contributor

    Contributor.objects.filter(name__startswith="Hộ ông").update(
        name="Hộ khác", name_folded="ho khac"
    )
    assert count(3) == one


def test_an_empty_or_unmatched_query_lists_no_one(official_client, lua):
    assert "Trần Thị Lụa" not in official_client.get(URL).content.decode()
    body = official_client.get(URL, {"q": "khong co ai"}).content.decode()
    assert "Không tìm thấy ai khớp" in body


def test_the_demo_contributor_is_found_without_diacritics(official_client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    body = official_client.get(URL, {"q": "doanh nghiep le loi"}).content.decode()
    assert "Các doanh nghiệp và hộ dân dọc tuyến đường Lê Lợi" in body
