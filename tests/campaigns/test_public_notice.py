"""The monthly public notice (bảng công khai): figures of the month, consent rules, bad months."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

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
    # The month's in-kind gift is one non-consenting household's alone: withheld.
    assert notice["received_valued"] is None and notice["withheld"]
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
    assert "không công khai (*)" in text and "chưa đồng ý công khai" in text
    for withheld in ("1.234.567", "Hộ Không Tên", "7.654.321", "9.000.000", "3.000.000"):
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


def test_the_notice_links_the_nearest_months_with_entries_on_either_side(client, flower_street):
    def links(year, month):
        text = client.get(_url(flower_street, year, month)).content.decode()
        return (
            [
                (y, m)
                for (y, m) in ((2023, 3), (2023, 4), (2023, 5))
                for rel in ("prev", "next")
                if f'href="{_url(flower_street, y, m)}" rel="{rel}"' in text
            ],
            text.count('rel="prev"'),
            text.count('rel="next"'),
        )

    assert links(2023, 1) == ([(2023, 3)], 0, 1)  # nothing before March
    assert links(2023, 4) == ([(2023, 3), (2023, 5)], 1, 1)
    assert links(2024, 2) == ([(2023, 5)], 1, 0)  # nothing since May 2023


def test_no_notice_links_a_month_before_2000_where_no_entry_can_be(client):
    initiative = factories.make_initiative("Sổ ghi nhầm năm")
    # The database refuses an entry dated before 2000 (a CHECK): no notice can exist there.
    with pytest.raises(IntegrityError, match="donation_date_from_2000"), transaction.atomic():
        make_donation(initiative=initiative, received_on=date(1999, 12, 30))
    make_donation(initiative=initiative, received_on=date(2000, 1, 15))
    text = client.get(_url(initiative, 2000, 1)).content.decode()
    assert 'rel="prev"' not in text
    assert client.get(_url(initiative, 1999, 12)).status_code == 404


PRIVATE = 2_345_678


@pytest.fixture
def one_private_month():
    """Cash from a consenting company in March, May and July; in April only from a household
    that consented to nothing; one expense in April."""
    initiative = factories.make_initiative("Ngõ sáng Trung Sơn")
    company = make_contributor("Công ty Ánh Sáng", publish_name=True, publish_amount=True)
    household = make_contributor("Hộ Kín Tiếng")
    for month, contributor, amount in (
        (3, company, 5_000_000),
        (4, household, PRIVATE),
        (5, company, 1_000_000),
        (7, company, 3_000_000),
    ):
        make_donation(
            initiative=initiative,
            contributor=contributor,
            amount=amount,
            received_on=date(2023, month, 9),
        )
    make_expense(initiative=initiative, amount=500_000, spent_on=date(2023, 4, 20))
    return initiative


def test_a_month_of_one_private_contributor_withholds_its_cash_and_the_balances_that_give_it(
    client, one_private_month
):
    april = public_monthly_notice(one_private_month, 2023, 4)
    assert april["received_cash"] is None
    assert april["opening_balance"] == 5_000_000  # the end of March gives nothing away
    assert april["closing_balance"] is None  # minus the opening, plus the expense: hers
    # She is the only hidden contributor of cash in 2023: the company's amounts are public
    # (9.000.000 on the model page), so the model's cash total minus them is hers. Withholding
    # another month cannot help (March, May and July add up to the company's 9.000.000); the
    # total is withheld instead, and every balance that holds April, for good.
    may = public_monthly_notice(one_private_month, 2023, 5)
    assert may["received_cash"] == 1_000_000
    assert may["opening_balance"] is None and may["closing_balance"] is None
    july = public_monthly_notice(one_private_month, 2023, 7)
    assert july["received_cash"] == 3_000_000 and july["closing_balance"] is None
    page = client.get(one_private_month.get_absolute_url()).content.decode()
    assert "9.000.000" in page  # the company's own, consented amount
    assert f"{9_000_000 + PRIVATE:,}".replace(",", ".") not in page
    text = client.get(_url(one_private_month, 2023, 4)).content.decode()
    assert (
        "2.345.678" not in text
        and f"{5_000_000 + PRIVATE - 500_000:,}".replace(",", ".") not in text
    )
    assert "Hộ Kín Tiếng" not in text and "không công khai (*)" in text


def test_the_notice_withholds_the_months_the_open_data_withholds(one_private_month):
    from wardmodels.opendata.datasets import ledger_monthly_rows

    withheld_in_csv = {
        row["month"]
        for row in ledger_monthly_rows(lambda path: path)
        if row["public_id"] == one_private_month.code and row["kind"] == "cash"
        if row["suppressed"]
    }
    withheld_on_notices = {
        f"2023-{month:02d}"
        for month in range(1, 13)
        if public_monthly_notice(one_private_month, 2023, month)["received_cash"] is None
    }
    assert withheld_in_csv == withheld_on_notices == {"2023-04"}


def test_the_only_cash_month_of_one_private_contributor_keeps_the_balance_withheld_after_it():
    initiative = factories.make_initiative("Sân chơi Bắc Sơn")
    make_donation(
        initiative=initiative,
        contributor=make_contributor("Hộ Giấu Tên"),
        amount=PRIVATE,
        received_on=date(2023, 4, 9),
    )
    make_expense(initiative=initiative, amount=500_000, spent_on=date(2023, 6, 1))
    for month in (4, 6, 12):
        notice = public_monthly_notice(initiative, 2023, month)
        assert notice["closing_balance"] is None, month
    assert public_monthly_notice(initiative, 2023, 3)["closing_balance"] == 0
    assert public_monthly_notice(initiative, 2023, 6)["spent"] == 500_000


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
