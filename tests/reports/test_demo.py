"""The public summary over the demo data (the 2023 article about phường Trường Sơn)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_public_summary_shows_the_le_loi_figures(demo, client):
    html = client.get(reverse("public:report")).content.decode()
    assert "Kết quả phong trào “Dân vận khéo”: Năm 2023" in html
    assert 'data-figure="received-total">310.000.000\u00a0₫<' in html
    assert 'data-figure="recognised">1<' in html
    assert "1 trong số 6 mô hình, điển hình được công nhận." in html
    assert "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi" in html  # the recognised model
    assert "Chưa có số quyết định trong nguồn" in html  # no invented decision number
    # No expense is recorded: no balance that would suggest the money is unspent.
    assert "Chưa ghi khoản chi nào, nên chưa tính số dư." in html
    assert 'data-figure="balance"' not in html


def test_the_workspace_report_of_the_demo_year(demo, official_client):
    html = official_client.get(reverse("workspace:report")).content.decode()
    assert "Năm 2023" in html
    assert 'data-figure="received-total">310.000.000\u00a0₫<' in html
