"""The Atom feed carries data as text: a hostile title, decision number, milestone or reason
reaches a feed reader as characters, never as markup."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from campaigns.review_choices import RecognitionStatus
from registry import workflow
from registry.choices import InitiativeStatus
from registry.workflow import initiative_approve
from tests import factories
from tests.campaigns.factories_reviews import make_recognition
from tests.participation.factories import make_answered

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<img src=x onerror=alert(1)>"
# Every element an Atom entry of this feed may hold; anything else came from data.
ATOM_ELEMENTS = {
    f"{ATOM}{name}"
    for name in ("feed", "title", "link", "id", "updated", "published", "entry", "summary")
}
# The id prefix of each kind of entry (wardmodels/opendata/feed.py's EVENT_SOURCES).
ENTRY_KINDS = (
    "initiative/{model}/published",
    "initiative/{model}/status/",
    "recognition/",
    "milestone/{milestone}/published",
    "milestone/{milestone}/withdrawn",
    "feedback/",
)


@pytest.fixture
def hostile_feed(committee_member, official):
    """One entry of every kind, each carrying the hostile text where data goes."""
    model = factories.make_initiative(HOSTILE, status=InitiativeStatus.REGISTERED)
    initiative_approve(initiative=model, by=committee_member)
    make_recognition(model, status=RecognitionStatus.PUBLISHED, decision_number=HOSTILE)
    editor = factories.make_user("congbo-doc-hai", is_superuser=True)
    milestone = factories.make_published_milestone(
        model, by=editor, title=HOSTILE, occurred_on=date(2023, 4, 10)
    )
    workflow.milestone_withdraw(milestone=milestone, by=editor, reason=HOSTILE)
    make_answered(model, by=official, text="Đề nghị thêm biển chỉ dẫn ở đầu đường hoa.")
    return {"model": model.pk, "milestone": milestone.pk}


def test_every_feed_entry_carries_data_as_text_and_never_as_markup(client, hostile_feed):
    response = client.get(reverse("public:opendata-feed"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    for kind in ENTRY_KINDS:
        wanted = kind.format(**hostile_feed)
        assert [i for i in ids if wanted in i], f"no {wanted} entry: the test proves nothing"
    # No element from data: the hostile <img> is characters inside an Atom element.
    assert {element.tag for element in root.iter()} <= ATOM_ELEMENTS
    for entry in entries:
        for name in ("title", "summary"):
            element = entry.find(f"{ATOM}{name}")
            # Atom's default (no type) is text; "html" would make a reader render the data.
            assert element.get("type", "text") == "text", (name, element.attrib)
    texts = [entry.findtext(f"{ATOM}summary") for entry in entries]
    assert sum(HOSTILE in text for text in texts) >= 5  # present, as plain characters
