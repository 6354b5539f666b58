"""NUL and lone surrogates get the 400 page wherever they are sent, on both databases.

PostgreSQL refuses NUL in any text value and SQLite stores it; no UTF-8 page holds a lone
surrogate, yet a request declaring the UTF-7 charset decodes into one. Each case below gave a
500 on PostgreSQL (or on both) before one middleware refused them for every view.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse

from campaigns.models import Donation
from participation.models import Feedback
from tests import factories
from tests.campaigns.factories import make_contributor

pytestmark = pytest.mark.django_db

UNREADABLE = "ký tự không đọc được"

ADMIN_LISTS = [
    "registry/initiative",
    "registry/milestone",
    "participation/feedback",
    "campaigns/commendation",
    "campaigns/recognition",
    "campaigns/reviewround",
]


@pytest.fixture
def admin(client):
    client.force_login(factories.make_user("quantri", is_staff=True, is_superuser=True))
    return client


def _assert_refused(response):
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and UNREADABLE in page
    assert "cannot be read" in page  # the English line


def test_a_nul_in_a_feedback_code_is_a_400(client):
    _assert_refused(client.get("/gop-y/%00/"))
    _assert_refused(client.get("/gop-y/GY%00/?t=abc"))


def test_a_nul_in_a_rating_address_is_a_400_and_rates_nothing(client):
    _assert_refused(client.post("/gop-y/GY%00/danh-gia/", {"t": "x", "rating": "4"}))
    assert not Feedback.objects.filter(rating__isnull=False).exists()


def test_a_nul_in_the_ledger_s_contributor_search_is_a_400(admin):
    pk = factories.make_initiative().pk
    _assert_refused(admin.get(f"/quan-ly/mo-hinh/{pk}/dong-gop/?q=%00"))


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_a_nul_in_an_admin_list_filter_is_a_400(admin, model):
    _assert_refused(admin.get(f"/admin/{model}/?status__exact=%00"))


def test_a_nul_as_an_admin_form_s_initial_value_is_a_400(admin):
    _assert_refused(admin.get("/admin/campaigns/donation/add/?contributor=%00"))


def test_a_nul_in_a_form_field_is_a_400_and_records_nothing(admin):
    initiative = factories.make_initiative()
    response = admin.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": make_contributor("Hộ ông Ba").pk,
            "donation-kind": "cash",
            "donation-amount": "3000000",
            "donation-received_on": "2023-04-01",
            "donation-receipt_number": "BN-\x00",
        },
    )
    _assert_refused(response)
    assert not Donation.objects.exists()


def test_a_lone_surrogate_sent_as_utf_7_is_a_400(client):
    # "+2AA-" is U+D800 in UTF-7: Django decodes the query string and a multipart form with
    # the charset the request declares (an urlencoded body must be UTF-8: Django's own 400).
    _assert_refused(client.get("/mo-hinh/?q=%2B2AA-", CONTENT_TYPE="text/plain; charset=utf-7"))
    body = b'--B\r\nContent-Disposition: form-data; name="text"\r\n\r\n+2AA-\r\n--B--\r\n'
    url = reverse("public:feedback-submit", args=[factories.make_initiative().slug])
    response = client.generic(
        "POST", url, body, content_type="multipart/form-data; boundary=B; charset=utf-7"
    )
    _assert_refused(response)
    assert not Feedback.objects.exists()


def test_a_nul_in_a_cookie_is_a_400(client):
    client.cookies["sessionid"] = "abc\x00def"
    _assert_refused(client.get(reverse("public:home")))


def test_ordinary_vietnamese_text_and_percent_signs_pass(client):
    response = client.get("/mo-hinh/", {"q": "Đường hoa 100% Lê Lợi"})
    assert response.status_code == 200
    assert "Mô hình, điển hình" in response.content.decode()
    assert quote("Đường") in reverse("public:initiative-list") + "?q=" + quote("Đường")


@pytest.mark.parametrize("contributor", ["²", "٣", "9" * 10_000, "9" * 30, "-1"])
def test_an_odd_contributor_id_in_a_donation_is_the_form_again_and_records_nothing(
    admin, contributor
):
    """'²'.isdigit() is true and int('²') fails: the field's own parsing decides."""
    initiative = factories.make_initiative()
    response = admin.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": contributor,
            "donation-kind": "cash",
            "donation-amount": "3000000",
            "donation-received_on": "2023-04-01",
            "donation-receipt_number": "BN-0999",
        },
    )
    assert response.status_code == 200
    form = response.context["forms"]["donation"]
    assert (
        "người đóng góp" in str(form.errors) and form.data["donation-receipt_number"] == "BN-0999"
    )
    assert not Donation.objects.exists()
