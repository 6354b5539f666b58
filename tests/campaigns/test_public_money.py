"""The money side of a public model page: totals, consenting contributors, expenses."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import workflow
from campaigns.models import ContributorKind
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db


def _page(client, initiative) -> str:
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_le_loi_model_shows_its_310_million_from_the_demo_data(client):
    call_command("load_demo", verbosity=0)
    html = _page(client, Initiative.objects.get(pk=1))
    assert "Đóng góp và sử dụng" in html
    assert "310.000.000\u00a0₫" in html
    assert "Các doanh nghiệp và hộ dân dọc tuyến đường Lê Lợi" in html
    # No expense is reported in the article: no misleading "balance" either.
    assert "Chưa ghi khoản chi nào" in html
    assert "Tiền mặt còn lại" not in html


def test_loading_the_demo_twice_does_not_duplicate_the_ledger():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    initiative = Initiative.objects.get(pk=1)
    assert initiative.donations.count() == 1


def test_named_contributors_appear_only_with_consent_and_amounts_only_with_consent(client):
    initiative = factories.make_initiative()
    named_with_amount = make_contributor(
        "Công ty TNHH Hoa Biển",
        kind=ContributorKind.BUSINESS,
        publish_name=True,
        publish_amount=True,
    )
    named_only = make_contributor("Hộ bà Lê Thị Hoa", publish_name=True)
    anonymous = make_contributor("Hộ ông Trần Văn Kín")
    make_donation(initiative=initiative, contributor=named_with_amount, amount=12_345_000)
    make_donation(initiative=initiative, contributor=named_only, amount=7_654_000)
    make_donation(initiative=initiative, contributor=anonymous, amount=1_111_000)

    html = _page(client, initiative)

    assert "Công ty TNHH Hoa Biển" in html
    assert "12.345.000\u00a0₫" in html
    assert "Hộ bà Lê Thị Hoa" in html
    assert "7.654.000" not in html
    assert "Trần Văn Kín" not in html
    assert "1.111.000" not in html
    assert "2 hộ dân" in html
    assert "1 doanh nghiệp" in html
    assert "Và 1 người đóng góp khác không nêu tên" in html
    assert "21.110.000\u00a0₫" in html  # the total received, everyone included


def test_a_contributor_whose_donation_was_reversed_is_neither_named_nor_counted(client, official):
    initiative = factories.make_initiative()
    kept = make_contributor("Hộ Giữ Lại", publish_name=True, publish_amount=True)
    reversed_ = make_contributor("Hộ Bị Đảo", publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=kept, amount=1_000_000)
    mistaken = make_donation(initiative=initiative, contributor=reversed_, amount=5_000_000)
    workflow.donation_reverse(donation=mistaken, by=official, reason="Ghi nhầm")

    html = _page(client, initiative)

    assert "Hộ Giữ Lại" in html
    assert "Hộ Bị Đảo" not in html
    assert "1 hộ dân" in html
    assert "không nêu tên" not in html


def test_expenses_are_listed_with_date_description_and_amount(client, official):
    initiative = factories.make_initiative()
    # A consenting contributor: one without consent alone would make the balance theirs.
    donor = make_contributor(publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=donor, amount=20_000_000)
    make_expense(
        initiative=initiative,
        description="Mua 310 chậu hoa giấy",
        amount=15_500_000,
        spent_on=date(2023, 4, 5),
    )
    wrong = make_expense(initiative=initiative, description="Khoản ghi trùng", amount=999_000)
    workflow.expense_reverse(expense=wrong, by=official, reason="Trùng chứng từ")

    html = _page(client, initiative)

    assert "Mua 310 chậu hoa giấy" in html
    assert "05/04/2023" in html
    assert "15.500.000\u00a0₫" in html
    assert "Khoản ghi trùng" not in html
    assert "4.500.000\u00a0₫" in html  # the cash balance


def test_a_funding_target_shows_a_progress_bar(client):
    initiative = factories.make_initiative(funding_target=40_000_000)
    donor = make_contributor(publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=donor, amount=10_000_000)
    make_pledge(initiative=initiative, contributor=donor, value=30_000_000)

    html = _page(client, initiative)

    assert '<progress max="40000000" value="10000000">25%</progress>' in html
    assert "30.000.000\u00a0₫" in html  # pledged
    assert "(25%)" in html


def test_a_model_without_money_shows_no_money_section(client):
    html = _page(client, factories.make_initiative())
    assert "Đóng góp và sử dụng" not in html


def _count_queries(client, initiative) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _page(client, initiative)
    return len(ctx.captured_queries)


def test_the_model_page_makes_as_many_queries_with_50_donations_as_with_1(client):
    one = factories.make_initiative()
    fifty = factories.make_initiative()
    make_donation(initiative=one, contributor=make_contributor(publish_name=True))
    make_expense(initiative=one)
    for n in range(50):
        make_donation(
            initiative=fifty,
            contributor=make_contributor(
                kind=[ContributorKind.HOUSEHOLD, ContributorKind.BUSINESS][n % 2],
                publish_name=n % 3 == 0,
                publish_amount=n % 2 == 0,
            ),
        )
        make_expense(initiative=fifty)
    _count_queries(client, one)  # warm up (sessions, content types)

    assert _count_queries(client, fifty) == _count_queries(client, one)


def test_the_money_section_costs_four_queries_whatever_the_size(django_assert_num_queries):
    from campaigns.queries import public_initiative_ledger

    initiative = factories.make_initiative()
    for _ in range(5):
        make_donation(initiative=initiative, contributor=make_contributor(publish_name=True))
        make_expense(initiative=initiative)
    # totals, named contributors, expenses, and the hidden contributors per kind and year of
    # donations and pledges (one UNION ALL) that decide which totals are withheld
    with django_assert_num_queries(4):
        ledger = public_initiative_ledger(initiative)
    assert len(ledger["named"]) == 5
    assert len(ledger["expenses"]) == 5
