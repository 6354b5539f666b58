"""Whatever the residents' form and the public list receive, the answer is the form again or a
page, never a 500, and a refused form writes nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from participation.models import Feedback, FeedbackPhoto
from tests import factories
from wardmodels import formclock

pytestmark = pytest.mark.django_db

bounded = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)


@pytest.fixture
def initiative(db):
    return factories.make_initiative()


@bounded
@given(
    kind=any_text,
    text=any_text,
    name=any_text,
    phone=any_text,
    consent=st.sampled_from(["", "on", "x"]),
    started=any_text,
)
@example(kind="question", text="a" * 5000, name="", phone="", consent="", started="")
@example(kind="question", text="\x00" * 30, name="\x00", phone="\x00", consent="on", started="x")
def test_the_form_never_fails_and_a_refusal_writes_nothing(
    client, initiative, kind, text, name, phone, consent, started
):
    before = Feedback.objects.count()
    data = {"kind": kind, "text": text, "name": name, "phone": phone, "form_started": started}
    if consent:
        data["contact_consent"] = consent
    response = client.post(reverse("public:feedback-submit", args=[initiative.slug]), data)
    assert response.status_code in (302, 400, 429), response.status_code
    if response.status_code != 302:
        assert Feedback.objects.count() == before
        assert FeedbackPhoto.objects.count() == 0


@bounded
@given(
    params=st.dictionaries(
        st.sampled_from(["model", "kind", "status", "answered", "page", "x"]),
        any_text,
        max_size=4,
    )
)
def test_the_public_list_never_fails_on_odd_query_strings(client, initiative, params):
    response = client.get(reverse("public:feedback-list"), params)
    assert response.status_code in (200, 404), response.status_code


def test_a_nul_byte_in_a_valid_form_is_refused_with_a_message(client, initiative):
    response = client.post(
        reverse("public:feedback-submit", args=[initiative.slug]),
        {
            "kind": "question",
            "text": "Xin hỏi về lịch thu gom rác\x00 ở tổ dân phố số 3 ạ?",
            "form_started": formclock.stamp(),
        },
    )
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
