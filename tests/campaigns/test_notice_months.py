"""The months whose notices a model page links: those with money in or out, newest first."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.queries import months_with_entries
from campaigns.workflow import donation_reverse
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_donation, make_expense
from tests.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

TODAY = date(2024, 2, 15)


def _notice(initiative, year, month):
    return reverse(
        "public:initiative-notice", kwargs={"slug": initiative.slug, "year": year, "month": month}
    )


@pytest.fixture
def market():
    initiative = factories.make_initiative("Chợ an toàn thực phẩm")
    make_donation(initiative=initiative, received_on=date(2023, 4, 2))
    make_donation(initiative=initiative, received_on=date(2023, 4, 28))
    make_expense(initiative=initiative, spent_on=date(2023, 4, 30))
    make_expense(initiative=initiative, spent_on=date(2023, 9, 1))
    make_donation(initiative=initiative, received_on=date(2024, 1, 31))
    return initiative


def test_months_with_entries_are_the_ledger_s_months_newest_first_each_once(market):
    """Donations and expenses both count; a month with several entries is listed once."""
    assert months_with_entries(market, until=TODAY) == [(2024, 1), (2023, 9), (2023, 4)]


def test_months_with_entries_leave_out_other_models_and_months_after_the_day(market):
    other = factories.make_initiative("Đường điện thắp sáng")
    make_donation(initiative=other, received_on=date(2023, 6, 1))
    assert months_with_entries(market, until=date(2023, 12, 31)) == [(2023, 9), (2023, 4)]
    assert months_with_entries(other, until=TODAY) == [(2023, 6)]
    assert months_with_entries(factories.make_initiative("Chưa có sổ"), until=TODAY) == []


def test_a_reversal_counts_in_its_original_s_month(market):
    """The correction shows on the original's month's notice, so no month of its own."""
    official = factories.make_official()
    original = market.donations.get(received_on=date(2024, 1, 31))
    donation_reverse(donation=original, by=official, reason="Ghi nhầm")
    assert months_with_entries(market, until=date.today()) == [(2024, 1), (2023, 9), (2023, 4)]


def test_months_with_entries_is_one_query_however_long_the_ledger(market):
    assert count_queries(lambda: months_with_entries(market, until=TODAY))[0] == 1

    def grow():
        for month in range(1, 13):
            make_donation(initiative=market, received_on=date(2022, month, 10))
            make_expense(initiative=market, spent_on=date(2022, month, 11))

    months = assert_constant_queries(lambda: months_with_entries(market, until=TODAY), grow)
    assert len(months) == 3 + 12
    assert months == sorted(months, reverse=True)


def test_the_model_page_links_the_notices_of_the_months_with_money_newest_first(client, market):
    """No empty month comes first: the newest link is the newest month with an entry."""
    body = client.get(market.get_absolute_url()).content.decode()
    links = [_notice(market, year, month) for year, month in [(2024, 1), (2023, 9), (2023, 4)]]
    positions = [body.find(f'href="{link}"') for link in links]
    assert -1 not in positions and positions == sorted(positions)
    assert "Bảng công khai thu, chi tháng 1/2024" in body
    # Only the months with entries: nothing links a notice of a month without one.
    assert body.count("/cong-khai/") == 3


def test_the_demo_model_page_links_april_2023_where_its_money_is(client):
    call_command("load_demo", verbosity=0)
    le_loi = Initiative.objects.get(slug="dam-bao-my-quan-do-thi-duong-hoa-le-loi")
    body = client.get(le_loi.get_absolute_url()).content.decode()
    assert body.count("/cong-khai/") == 1
    assert f'href="{_notice(le_loi, 2023, 4)}"' in body


def test_a_model_page_without_ledger_entries_says_it_has_no_notice_yet(client):
    initiative = factories.make_initiative("Chưa vận động")
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "/cong-khai/" not in body
    assert "chưa có, vì sổ đóng góp chưa có khoản nào" in body


def test_the_model_page_costs_the_same_queries_with_one_or_many_notice_months(client, market):
    assert_constant_queries(
        lambda: client.get(market.get_absolute_url()),
        lambda: [make_expense(initiative=market, spent_on=date(2022, m, 5)) for m in (1, 2, 3)],
    )
