"""No public figure, nor the difference of public figures, gives away a hidden amount
(campaigns.queries.disclosure)."""

import pytest

from tests import factories
from tests.campaigns.factories import make_contributor, make_donation

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
