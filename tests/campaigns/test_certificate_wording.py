"""The certificate (giấy khen) speaks of the emulation campaign in proper words, from the
campaign's title and period, never of the review round's internal name."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.certificates import certificate_wording
from campaigns.review_choices import CommendationStatus as C
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db

ACHIEVEMENT = "Vận động 310 hộ dân, doanh nghiệp trồng và chăm sóc 310 chậu hoa giấy"


def _commendation(*, campaign_title="Dân vận khéo", reason=ACHIEVEMENT, **campaign_dates):
    campaign = f.make_campaign(campaign_title, **campaign_dates)
    review_round = f.make_round(campaign, title="Đợt 2 - chấm nội bộ KDV", with_criteria=False)
    return f.make_commendation(status=C.DECIDED, review_round=review_round, reason=reason)


def test_the_certificate_names_the_campaign_and_its_year_not_the_round(official_client):
    commendation = _commendation()
    body = official_client.get(
        reverse("workspace:certificate", args=[commendation.pk])
    ).content.decode()
    assert "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2023" in body
    assert ACHIEVEMENT in body
    assert "Đợt 2 - chấm nội bộ KDV" not in body


@pytest.mark.parametrize(
    ("title", "dates", "phrase"),
    [
        ("Dân vận khéo", {}, "phong trào thi đua “Dân vận khéo” năm 2023"),
        ("“Dân vận khéo”", {}, "phong trào thi đua “Dân vận khéo” năm 2023"),
        (
            "Phong trào thi đua “Dân vận khéo” năm 2023",
            {},
            "phong trào thi đua “Dân vận khéo” năm 2023",
        ),
        (
            "Phong trào thi đua “Dân vận khéo”",
            {"starts_on": date(2021, 1, 1), "ends_on": date(2025, 12, 31)},
            "phong trào thi đua “Dân vận khéo” giai đoạn 2021 - 2025",
        ),
    ],
)
def test_the_campaign_is_named_once_with_its_period(title, dates, phrase):
    wording = certificate_wording(_commendation(campaign_title=title, **dates))
    assert wording.headline == f"Đã có thành tích xuất sắc trong {phrase}"
    assert wording.achievement == ACHIEVEMENT


def test_a_reason_that_already_names_the_campaign_is_printed_as_written():
    reason = "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2023"
    wording = certificate_wording(_commendation(reason=reason))
    assert (wording.headline, wording.achievement) == (reason, "")


def test_without_a_review_round_the_reason_is_printed_as_written():
    commendation = f.make_commendation(status=C.DECIDED, reason=ACHIEVEMENT)
    wording = certificate_wording(commendation)
    assert (wording.headline, wording.achievement) == (ACHIEVEMENT, "")
