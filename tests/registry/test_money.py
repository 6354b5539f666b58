"""The one money input: sums typed the Vietnamese way are read in full or refused, never cut."""

import pytest
from django.contrib import admin
from django.db import models

from campaigns.forms import DonationForm, ExpenseForm, PledgeForm
from campaigns.forms.commendations import CommendationProposalForm
from registry.forms import InitiativeForm
from registry.money import (
    MoneyField,
    MoneyFormField,
    MoneyInput,
    MoneyParseError,
    parse_vnd,
)

NBSP, NARROW, THIN = "\u00a0", "\u202f", "\u2009"

READ = [
    ("2000000", 2_000_000),
    ("2.000.000", 2_000_000),
    ("2 000 000", 2_000_000),
    (f"2{NBSP}000{NBSP}000", 2_000_000),
    (f"2{NARROW}000{NARROW}000", 2_000_000),
    (f"2{THIN}000{THIN}000", 2_000_000),
    ("2.000.000 ₫", 2_000_000),
    (f"2.000.000{NBSP}₫", 2_000_000),
    ("2.000.000₫", 2_000_000),
    ("2.000.000 đ", 2_000_000),
    ("2.000.000đ", 2_000_000),
    ("2.000.000 đồng", 2_000_000),
    ("2.000.000 VND", 2_000_000),
    ("2.000.000 vnđ", 2_000_000),
    ("2000000 VND", 2_000_000),
    ("  60.000.000  ", 60_000_000),
    ("60.000.000", 60_000_000),
    ("999", 999),
    ("1.000", 1_000),
    ("0", 0),
    ("12.345.678.901.234", 12_345_678_901_234),
    ("9.223.372.036.854.775.807", 2**63 - 1),
    ("", None),
    ("   ", None),
    (None, None),
    (2_000_000, 2_000_000),
    (2_000_000.0, 2_000_000),
]

REFUSED = [
    ("2.000000", "money_grouping"),
    ("2.00.000", "money_grouping"),
    ("2.0000.000", "money_grouping"),
    ("2000.000.0", "money_grouping"),
    ("2.000.", "money_grouping"),
    (".000", "money_grouping"),
    ("2 000.000", "money_grouping"),
    ("2,5", "money_comma"),
    ("2,000,000", "money_comma"),
    ("2.000.000,00", "money_comma"),
    ("-2.000.000", "money_negative"),
    ("-5", "money_negative"),
    ("2tr", "money_invalid"),
    ("hai triệu", "money_invalid"),
    ("²", "money_invalid"),
    ("٢٠٠٠", "money_invalid"),
    ("２０００", "money_invalid"),
    ("2e6", "money_invalid"),
    ("0x10", "money_invalid"),
    ("₫", "money_invalid"),
    ("-", "money_invalid"),
    ("2\x00000", "money_invalid"),
    (2.5, "money_decimal"),
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_parse_vnd_reads_every_usual_spelling_in_full(text, expected):
    assert parse_vnd(text) == expected


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_parse_vnd_refuses_what_it_would_have_to_guess_with_a_reason(text, code):
    with pytest.raises(MoneyParseError) as caught:
        parse_vnd(text)
    assert caught.value.code == code
    assert str(caught.value.message)


def test_parse_vnd_reads_a_negative_sum_only_where_one_is_allowed():
    assert parse_vnd("-2.000.000 ₫", allow_negative=True) == -2_000_000
    assert parse_vnd("\u22122.000", allow_negative=True) == -2_000


def test_the_refusals_explain_in_vietnamese_how_to_type_the_sum():
    with pytest.raises(MoneyParseError) as grouping:
        parse_vnd("2.000000")
    assert "3 chữ số" in str(grouping.value.message)
    assert "2.000.000" in str(grouping.value.message)
    with pytest.raises(MoneyParseError) as comma:
        parse_vnd("2,5")
    assert "dấu phẩy" in str(comma.value.message)


@pytest.mark.parametrize(("text", "expected"), [(t, e) for t, e in READ if isinstance(t, str)])
def test_the_money_form_field_cleans_each_spelling_to_the_whole_sum(text, expected):
    field = MoneyFormField(required=False)
    assert field.clean(text) == expected


def test_the_money_form_field_refuses_a_sum_too_large_for_the_column():
    field = MoneyFormField()
    with pytest.raises(Exception) as caught:
        field.clean("9.223.372.036.854.775.808")
    assert "lớn quá mức" in str(caught.value)


def test_the_money_input_is_a_numeric_text_input_showing_what_it_read():
    html = MoneyInput().render("amount", "2000000", attrs={"id": "id_amount"})
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert 'value="2000000"' in html  # as typed
    assert 'value="2.000.000"' in MoneyInput().render("amount", 2_000_000)  # a stored sum
    assert '<output class="money-hint" id="id_amount_money" for="id_amount"' in html
    assert "= 2.000.000\u00a0₫" in html
    assert 'aria-describedby="id_amount_money"' in html
    typed_wrong = MoneyInput().render("amount", "2.000000", attrs={"id": "id_amount"})
    assert 'value="2.000000"' in typed_wrong  # kept as typed, to be corrected
    assert "= " not in typed_wrong.split("<output")[1]


@pytest.mark.parametrize(
    ("form_class", "field", "kwargs"),
    [
        (PledgeForm, "value", {}),
        (DonationForm, "amount", {"initiative": None}),
        (ExpenseForm, "amount", {}),
        (InitiativeForm, "funding_target", {}),
        (CommendationProposalForm, "prize_amount", {}),
    ],
)
@pytest.mark.django_db
def test_every_workspace_form_with_a_sum_uses_the_money_input(form_class, field, kwargs):
    form = form_class(**kwargs)
    assert isinstance(form.fields[field], MoneyFormField)
    assert isinstance(form.fields[field].widget, MoneyInput)


def _money_columns():
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.IntegerField) and "đồng" in str(
                getattr(field, "verbose_name", "")
            ):
                yield model, field


def test_every_column_in_dong_is_a_money_field():
    columns = [(m, f) for m, f in _money_columns() if not m.__name__.startswith("Historical")]
    names = {f"{m.__name__}.{f.name}" for m, f in columns}
    assert {
        "Initiative.funding_target",
        "Pledge.value",
        "Donation.amount",
        "Expense.amount",
        "Commendation.prize_amount",
    } <= names
    for model, field in columns:
        assert isinstance(field, MoneyField), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
def test_every_admin_form_with_a_sum_uses_the_money_input(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    seen = set()
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request)
        for name, form_field in form.base_fields.items():
            db_field = next((f for f in model._meta.concrete_fields if f.name == name), None)
            if isinstance(db_field, MoneyField):
                assert isinstance(form_field, MoneyFormField), f"{model.__name__}.{name}"
                assert isinstance(form_field.widget, MoneyInput), f"{model.__name__}.{name}"
                seen.add(f"{model.__name__}.{name}")
    assert {"Initiative.funding_target", "Pledge.value", "Commendation.prize_amount"} <= seen
