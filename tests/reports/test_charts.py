"""The server-drawn SVG charts: text alternatives, labels, values, nothing CSP would block."""

from campaigns import charts


def test_a_bar_chart_has_a_title_a_description_axis_labels_and_values():
    svg = charts.horizontal_bars(
        "c1",
        title="Mô hình theo lĩnh vực",
        items=[("Kinh tế", 3), ("Văn hoá – xã hội", 12)],
        axis_label="Số mô hình",
        category_label="Lĩnh vực",
    )
    assert svg.startswith('<svg class="chart" id="c1" role="img"')
    assert 'aria-label="Mô hình theo lĩnh vực. Kinh tế: 3; Văn hoá – xã hội: 12"' in svg
    assert '<title id="c1-title">Mô hình theo lĩnh vực</title>' in svg
    assert '<desc id="c1-desc">Kinh tế: 3; Văn hoá – xã hội: 12</desc>' in svg
    assert ">Số mô hình</text>" in svg and ">Lĩnh vực</text>" in svg
    assert ">12</text>" in svg and ">3</text>" in svg
    assert " style=" not in svg and "<script" not in svg


def test_labels_are_escaped():
    svg = charts.horizontal_bars(
        "c2", title="<b>", items=[('<script>"x"', 1)], axis_label="a", category_label="b"
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_an_empty_chart_says_there_is_no_data():
    svg = charts.horizontal_bars("c3", title="T", items=[], axis_label="a", category_label="b")
    assert "Không có số liệu" in svg


def test_money_columns_show_millions_on_each_month_and_the_funnel_shows_shares():
    svg = charts.columns(
        "c4",
        title="Đóng góp theo tháng",
        items=[("03/2023", 25_000_000), ("04/2023", 0), ("12/2023", 1_500_000)],
        axis_label="triệu đồng",
        category_label="Tháng",
    )
    assert ">25</text>" in svg and ">1,5</text>" in svg and ">03/2023</text>" in svg
    assert "03/2023: 25 triệu đồng" in svg
    funnel = charts.funnel(
        "c5", title="Lộ trình", steps=[("Đăng ký", 8), ("Được công nhận", 2)], axis_label="x"
    )
    assert ">2 (25%)</text>" in funnel
