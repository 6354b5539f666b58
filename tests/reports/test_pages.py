"""The report pages and exports over the known dataset: content, files, privacy, access, cost."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Contributor, Donation
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_pledge
from tests.campaigns.factories_reviews import make_commendation, make_recognition
from tests.queries import assert_constant_queries
from tests.reports import dataset

pytestmark = pytest.mark.django_db

QUERY = "?period=year&year=2023"


@pytest.fixture
def data():
    return dataset.build()


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report", "report-print", "report-xlsx", "report-csv"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    url = reverse(f"workspace:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["report", "report-print", "report-xlsx", "report-csv"])
def test_workspace_users_without_the_report_permission_get_403(client, name):
    user = factories.make_user("xem")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="view_initiative")
    )
    client.force_login(user)
    response = client.get(reverse(f"workspace:{name}") + QUERY)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_officials_and_the_committee_have_the_report_and_its_nav_link(
    client, official, committee_member
):
    for user in (official, committee_member):
        client.force_login(user)
        html = client.get(reverse("workspace:report")).content.decode()
        assert "Báo cáo sơ kết, tổng kết" in html
        assert f'href="{reverse("workspace:report")}" aria-current="page"' in html


def test_the_public_header_links_to_the_public_summary(client):
    html = client.get(reverse("public:home")).content.decode()
    assert f'href="{reverse("public:report")}"' in html


# --- the workspace page ---------------------------------------------------------------------------


def test_the_report_page_shows_the_figures_charts_and_export_links(official_client, data):
    response = official_client.get(reverse("workspace:report") + QUERY)
    html = response.content.decode()
    assert 'data-figure="total">3<' in html
    assert 'data-figure="received-total">60.500.000\u00a0₫<' in html
    assert 'data-figure="pledged-total">26.500.000\u00a0₫<' in html
    assert "2 trong số 3 mô hình, điển hình được công nhận." in html
    assert dataset.UNPUBLISHED_RECOGNITION in html  # the workspace sees approved decisions
    assert html.count('role="img"') == 3
    assert '<title id="chart-field-title">Mô hình, điển hình theo lĩnh vực</title>' in html
    assert "Văn hoá – xã hội: 2" in html  # the chart's text alternative
    assert " style=" not in html
    for name in ("report-print", "report-xlsx", "report-csv"):
        assert f'href="{reverse(f"workspace:{name}")}?period=year&amp;year=2023"' in html


def test_the_report_page_defaults_to_the_latest_year_with_data(official_client, data):
    html = official_client.get(reverse("workspace:report")).content.decode()
    # 2024 has a donation, so it is the latest year with data.
    assert "Năm 2024" in html
    assert 'data-figure="received">7.000.000\u00a0₫<' in html


def test_an_invalid_period_shows_the_error_and_no_report(official_client, data):
    response = official_client.get(
        reverse("workspace:report") + "?period=range&start=2023-05-01&end=2023-01-01"
    )
    html = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in html
    assert 'data-figure="total"' not in html
    xlsx = official_client.get(
        reverse("workspace:report-xlsx") + "?period=range&start=2023-05-01&end=2023-01-01"
    )
    assert xlsx.status_code == 400


def test_the_print_view_has_the_vietnamese_report_layout(official_client, data, settings):
    """A report of the party's mass mobilisation bloc is a party document: the party's
    header (ĐẢNG CỘNG SẢN VIỆT NAM), not the state's national title and motto."""
    settings.WARD_NAME = "Phường Sầm Sơn"
    html = official_client.get(reverse("workspace:report-print") + QUERY).content.decode()
    assert '<p class="doc-nation-name doc-party-name">ĐẢNG CỘNG SẢN VIỆT NAM</p>' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in html
    assert "Độc lập - Tự do - Hạnh phúc" not in html
    assert "ĐẢNG ỦY PHƯỜNG SẦM SƠN" in html
    assert "KHỐI DÂN VẬN" in html
    assert "Sầm Sơn, ngày …… tháng …… năm ……" in html
    assert "Kết quả thực hiện phong trào thi đua “Dân vận khéo” — Năm 2023" in html
    assert "css/print-report.css" in html
    assert 'data-figure="received-total">60.500.000\u00a0₫<' in html


def test_screens_cap_the_lists_of_decisions_and_the_print_view_keeps_them_all(
    official_client, client, data, monkeypatch
):
    from wardmodels.public.views import report as public_views
    from wardmodels.workspace.views import reports as report_views

    monkeypatch.setattr(report_views, "SCREEN_DECISIONS", 1)
    html = official_client.get(reverse("workspace:report") + QUERY).content.decode()
    assert html.count("12-QĐ/ĐU") == 1
    assert dataset.UNPUBLISHED_RECOGNITION not in html
    assert "… và 1 quyết định công nhận khác" in html
    assert "… và 2 quyết định khen thưởng khác" in html
    printed = official_client.get(reverse("workspace:report-print") + QUERY).content.decode()
    assert dataset.UNPUBLISHED_RECOGNITION in printed
    assert "quyết định công nhận khác" not in printed
    monkeypatch.setattr(public_views, "PUBLIC_DECISIONS", 0)
    public = client.get(reverse("public:report") + "?year=2023").content.decode()
    assert "12-QĐ/ĐU" not in public
    assert "… và 1 quyết định công nhận khác" in public
    assert reverse("public:initiative-list") + "?recognised=1" in public


# --- XLSX -----------------------------------------------------------------------------------------


def test_the_xlsx_export_has_one_sheet_per_section_with_the_report_figures(official_client, data):
    response = official_client.get(reverse("workspace:report-xlsx") + QUERY)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "bao-cao-dan-van-kheo-20230101-20231231.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(_body(response)))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo trạng thái",
        "Theo khu dân cư",
        "Theo phường, xã",
        "Theo tổ chức chủ trì",
        "Đánh giá",
        "Công nhận",
        "Khen thưởng",
        "Đóng góp",
        "Đóng góp theo tháng",
        "Thu chi",
        "Danh sách công nhận",
        "Danh sách khen thưởng",
        "Danh sách mô hình",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.b, sheet.title

    def rows(title):
        return [list(r) for r in book[title].iter_rows(min_row=2, values_only=True)]

    summary = dict(rows("Tổng hợp"))
    assert summary["Từ ngày"] == dt.datetime(2023, 1, 1)
    assert summary["Đến ngày"] == dt.datetime(2023, 12, 31)
    assert book["Tổng hợp"]["B3"].number_format == "DD/MM/YYYY"
    assert summary["Tổng số mô hình, điển hình"] == 3
    assert summary["Mới trong kỳ"] == 2
    assert (summary["Đăng ký"], summary["Triển khai"]) == (3, 2)
    assert (summary["Được đánh giá"], summary["Được công nhận"]) == (2, 2)
    assert rows("Theo lĩnh vực") == [
        ["Kinh tế", None, 1],
        ["Văn hoá – xã hội", None, 2],
        ["Văn hoá – xã hội", "Bảo vệ môi trường", 1],
        ["Văn hoá – xã hội", "Chưa chia lĩnh vực cụ thể", 1],
    ]
    assert rows("Theo trạng thái") == [
        ["Đã đăng ký", 1],
        ["Đang thực hiện", 1],
        ["Đã hoàn thành", 1],
        ["Đã dừng", 0],
    ]
    assert rows("Theo khu dân cư") == [
        ["Khu phố 1", 2],
        ["Khu phố 2", 1],
        ["Chưa ghi khu dân cư", 1],
    ]
    assert rows("Theo phường, xã") == [["Sầm Sơn", None, 1], ["Trường Sơn", "Có", 2]]
    assert rows("Theo tổ chức chủ trì") == [
        ["Hội Nông dân", 1],
        ["Khối dân vận", 1],
        ["Chưa ghi tổ chức chủ trì", 1],
    ]
    evaluations = rows("Đánh giá")
    assert evaluations[0][2:] == [3, 80]
    assert [r[0] for r in evaluations[1:]] == ["R-01", "R-02"]
    assert [r[3] for r in evaluations[1:]] == [85, 70]
    assert rows("Công nhận") == [
        ["Đảng ủy phường", 0, 1, 1],
        ["Ban Chỉ đạo phường", 1, 0, 1],
        ["Cấp trên", 0, 0, 0],
        ["Số mô hình được công nhận / tổng số", 2, None, 3],
    ]
    commendations = rows("Khen thưởng")
    assert commendations[0] == ["Giấy khen của Chủ tịch UBND phường", 1, 2_000_000]
    assert commendations[2] == ["Biểu dương", 1, 500_000]
    assert commendations[-1] == ["Cộng", 3, 2_500_000]
    assert book["Khen thưởng"]["C2"].number_format == "#,##0"
    money_sheet = book["Đóng góp"]
    contributions = rows("Đóng góp")
    assert contributions[:5] == [
        ["Tiền mặt", 5_000_000, 9_000_000],
        ["Hiện vật", 20_000_000, 20_000_000],
        ["Ngày công", 1_500_000, 1_500_000],
        ["Đất", 0, 30_000_000],
        ["Cộng", 26_500_000, 60_500_000],
    ]
    assert money_sheet["B2"].number_format == "#,##0"
    assert money_sheet["C6"].number_format == "#,##0"
    assert [r[2] for r in contributions[5:10]] == [10, 50, 4, 2, 1]
    by_month = rows("Đóng góp theo tháng")
    assert by_month[2] == [dt.datetime(2023, 3, 1), 25_000_000]
    assert by_month[3] == [dt.datetime(2023, 4, 1), 0]
    assert by_month[11] == [dt.datetime(2023, 12, 1), 30_000_000]
    assert rows("Thu chi") == [
        ["Tiền mặt đã nhận trong kỳ", 9_000_000],
        ["Đã chi trong kỳ", 8_000_000],
        ["Chênh lệch thu chi trong kỳ", 1_000_000],
        ["Số dư tiền mặt đến cuối kỳ", 0],
    ]
    assert rows("Danh sách công nhận")[0] == [
        "R-01",
        "Đường hoa Lê Lợi",
        "Đảng ủy phường",
        "Tiêu biểu",
        "12-QĐ/ĐU",
        dt.datetime(2023, 12, 20),
    ]
    assert [r[5] for r in rows("Danh sách khen thưởng")] == [
        dataset.UNISSUED_DECISION,
        "7/QĐ-UBND",
        "8/QĐ-UBND",
    ]
    models = rows("Danh sách mô hình")
    assert [(r[0], r[11], r[12], r[13]) for r in models] == [
        ("R-01", 25_000_000, 25_000_000, 8_000_000),
        ("R-02", 1_500_000, 31_500_000, 0),
        ("R-03", 0, 4_000_000, 0),
    ]
    assert models[0][8] == dt.datetime(2023, 2, 1)
    assert book["Danh sách mô hình"]["M2"].number_format == "#,##0"


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_lists_the_models_in_utf8_with_a_bom(official_client, data):
    response = official_client.get(reverse("workspace:report-csv") + QUERY)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = _body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã số", "Tên mô hình, điển hình", "Loại"]
    assert rows[0][-5:] == [
        "Cam kết trong kỳ (đồng)",
        "Đã nhận trong kỳ (đồng)",
        "Đã chi trong kỳ (đồng)",
        "Góp ý của người dân tiếp nhận trong kỳ",
        "Góp ý đã trả lời",
    ]
    # No residents' feedback in this data set (the feedback columns: tests/participation).
    assert all(row[-2:] == ["0", "0"] for row in rows[1:])
    assert [row[:-2] for row in rows[1:]] == [
        [
            "R-01",
            "Đường hoa Lê Lợi",
            "Mô hình",
            "Văn hoá – xã hội",
            "Bảo vệ môi trường",
            "Đang thực hiện",
            "Trường Sơn",
            "Khối dân vận",
            "01/02/2023",
            "",
            "Có",
            "25000000",
            "25000000",
            "8000000",
        ],
        [
            "R-02",
            "Tổ tiết kiệm",
            "Điển hình",
            "Kinh tế",
            "",
            "Đã hoàn thành",
            "Trường Sơn",
            "Hội Nông dân",
            "01/05/2022",
            "",
            "Có",
            "1500000",
            "31500000",
            "0",
        ],
        [
            "R-03",
            dataset.UNPUBLISHED_MODEL,
            "Mô hình",
            "Văn hoá – xã hội",
            "",
            "Đã đăng ký",
            "Sầm Sơn",
            "",
            "01/08/2023",
            "",
            "Không",
            "0",
            "4000000",
            "0",
        ],
    ]


# --- the public summary ---------------------------------------------------------------------------


def _everyone_consents():
    """The dataset's contributors consent to nothing, and each kind of 2023 has one of them
    alone: the summary would withhold its money (campaigns.queries.disclosure)."""
    for contributor in Contributor.objects.all():
        contributor.publish_name = contributor.publish_amount = True
        contributor.save()


def test_the_public_summary_shows_aggregates_of_public_data(client, data):
    html = client.get(reverse("public:report") + "?year=2023").content.decode()
    assert 'data-figure="received">không công khai (*)<' in html
    _everyone_consents()
    html = client.get(reverse("public:report") + "?year=2023").content.decode()
    assert 'data-figure="total">2<' in html
    assert 'data-figure="received-total">56.500.000\u00a0₫<' in html
    assert "1 trong số 2 mô hình, điển hình được công nhận." in html
    assert "12-QĐ/ĐU" in html
    assert html.count('role="img"') == 3


def test_the_public_summary_reveals_nothing_private_or_unpublished(client, data):
    html = client.get(reverse("public:report") + "?year=2023").content.decode()
    for marker in (
        dataset.PHONE,
        dataset.ADDRESS,
        dataset.UNCONSENTED_NAME,
        dataset.UNPUBLISHED_RECOGNITION,
        dataset.UNISSUED_RECIPIENT,
        dataset.UNISSUED_DECISION,
        dataset.UNPUBLISHED_MODEL,
        "Hộ bà Lê Thị Hai",
        "Công ty TNHH Hoa Giấy",
    ):
        assert marker not in html, marker


def test_the_public_summary_defaults_to_the_latest_year_and_offers_all_years(client, data):
    html = client.get(reverse("public:report")).content.decode()
    assert "Kết quả phong trào “Dân vận khéo”: Năm 2024" in html
    _everyone_consents()
    html = client.get(reverse("public:report") + "?year=all").content.decode()
    assert "Từ năm 2022 đến năm 2024" in html
    # 2022 started M2; everything public received from 2022 to 2024: 56.500.000 + 7.000.000
    assert 'data-figure="received-total">63.500.000\u00a0₫<' in html
    html = client.get(reverse("public:report") + "?year=khong-phai-nam").content.decode()
    assert "Năm 2024" in html


# --- cost: the same number of queries for 1 and 3 of everything ---------------------------------


def _grow():
    """Two more models of each kind of row: donations, pledges, decisions, areas."""
    for _ in range(2):
        initiative = factories.make_initiative(started_on=dt.date(2023, 3, 1))
        initiative.residential_areas.add(factories.make_area())
        contributor = make_contributor(kind="business")
        make_pledge(initiative=initiative, contributor=contributor, pledged_on=dt.date(2023, 3, 1))
        make_donation(initiative=initiative, contributor=contributor)
        make_donation(
            initiative=initiative,
            kind="land",
            quantity=Decimal("3"),
            received_on=dt.date(2023, 7, 1),
        )
        make_recognition(initiative, status="published", decision_number="1-QĐ")
        make_commendation(initiative, status="issued")


def _seed():
    initiative = factories.make_initiative(started_on=dt.date(2023, 2, 1))
    make_donation(initiative=initiative)
    make_recognition(initiative, status="published")
    make_commendation(initiative, status="issued")


@pytest.mark.parametrize(
    "name",
    ["workspace:report", "workspace:report-print", "workspace:report-xlsx", "workspace:report-csv"],
)
def test_workspace_report_queries_do_not_grow_with_the_data(official_client, name):
    _seed()
    url = reverse(name) + QUERY
    assert_constant_queries(lambda: _body(official_client.get(url)), _grow)
    assert Donation.objects.count() == 5


def test_public_summary_queries_do_not_grow_with_the_data(client):
    _seed()
    url = reverse("public:report") + "?year=2023"

    def grow_then_warm():
        # The ward's disclosure state is worked out once per change of the data (three more
        # queries, then kept in the cache): compare the pages that read it from the cache.
        _grow()
        client.get(url)

    html = assert_constant_queries(lambda: client.get(url).content.decode(), grow_then_warm)
    assert 'data-figure="total">3<' in html
