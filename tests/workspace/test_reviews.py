"""Review rounds in the workspace: the score sheet, saving a row, proposing recognition."""

import re

import pytest
from django.urls import reverse

from campaigns import workflow
from campaigns.models import Evaluation, Recognition
from registry.choices import InitiativeStatus as S
from tests.campaigns.factories_reviews import make_round
from tests.factories import make_initiative, make_user
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_round():
    return make_round(title="Sơ kết 6 tháng đầu năm 2023")


@pytest.fixture
def initiative():
    return make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")


def _criteria(review_round):
    return list(review_round.campaign.criteria.all())


def _row_data(review_round, scores, recommendation="recognise", comment="Làm tốt"):
    data = {f"score_{c.pk}": v for c, v in zip(_criteria(review_round), scores, strict=True)}
    data.update(recommendation=recommendation, comment=comment)
    return data


def _sheet(review_round):
    return reverse("workspace:score-sheet", args=[review_round.pk])


def _save(review_round, initiative):
    return reverse("workspace:evaluation-save", args=[review_round.pk, initiative.pk])


def test_anonymous_goes_to_login_and_others_get_403(client, review_round, initiative):
    for url in (reverse("workspace:round-list"), _sheet(review_round)):
        assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(make_user("nguoidan"))
    for url in (reverse("workspace:round-list"), _sheet(review_round)):
        assert client.get(url).status_code == 403
    assert client.post(_save(review_round, initiative), {}).status_code == 403


def test_the_round_list_links_to_the_score_sheet(official_client, review_round, initiative):
    html = official_client.get(reverse("workspace:round-list")).content.decode()
    assert "Sơ kết 6 tháng đầu năm 2023" in html
    assert f'href="{_sheet(review_round)}"' in html


def test_the_score_sheet_lists_evaluable_models_with_criteria_as_columns(
    official_client, review_round, initiative
):
    make_initiative("Dự thảo chưa duyệt", status=S.DRAFT, published=False)
    response = official_client.get(_sheet(review_round))
    html = response.content.decode()
    assert [row.initiative.title for row in response.context["rows"]] == [initiative.title]
    headers = re.findall(r'<th scope="col" class="num">([^<]+)<br>', html)
    assert headers == [c.label for c in review_round.campaign.criteria.order_by("order")]
    assert headers == ["Kết quả", "Sự đồng thuận của Nhân dân"]
    assert f'id="row-{initiative.pk}"' in html and f'form="score-form-{initiative.pk}"' in html


def test_an_official_saves_a_row_and_sees_the_weighted_total(
    official_client, official, review_round, initiative
):
    response = official_client.post(
        _save(review_round, initiative), _row_data(review_round, ["50", "35"])
    )
    assert response["Location"] == _sheet(review_round) + f"#row-{initiative.pk}"
    evaluation = Evaluation.objects.get(evaluator=official)
    assert (evaluation.total, evaluation.max_total) == (85, 100)
    assert evaluation.recommendation == "recognise" and evaluation.comment == "Làm tốt"
    html = official_client.get(_sheet(review_round)).content.decode()
    assert "85 / 100" in html
    # Saving again changes the same evaluation.
    official_client.post(_save(review_round, initiative), _row_data(review_round, ["40", "30"]))
    evaluation.refresh_from_db()
    assert evaluation.total == 70 and Evaluation.objects.count() == 1


def test_a_bad_score_comes_back_on_its_row_with_the_input_kept(
    official_client, review_round, initiative
):
    other = make_initiative("Ngôi nhà trí tuệ")
    response = official_client.post(
        _save(review_round, initiative), _row_data(review_round, ["75", "35"], comment="Rất tốt")
    )
    assert response.status_code == 200
    rows = {row.initiative.pk: row for row in response.context["rows"]}
    form = rows[initiative.pk].form
    first = _criteria(review_round)[0]
    assert form.errors[f"score_{first.pk}"]
    assert not rows[other.pk].form.is_bound, "other rows are untouched"
    html = response.content.decode()
    assert 'value="75"' in html and 'value="35"' in html and "Rất tốt" in html
    assert not Evaluation.objects.exists()


def test_a_closed_round_is_read_only(official_client, official, initiative):
    review_round = make_round()
    workflow.evaluation_save(
        review_round=review_round,
        initiative=initiative,
        by=official,
        scores={c.pk: "30" for c in _criteria(review_round)},
        recommendation="continue",
    )
    workflow.round_close(review_round=review_round, by=official)
    response = official_client.get(_sheet(review_round))
    html = response.content.decode()
    assert "chỉ để xem" in html
    assert _save(review_round, initiative) not in html
    assert "<input" not in html.split("score-sheet", 1)[1].split("</table>", 1)[0]
    response = official_client.post(
        _save(review_round, initiative), _row_data(review_round, ["10", "10"])
    )
    assert "đã đóng" in response.content.decode()
    assert Evaluation.objects.get().total == 60


def test_the_committee_sees_the_sheet_but_cannot_score(committee_client, review_round, initiative):
    response = committee_client.get(_sheet(review_round))
    assert response.status_code == 200
    assert _save(review_round, initiative) not in response.content.decode()
    response = committee_client.post(
        _save(review_round, initiative), _row_data(review_round, ["10", "10"])
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_get_on_saving_a_row_is_405(official_client, review_round, initiative):
    """A GET carrying a whole row's scores is refused and saves nothing."""
    response = official_client.get(
        _save(review_round, initiative), _row_data(review_round, ["50", "30"])
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not Evaluation.objects.exists()


def test_proposing_recognition_shows_the_round_scores_and_records_the_proposal(
    official_client, official, review_round, initiative
):
    workflow.evaluation_save(
        review_round=review_round,
        initiative=initiative,
        by=official,
        scores={c.pk: "35" for c in _criteria(review_round)},
        recommendation="recognise",
        comment="Nhân dân đồng tình cao",
    )
    url = reverse("workspace:recognition-propose", args=[review_round.pk, initiative.pk])
    assert url in official_client.get(_sheet(review_round)).content.decode()
    html = official_client.get(url).content.decode()
    assert "70 / 100" in html and "Nhân dân đồng tình cao" in html
    response = official_client.post(
        url, {"level": "ward_party_committee", "tier": "typical", "proposal": "Tiêu biểu"}
    )
    assert response["Location"] == reverse("workspace:initiative-reviews", args=[initiative.pk])
    recognition = Recognition.objects.get()
    assert (recognition.status, recognition.tier, recognition.proposed_by) == (
        "proposed",
        "typical",
        official,
    )
    # A second proposal at the same level is refused, with the input kept.
    response = official_client.post(
        url, {"level": "ward_party_committee", "tier": "recognised", "proposal": "Lần hai"}
    )
    assert "đã có đề nghị" in response.content.decode() and "Lần hai" in response.content.decode()
    assert Recognition.objects.count() == 1


def test_the_committee_decides_recognitions_in_the_admin_not_here(
    committee_client, review_round, initiative, official
):
    recognition = workflow.recognition_propose(
        initiative=initiative, review_round=review_round, by=official
    )
    html = committee_client.get(
        reverse("workspace:initiative-reviews", args=[initiative.pk])
    ).content.decode()
    assert reverse("admin:campaigns_recognition_change", args=[recognition.pk]) in html
    assert "recognition-transition" not in html and "<button" not in html.split("Công nhận")[-1]
    url = reverse("workspace:recognition-propose", args=[review_round.pk, initiative.pk])
    assert committee_client.get(url).status_code == 403


def test_the_score_sheet_costs_the_same_queries_with_more_models_and_scores(
    official_client, official, review_round, initiative
):
    def score(models):
        for model in models:
            for user in (official, make_user(f"chamdiem{model.pk}", is_superuser=True)):
                workflow.evaluation_save(
                    review_round=review_round,
                    initiative=model,
                    by=user,
                    scores={c.pk: "20" for c in _criteria(review_round)},
                    recommendation="continue",
                )

    score([initiative])
    response = assert_constant_queries(
        lambda: official_client.get(_sheet(review_round)),
        lambda: score([make_initiative(f"Mô hình {i}") for i in range(3)]),
    )
    assert len(response.context["rows"]) == 4
