"""The posters' short links: codes given once, collision-safe, scans counted per day."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from registry import short_links
from registry.choices import InitiativeStatus
from registry.models import Initiative, ShortLinkScan, ShortLinkVisitor
from registry.workflow import initiative_set_published
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_code_is_six_characters_of_the_unambiguous_alphabet_and_is_kept():
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    assert len(code) == 6 and set(code) <= set(short_links.ALPHABET)
    assert not set("01OIL") & set(short_links.ALPHABET)
    assert Initiative.objects.get(pk=initiative.pk).short_code == code
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert short_links.initiative_short_code(fresh) == code


def test_a_code_another_model_holds_is_never_given_twice(monkeypatch):
    first, second = factories.make_initiative(), factories.make_initiative()
    taken = short_links.initiative_short_code(first)
    draws = iter([taken, taken, "ABC234"])
    monkeypatch.setattr(short_links, "new_short_code", lambda: next(draws))
    assert short_links.initiative_short_code(second) == "ABC234"
    assert Initiative.objects.get(pk=first.pk).short_code == taken


def test_the_unique_column_refuses_a_duplicate_code_in_the_database():
    first, second = factories.make_initiative(), factories.make_initiative()
    Initiative.objects.filter(pk=first.pk).update(short_code="ABC234")
    with pytest.raises(IntegrityError):
        Initiative.objects.filter(pk=second.pk).update(short_code="ABC234")


def test_a_model_that_already_has_a_code_keeps_it_even_if_a_stale_copy_asks_again():
    initiative = factories.make_initiative()
    stale = Initiative.objects.get(pk=initiative.pk)
    code = short_links.initiative_short_code(initiative)
    assert short_links.initiative_short_code(stale) == code


def test_publishing_gives_the_model_its_short_code(official, committee_member):
    initiative = factories.make_initiative(published=False)
    assert initiative.short_code is None
    initiative_set_published(initiative=initiative, by=committee_member, published=True)
    assert initiative.short_code
    assert Initiative.objects.get(pk=initiative.pk).short_code == initiative.short_code


def test_a_typed_code_is_read_in_any_case_and_a_wrong_shape_is_refused():
    assert short_links.normalise_short_code(" abc234 ") == "ABC234"
    for bad in ("ABC23", "ABC2345", "ABC0I4", "", "../../x"):
        assert short_links.normalise_short_code(bad) is None


PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 Zalo android/12100612"
)


def test_scanning_redirects_to_the_model_page_and_counts_one_scan_per_client_a_day(client):
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    code = short_links.initiative_short_code(initiative)
    url = reverse("public:short-link", kwargs={"code": code})
    assert url == f"/q/{code}"
    for _ in range(100):
        response = client.get(url, HTTP_USER_AGENT=PHONE)
        assert response.status_code == 302  # not permanent: the target may change
        assert response["Location"] == initiative.get_absolute_url()
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    scan = ShortLinkScan.objects.get(initiative=initiative)
    assert scan.count == 1
    assert {f.name for f in ShortLinkScan._meta.fields} == {"id", "initiative", "day", "count"}
    # Another client (another address) is another scan.
    client.get(url, HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.20")
    assert ShortLinkScan.objects.get(initiative=initiative).count == 2


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Mozilla/5.0 (compatible; YandexSpider/3.0)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0) crawler",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (Windows NT 6.1) SkypeUriPreview Preview/0.5",
        "curl/8.5.0",
        "python-requests/2.32.3",
    ],
)
def test_obvious_robots_and_link_previews_are_sent_on_but_not_counted(client, agent):
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    response = client.get(f"/q/{code}", HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    assert not ShortLinkScan.objects.exists()


def test_the_client_is_kept_only_as_a_keyed_hash_and_only_for_the_day():
    initiative = factories.make_initiative()
    visitor = "a" * 64
    assert short_links.count_scan(initiative.pk, visitor=visitor, day=date(2026, 11, 1))
    assert not short_links.count_scan(initiative.pk, visitor=visitor, day=date(2026, 11, 1))
    assert short_links.count_scan(initiative.pk, visitor=visitor, day=date(2026, 11, 2))
    rows = dict(ShortLinkScan.objects.values_list("day", "count"))
    assert rows == {date(2026, 11, 1): 1, date(2026, 11, 2): 1}
    # The earlier day's visitors are gone once a later day is counted.
    assert list(ShortLinkVisitor.objects.values_list("day", flat=True)) == [date(2026, 11, 2)]


def test_the_scan_stores_no_address(client):
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    client.get(f"/q/{code}", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.77")
    (kept,) = ShortLinkVisitor.objects.values_list("visitor", flat=True)
    assert len(kept) == 64 and "203.0.113.77" not in kept


def test_a_lower_case_code_as_typed_from_a_poster_still_works(client):
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    response = client.get(f"/q/{code.lower()}")
    assert response.status_code == 302


def test_scans_are_counted_per_day_with_an_atomic_increment():
    initiative = factories.make_initiative()
    short_links.count_scan(initiative.pk, day=date(2026, 11, 1))
    short_links.count_scan(initiative.pk, day=date(2026, 11, 1))
    short_links.count_scan(initiative.pk, day=date(2026, 11, 2))
    rows = dict(ShortLinkScan.objects.values_list("day", "count"))
    assert rows == {date(2026, 11, 1): 2, date(2026, 11, 2): 1}


@pytest.mark.parametrize(
    "change",
    [
        {"published": False},
        {"status": InitiativeStatus.DRAFT, "published": False},
        {"status": InitiativeStatus.REGISTERED},
    ],
)
def test_a_model_no_longer_public_answers_a_plain_page_not_a_404(client, change):
    initiative = factories.make_initiative("Mô hình bí mật XYZ")
    code = short_links.initiative_short_code(initiative)
    Initiative.objects.filter(pk=initiative.pk).update(**change)
    response = client.get(f"/q/{code}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "không còn được công khai" in text
    assert "Mô hình bí mật XYZ" not in text
    assert ShortLinkScan.objects.get(initiative=initiative).count == 1


@pytest.mark.parametrize("code", ["ZZZZZZ", "abc", "OOOOOO", "A" * 40])
def test_an_unknown_or_malformed_code_is_a_clear_404_and_counts_nothing(client, code):
    factories.make_initiative()
    response = client.get(f"/q/{code}")
    assert response.status_code == 404
    assert "hãy kiểm tra lại mã" in response.content.decode()
    assert not ShortLinkScan.objects.exists()


def test_the_short_link_is_never_served_from_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    client.get(f"/q/{code}")
    response = client.get(f"/q/{code}", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert ShortLinkScan.objects.get(initiative=initiative).count == 2
    assert "public:short-link" not in settings.PUBLIC_PAGE_CACHE_VIEWS


def test_the_migration_gives_every_existing_model_a_distinct_code():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("registry.migrations.0009_short_links")
    made = [factories.make_initiative() for _ in range(3)]
    Initiative.objects.update(short_code=None)
    migration.give_codes(apps, None)
    codes = set(Initiative.objects.values_list("short_code", flat=True))
    assert len(codes) == len(made) and None not in codes


def test_officials_see_the_scans_per_day_and_the_total_on_the_workspace_page(official_client):
    from django.utils import timezone

    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    today = timezone.localdate()
    short_links.count_scan(initiative.pk, day=today)
    short_links.count_scan(initiative.pk, day=today)
    short_links.count_scan(initiative.pk, day=date(2020, 1, 1))  # long ago: in the total only
    response = official_client.get(
        reverse("workspace:initiative-detail", kwargs={"pk": initiative.pk})
    )
    text = response.content.decode()
    assert "tổng từ trước đến nay: 3" in text
    assert today.strftime("%d/%m/%Y") in text and "01/01/2020" not in text
    assert f"/q/{code}" in text
    assert reverse("public:initiative-poster", kwargs={"slug": initiative.slug}) in text
    assert reverse("public:initiative-qr", kwargs={"slug": initiative.slug, "fmt": "png"}) in text


def test_a_head_request_is_answered_but_not_counted_and_a_post_is_refused(client):
    initiative = factories.make_initiative()
    code = short_links.initiative_short_code(initiative)
    assert client.head(f"/q/{code}").status_code == 302
    assert client.post(f"/q/{code}").status_code == 405
    assert not ShortLinkScan.objects.exists()
