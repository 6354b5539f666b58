"""First run for a real ward: `manage.py setup_ward` with arguments or answers, idempotent."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registry.models import AdminUnit, Field, Initiative

pytestmark = pytest.mark.django_db

ARGS = [
    "--name", "Sầm Sơn", "--code", "16006", "--since", "2025-07-01",
    "--former", "Trường Sơn:2025-06-30", "--former", "Bắc Sơn:2019-01-01:2025-06-30",
    "--admin", "quantri", "--admin-email", "quantri@phuong.gov.vn", "--no-input",
]  # fmt: skip


def _state():
    return (
        sorted(
            AdminUnit.objects.values_list(
                "name", "code", "valid_from", "valid_to", "successor__name"
            )
        ),
        sorted(Field.objects.values_list("slug", "name", "parent__slug", "order")),
        list(get_user_model().objects.values_list("username", "is_superuser", "password")),
    )


def test_setup_ward_sets_up_the_ward_its_former_wards_fields_and_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mat-khau-dai-va-kho-doan-2026")
    call_command("setup_ward", *ARGS, stdout=io.StringIO())

    ward = AdminUnit.objects.get(code="16006")
    assert (ward.name, ward.kind, ward.valid_from, ward.valid_to) == (
        "Sầm Sơn", "ward", dt.date(2025, 7, 1), None,
    )  # fmt: skip
    formers = {u.name: u for u in ward.predecessors.all()}
    assert set(formers) == {"Trường Sơn", "Bắc Sơn"}
    assert formers["Trường Sơn"].valid_to == dt.date(2025, 6, 30)
    assert formers["Bắc Sơn"].valid_from == dt.date(2019, 1, 1)
    assert Field.objects.filter(parent=None).count() == 4 and Field.objects.count() == 10
    assert Field.objects.get(slug="bao-ve-moi-truong").parent.slug == "van-hoa-xa-hoi"
    assert not Initiative.objects.exists()  # no demo models
    admin = get_user_model().objects.get(username="quantri")
    assert admin.is_superuser and admin.check_password("mat-khau-dai-va-kho-doan-2026")


def test_setup_ward_run_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mat-khau-dai-va-kho-doan-2026")
    call_command("setup_ward", *ARGS, stdout=io.StringIO())
    before = _state()
    out = io.StringIO()
    call_command("setup_ward", *ARGS, stdout=out)
    assert _state() == before
    assert "exists already" in out.getvalue()


def test_setup_ward_asks_for_what_is_not_given(monkeypatch):
    answers = iter(["Quảng Tiến", "", "40123", "2025-07-01", "Quảng Cư:2025-06-30", "", "admin2"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "mat-khau-dai-va-kho-doan-2026")
    call_command("setup_ward", stdout=io.StringIO())
    ward = AdminUnit.objects.get(code="40123")
    assert ward.name == "Quảng Tiến" and ward.kind == "ward"
    assert [u.name for u in ward.predecessors.all()] == ["Quảng Cư"]
    assert get_user_model().objects.get(username="admin2").is_superuser


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (["--code", "1600"], "5 digits"),
        (["--former", "Trường Sơn:30/06/2025"], "not a date"),
        (["--former", "Trường Sơn:2025-06-30:2019-01-01"], "before the first"),
    ],
)
def test_setup_ward_refuses_bad_input_and_saves_nothing(monkeypatch, bad, message):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mat-khau-dai-va-kho-doan-2026")
    args = [*ARGS]
    flag = bad[0]
    args[args.index(flag) + 1] = bad[1]
    with pytest.raises(CommandError, match=message):
        call_command("setup_ward", *args, stdout=io.StringIO())
    assert not AdminUnit.objects.exists() and not get_user_model().objects.exists()
