"""No public figure, nor the difference of public figures, gives away a hidden amount
(campaigns.queries.disclosure)."""

import itertools
import random
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from campaigns import workflow
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge
from tests.wardmodels.test_settings import start

pytestmark = pytest.mark.django_db


def test_a_hidden_amount_cannot_be_worked_out_from_the_model_page_by_subtraction(client):
    """A name shown without its amount (4.444.444 ₫) beside a consenting 1.000.000 ₫: the page
    must not show the 5.444.444 ₫ total, from which the first amount is the difference."""
    initiative = factories.make_initiative()
    her = make_contributor("Hộ bà Nguyễn Thị Kín", publish_name=True, publish_amount=False)
    him = make_contributor("Hộ ông Lê Văn Mở", publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=her, amount=4_444_444)
    make_donation(initiative=initiative, contributor=him, amount=1_000_000)

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert "Hộ bà Nguyễn Thị Kín" in html and "Hộ ông Lê Văn Mở" in html
    assert "1.000.000\u00a0₫" in html
    assert "5.444.444" not in html
    assert "4.444.444" not in html
    assert "không công khai (*)" in html
    assert "chưa đồng ý công khai số tiền" in html


# --- generated ledgers: every number residents can read, on every page, file and feed --------

MONTHS = [date(2023, 3, 1), date(2023, 4, 1), date(2023, 11, 1), date(2024, 2, 1), date(2024, 5, 1)]
KINDS = ["cash", "cash", "cash", "in_kind", "labour", "land"]
CONSENTS = [(True, True), (True, True), (True, False), (False, False), (False, True)]
MONEY = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]\d)|(?<![\d.,])\d{5,}(?![\d,]\d)")
QUANTITY = re.compile(r"(?<![\d.,])\d{1,4}(?:,\d{1,2})?(?![\d.,]\d)")


def _distinctive(rng) -> int:
    """A hidden amount no sum of round figures can meet: never a multiple of 1.000 đồng."""
    while True:
        amount = rng.randint(1_000_001, 98_999_999)
        if amount % 1000:
            return amount


def _ledger(rng, official):
    """Up to three public models, contributors of every kind of consent, donations of every
    kind over five months of two years (some reversed), pledges and expenses."""
    models = [
        factories.make_initiative(funding_target=rng.choice([None, 50_000_000, 200_000_000]))
        for _ in range(rng.randint(1, 3))
    ]
    people = []
    for n in range(rng.randint(2, 7)):
        publish_name, publish_amount = rng.choice(CONSENTS)
        people.append(
            make_contributor(
                f"Người góp số {n}", publish_name=publish_name, publish_amount=publish_amount
            )
        )
    hidden = {p.pk: {"amounts": [], "pledges": [], "quantities": []} for p in people}
    for p in people:
        if p.publish_name and p.publish_amount:
            hidden.pop(p.pk)
    for _ in range(rng.randint(3, 14)):
        person = rng.choice(people)
        secret = person.pk in hidden
        kind = rng.choice(KINDS)
        amount = _distinctive(rng) if secret else rng.randint(1, 40) * 1_000_000
        quantity = None
        if kind in ("labour", "land"):
            quantity = (
                Decimal(f"{rng.randint(11, 89)}.{rng.randint(11, 97)}")
                if secret
                else Decimal(rng.randint(1, 9))
            )
        day = rng.choice(MONTHS).replace(day=rng.randint(1, 28))
        donation = make_donation(
            initiative=rng.choice(models),
            contributor=person,
            amount=amount,
            kind=kind,
            quantity=quantity,
            unit="ngày công" if kind == "labour" else "m²" if kind == "land" else "",
            received_on=day,
        )
        if rng.random() < 0.15:
            workflow.donation_reverse(donation=donation, by=official, reason="Ghi nhầm")
        elif secret:
            hidden[person.pk]["amounts"].append(amount)
            if quantity is not None:
                hidden[person.pk]["quantities"].append(quantity)
    for _ in range(rng.randint(0, 4)):
        person = rng.choice(people)
        secret = person.pk in hidden
        value = _distinctive(rng) if secret else rng.randint(1, 40) * 1_000_000
        make_pledge(
            initiative=rng.choice(models),
            contributor=person,
            value=value,
            kind=rng.choice(["cash", "in_kind"]),
            pledged_on=rng.choice(MONTHS),
        )
        if secret:
            hidden[person.pk]["pledges"].append(value)
    for _ in range(rng.randint(0, 3)):
        make_expense(
            initiative=rng.choice(models),
            amount=rng.randint(1, 10) * 500_000,
            spent_on=rng.choice(MONTHS).replace(day=15),
        )
    return models, hidden


def _subset_sums(values) -> set:
    return {
        sum(combo)
        for size in range(1, len(values) + 1)
        for combo in itertools.combinations(values, size)
    }


def _public_texts(client, models) -> list[str]:
    """Every public page, file and feed that could show money."""
    urls = [reverse("public:home"), reverse("public:opendata-feed")]
    urls += [reverse("public:report") + f"?year={year}" for year in ("2023", "2024", "all")]
    urls += [
        reverse("public:opendata-file", args=[name, fmt])
        for name in ("ledger-monthly", "models")
        for fmt in ("csv", "json")
    ]
    months = sorted({(m.year, m.month) for m in MONTHS} | {(2023, 5), (2023, 12), (2024, 6)})
    for model in models:
        urls += [
            model.get_absolute_url(),
            reverse("public:initiative-poster", args=[model.slug]),
            reverse("public:initiative-timeline", args=[model.slug]),
        ]
        urls += [
            reverse("public:initiative-notice", args=[model.slug, year, month])
            for year, month in months
        ]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts.append(body.decode("utf-8-sig"))
    return texts


def _numbers(texts, models) -> tuple[set[int], set[Decimal]]:
    """Amounts (dot-grouped or plain digits) and quantities ("245,1") of every text, after
    taking out the names the factories number ("Lĩnh vực 275" before a CSV's comma)."""
    names = {
        name
        for model in models
        for name in (model.title, model.code, model.slug, model.field.name, model.admin_unit.name)
    }
    money, quantities = set(), set()
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        for found in MONEY.findall(text):
            value = int(found.replace(".", ""))
            if value >= 10_000:
                money.add(value)
        for found in QUANTITY.findall(text):
            quantities.add(Decimal(found.replace(",", ".")))
    return money, quantities


def _revealed(shown: set, secrets: set) -> set:
    """Secrets equal to a shown number, or to the difference of two: (number,) or (a, b)."""
    found = {(value,) for value in shown & secrets}
    ordered = sorted(shown)
    for i, high in enumerate(ordered):
        for low in ordered[:i]:
            if high - low in secrets:
                found.add((high, low))
    return found


@pytest.mark.parametrize("seed", range(24))
def test_no_public_number_nor_difference_of_two_gives_away_a_hidden_amount(client, official, seed):
    rng = random.Random(seed)
    models, hidden = _ledger(rng, official)

    money, quantities = _numbers(_public_texts(client, models), models)

    for person, secret in hidden.items():
        amounts = _subset_sums(secret["amounts"]) | _subset_sums(secret["pledges"])
        assert not _revealed(money, amounts), (seed, person, secret)
        assert not _revealed(quantities, _subset_sums(secret["quantities"])), (seed, secret)


def test_the_generated_ledgers_still_show_totals_where_enough_people_gave(client, official):
    """The rule withholds only what it must: three households without consent in one month
    leave the model's total, its month and the ward's year shown."""
    model = factories.make_initiative()
    for n, amount in enumerate((1_234_567, 2_345_671, 3_456_712)):
        make_donation(
            initiative=model,
            contributor=make_contributor(f"Hộ kín {n}"),
            amount=amount,
            received_on=date(2023, 4, 2 + n),
        )
    total = "7.036.950"
    assert total in client.get(model.get_absolute_url()).content.decode()
    notice = reverse("public:initiative-notice", args=[model.slug, 2023, 4])
    assert total in client.get(notice).content.decode()
    assert total in client.get(reverse("public:report") + "?year=2023").content.decode()


@override_settings(DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS=3)
def test_k_is_a_setting_two_hidden_contributors_together_are_withheld_when_k_is_three(client):
    model = factories.make_initiative()
    for n, amount in enumerate((1_234_567, 2_345_671)):
        make_donation(
            initiative=model,
            contributor=make_contributor(f"Hộ kín {n}"),
            amount=amount,
            received_on=date(2023, 4, 2 + n),
        )
    html = client.get(model.get_absolute_url()).content.decode()
    assert "3.580.238" not in html
    assert "dưới 3 người đóng góp" in html
    with override_settings(DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS=2):
        assert "3.580.238" in client.get(model.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", ["1", "two"])
def test_a_k_below_two_or_not_a_number_stops_start_up_and_names_the_variable(value):
    result = start(DJANGO_SECRET_KEY="s" * 50, DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS=value)
    assert result.returncode != 0
    assert "DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS" in result.stderr.strip().splitlines()[-1]
