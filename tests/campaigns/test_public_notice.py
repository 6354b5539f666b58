"""The monthly public notice (bảng công khai): figures of the month, consent rules, bad months."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContributionKind
from campaigns.queries import public_monthly_notice
from campaigns.workflow import donation_reverse
from registry.choices import InitiativeStatus
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _url(initiative, year=2023, month=4):
    return reverse(
        "public:initiative-notice", kwargs={"slug": initiative.slug, "year": year, "month": month}
    )


@pytest.fixture
def flower_street():
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    named = make_contributor("Công ty Hoa Xuân", publish_name=True, publish_amount=True)
    shy = make_contributor("Bà Ngô Bí Mật", publish_name=True, publish_amount=False)
    hidden = make_contributor("Hộ Không Tên")
    make_donation(
        initiative=initiative, contributor=named, amount=5_000_000, received_on=date(2023, 3, 20)
    )
    make_donation(
        initiative=initiative, contributor=named, amount=2_000_000, received_on=date(2023, 4, 2)
    )
    make_donation(
        initiative=initiative, contributor=shy, amount=1_234_567, received_on=date(2023, 4, 3)
    )
    make_donation(
        initiative=initiative, contributor=hidden, amount=7_654_321, received_on=date(2023, 4, 4)
    )
    make_donation(
        initiative=initiative,
        contributor=hidden,
        amount=3_000_000,
        kind=ContributionKind.IN_KIND,
        received_on=date(2023, 4, 5),
    )
    make_expense(initiative=initiative, amount=1_000_000, spent_on=date(2023, 3, 25))
    make_expense(
        initiative=initiative,
        amount=4_000_000,
        spent_on=date(2023, 4, 10),
        description="Mua 100 chậu hoa",
    )
    make_donation(
        initiative=initiative, contributor=named, amount=9_000_000, received_on=date(2023, 5, 1)
    )
    return initiative


def test_the_month_figures_are_received_spent_and_the_cash_balance(flower_street):
    notice = public_monthly_notice(flower_street, 2023, 4)
    assert notice["opening_balance"] == 5_000_000 - 1_000_000
    assert notice["received_cash"] == 2_000_000 + 1_234_567 + 7_654_321
    assert notice["received_valued"] == 3_000_000
    assert notice["spent"] == 4_000_000
    assert notice["closing_balance"] == 4_000_000 + 10_888_888 - 4_000_000
    assert [row["name"] for row in notice["named"]] == ["Công ty Hoa Xuân", "Bà Ngô Bí Mật"]
    assert notice["unnamed_count"] == 1


def test_the_notice_page_names_only_consenting_contributors_and_their_consented_amounts(
    client, flower_street
):
    response = client.get(_url(flower_street))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "BẢNG CÔNG KHAI",
        "Độc lập - Tự do - Hạnh phúc",
        "tháng 4/2023",
        "Công ty Hoa Xuân",
        "2.000.000",
        "Bà Ngô Bí Mật",
        "không công khai số tiền",
        "1 hộ, đơn vị khác",
        "Mua 100 chậu hoa",
        "NGƯỜI LẬP BẢNG",
        '<svg role="img"',
    ):
        assert expected in text, expected
    for withheld in ("1.234.567", "Hộ Không Tên", "7.654.321", "9.000.000"):
        assert withheld not in text, withheld
    assert f"http://testserver{flower_street.get_absolute_url()}#money-heading" in text


def test_a_reversal_counts_in_its_original_month(flower_street, official):
    from campaigns.models import Donation

    original = Donation.objects.get(amount=2_000_000)
    donation_reverse(
        donation=original, by=factories.make_user(is_superuser=True), reason="Ghi nhầm"
    )
    notice = public_monthly_notice(flower_street, 2023, 4)
    assert notice["received_cash"] == 1_234_567 + 7_654_321


def test_a_month_without_entries_says_so_and_carries_the_balance(client, flower_street):
    text = client.get(_url(flower_street, 2023, 2)).content.decode()
    assert "Không có khoản đóng góp nào trong tháng." in text
    notice = public_monthly_notice(flower_street, 2023, 6)
    assert notice["opening_balance"] == notice["closing_balance"] == 19_888_888


def test_the_notice_links_the_months_on_either_side_that_exist(client, flower_street):
    january = client.get(_url(flower_street, 2023, 1)).content.decode()
    assert f'href="{_url(flower_street, 2022, 12)}" rel="prev"' in january
    assert f'href="{_url(flower_street, 2023, 2)}" rel="next"' in january
    today = timezone.localdate()
    this_month = client.get(_url(flower_street, today.year, today.month)).content.decode()
    assert 'rel="prev"' in this_month and 'rel="next"' not in this_month  # none in the future
    first = client.get(_url(flower_street, 2000, 1)).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first


@pytest.mark.parametrize("year, month", [(2023, 13), (2023, 0), (1999, 5), (2999, 1)])
def test_a_month_that_does_not_exist_or_has_not_come_is_a_clear_404(
    client, flower_street, year, month
):
    response = client.get(_url(flower_street, year, month))
    assert response.status_code == 404
    assert "hãy chọn một tháng đã qua" in response.content.decode()


def test_the_notice_of_a_model_residents_cannot_see_is_404(client):
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    assert client.get(_url(draft)).status_code == 404


def test_the_notice_costs_the_same_queries_with_one_or_many_entries(client, flower_street):
    def grow():
        for n in range(3):
            contributor = make_contributor(publish_name=True, publish_amount=True)
            make_donation(
                initiative=flower_street, contributor=contributor, received_on=date(2023, 4, 6 + n)
            )
            make_expense(initiative=flower_street, spent_on=date(2023, 4, 6 + n))

    assert_constant_queries(lambda: client.get(_url(flower_street)), grow)
