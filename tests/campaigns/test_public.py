import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import RecognitionStatus as R
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db


def _page(client, initiative):
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_recognition_shows_as_a_badge_with_level_round_and_decision(client):
    recognition = f.make_recognition(
        status=R.PUBLISHED,
        decision_number="45-QĐ/ĐU",
        review_round=f.make_round(title="Sơ kết 6 tháng đầu năm 2023"),
    )
    body = _page(client, recognition.initiative)
    assert "Công nhận và khen thưởng" in body
    assert "Được Đảng ủy phường công nhận" in body
    assert "Sơ kết 6 tháng đầu năm 2023" in body
    assert "Quyết định số 45-QĐ/ĐU" in body


@pytest.mark.parametrize("status", [R.PROPOSED, R.APPROVED, R.REJECTED])
def test_an_unpublished_recognition_is_invisible_to_the_public(client, status):
    recognition = f.make_recognition(status=status, decision_number="45-QĐ/ĐU")
    body = _page(client, recognition.initiative)
    assert "Công nhận và khen thưởng" not in body
    assert "45-QĐ/ĐU" not in body


def test_an_issued_commendation_shows_with_its_form_and_decision(client):
    commendation = f.make_commendation(status=C.ISSUED, decision_number="215/QĐ-UBND")
    body = _page(client, commendation.initiative)
    assert "Giấy khen của Chủ tịch UBND phường" in body
    assert "Quyết định số 215/QĐ-UBND ngày 20/12/2023" in body
    assert commendation.recipient_name in body


@pytest.mark.parametrize("status", [C.DRAFT, C.SUBMITTED, C.DECIDED, C.REJECTED, C.REVOKED])
def test_a_commendation_not_issued_or_revoked_is_invisible(client, status):
    commendation = f.make_commendation(status=status, recipient_name="Hộ ông Lê Văn B")
    body = _page(client, commendation.initiative)
    assert "Hộ ông Lê Văn B" not in body


def test_a_record_without_a_decision_number_says_so(client):
    recognition = f.make_recognition(status=R.PUBLISHED, decision_number="", decided_on=None)
    assert "Chưa có số quyết định trong nguồn" in _page(client, recognition.initiative)


def test_the_detail_page_query_count_does_not_grow_with_decisions(client):
    def make(n):
        initiative = factories.make_initiative()
        for _ in range(n):
            f.make_recognition(initiative, status=R.PUBLISHED)
            f.make_commendation(initiative, status=C.ISSUED)
        return initiative

    one, three = make(1), make(3)
    assert (
        _queries(client, one.get_absolute_url())[0] == _queries(client, three.get_absolute_url())[0]
    )


def test_the_registry_filters_recognised_models(client):
    recognised = f.make_recognition(status=R.PUBLISHED).initiative
    f.make_recognition(recognised, status=R.PUBLISHED, level="higher")  # no duplicate row
    approved_only = f.make_recognition(status=R.APPROVED).initiative
    plain = factories.make_initiative()
    url = reverse("public:initiative-list")
    body = client.get(url, {"recognised": "1"}).content.decode()
    assert recognised.title in body
    assert body.count(recognised.title) == client.get(url).content.decode().count(recognised.title)
    assert approved_only.title not in body
    assert plain.title not in body
    everything = client.get(url).content.decode()
    assert plain.title in everything and approved_only.title in everything


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


def test_the_recognised_list_runs_the_same_number_of_queries_for_1_and_3_models(client):
    url = reverse("public:initiative-list")
    f.make_recognition(status=R.PUBLISHED)
    with_one, response = _queries(client, url, {"recognised": "1"})
    assert response.context["paginator"].count == 1
    for _ in range(2):
        f.make_recognition(status=R.PUBLISHED)
    with_three, response = _queries(client, url, {"recognised": "1"})
    assert response.context["paginator"].count == 3
    assert with_one == with_three


def test_the_home_page_counts_recognised_models(client):
    f.make_recognition(status=R.PUBLISHED)
    twice = f.make_recognition(status=R.PUBLISHED)
    f.make_recognition(twice.initiative, status=R.PUBLISHED, level="higher")
    f.make_recognition(status=R.APPROVED)  # not yet public
    hidden = factories.make_initiative(published=False)
    f.make_recognition(hidden, status=R.PUBLISHED)  # the model itself is not public
    response = client.get(reverse("public:home"))
    assert response.context["overview"]["recognised"] == 2
    assert response.context["overview"]["models"] == 3
    assert "Mô hình, điển hình được công nhận" in response.content.decode()
