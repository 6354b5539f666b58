from decimal import Decimal

import pytest

from campaigns import workflow
from campaigns.models import Evaluation, ReviewRoundTransition, Score
from campaigns.review_choices import RoundStatus
from registry.choices import InitiativeStatus
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db


def _scores(review_round, *values):
    criteria = list(review_round.campaign.criteria.order_by("order"))
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def test_weighted_total_is_the_sum_of_weight_times_score():
    """Σ weight × score over Σ weight × max: (2×7.5 + 1×15) / (2×10 + 1×20) = 30 / 40."""
    official = factories.make_official()
    campaign = f.make_campaign()
    heavy = f.make_criterion(campaign, "Kết quả", weight="2", max_score="10", order=1)
    light = f.make_criterion(campaign, "Đồng thuận", weight="1", max_score="20", order=2)
    review_round = f.make_round(campaign)
    evaluation = workflow.evaluation_save(
        review_round=review_round,
        initiative=factories.make_initiative(),
        by=official,
        scores={heavy: "7,5", light.pk: 15},
        recommendation="recognise",
        comment="Tốt",
    )
    evaluation.refresh_from_db()
    assert evaluation.total == Decimal("30.00")
    assert evaluation.max_total == Decimal("40.00")
    assert evaluation.percent == Decimal("75.00")
    assert {s.criterion_id: s.value for s in evaluation.scores.all()} == {
        heavy.pk: Decimal("7.50"),
        light.pk: Decimal("15.00"),
    }


def test_weighted_total_rounds_half_up_to_two_places():
    campaign = f.make_campaign()
    c = f.make_criterion(campaign, weight="0.33", max_score="10")
    total, maximum = workflow.weighted_total([(c, Decimal("2.5"))])
    assert total == Decimal("0.83")  # 0.825 → 0.83
    assert maximum == Decimal("3.30")


@pytest.mark.parametrize("bad", ["-1", "60.01", "100"])
def test_scores_outside_zero_to_max_are_refused(official, bad):
    review_round = f.make_round()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=official,
            scores=_scores(review_round, bad, "10"),
            recommendation="continue",
        )
    assert exc.value.code == "score_out_of_range"
    assert "Kết quả" in str(exc.value)
    assert not Evaluation.objects.exists()


def test_the_maximum_and_zero_are_accepted(official):
    review_round = f.make_round()
    evaluation = workflow.evaluation_save(
        review_round=review_round,
        initiative=factories.make_initiative(),
        by=official,
        scores=_scores(review_round, "60", "0"),
        recommendation="continue",
    )
    assert evaluation.total == Decimal("60.00")


def test_a_score_that_is_not_a_number_is_refused(official):
    review_round = f.make_round()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=official,
            scores=_scores(review_round, "nhiều", "10"),
            recommendation="continue",
        )
    assert exc.value.code == "score_not_a_number"


def test_every_criterion_must_be_scored(official):
    review_round = f.make_round()
    first = review_round.campaign.criteria.order_by("order").first()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=official,
            scores={first.pk: "30"},
            recommendation="continue",
        )
    assert exc.value.code == "missing_scores"
    assert "Sự đồng thuận của Nhân dân" in str(exc.value)


def test_criteria_of_another_campaign_are_refused(official):
    review_round = f.make_round()
    stranger = f.make_criterion(f.make_campaign())
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=official,
            scores={**_scores(review_round, "1", "1"), stranger.pk: "1"},
            recommendation="continue",
        )
    assert exc.value.code == "unknown_criterion"


def test_saving_again_updates_the_one_evaluation_of_that_evaluator(official):
    review_round = f.make_round()
    initiative = factories.make_initiative()
    kwargs = {"review_round": review_round, "initiative": initiative, "by": official}
    workflow.evaluation_save(
        **kwargs, scores=_scores(review_round, "30", "20"), recommendation="continue"
    )
    evaluation = workflow.evaluation_save(
        **kwargs, scores=_scores(review_round, "50", "35"), recommendation="recognise"
    )
    assert Evaluation.objects.count() == 1
    assert Score.objects.count() == 2
    evaluation.refresh_from_db()
    assert evaluation.total == Decimal("85.00")
    assert evaluation.recommendation == "recognise"
    assert [h.history_change_reason for h in evaluation.history.order_by("history_id")] == [
        "score",
        "rescore",
    ]


def test_two_evaluators_each_have_their_own_evaluation(official):
    review_round = f.make_round()
    initiative = factories.make_initiative()
    other = factories.make_official()
    for user, values in ((official, ("30", "20")), (other, ("60", "40"))):
        workflow.evaluation_save(
            review_round=review_round,
            initiative=initiative,
            by=user,
            scores=_scores(review_round, *values),
            recommendation="recognise",
        )
    assert sorted(Evaluation.objects.values_list("total", flat=True)) == [
        Decimal("50.00"),
        Decimal("100.00"),
    ]


def test_a_closed_round_refuses_new_evaluations(official):
    review_round = f.make_round(status=RoundStatus.CLOSED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=official,
            scores=_scores(review_round, "1", "1"),
            recommendation="continue",
        )
    assert exc.value.code == "round_closed"
    assert not Evaluation.objects.exists()


def test_a_closed_round_refuses_changed_evaluations(official):
    review_round = f.make_round()
    initiative = factories.make_initiative()
    kwargs = {"review_round": review_round, "initiative": initiative, "by": official}
    workflow.evaluation_save(
        **kwargs, scores=_scores(review_round, "30", "20"), recommendation="continue"
    )
    workflow.round_close(review_round=review_round, by=official)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            **kwargs, scores=_scores(review_round, "60", "40"), recommendation="recognise"
        )
    assert exc.value.code == "round_closed"
    assert Evaluation.objects.get().total == Decimal("50.00")


def test_scoring_needs_the_score_permission(committee_member):
    review_round = f.make_round()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(),
            by=committee_member,
            scores=_scores(review_round, "1", "1"),
            recommendation="continue",
        )
    assert exc.value.code == "permission"


def test_a_draft_model_is_not_evaluated(official):
    review_round = f.make_round()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.evaluation_save(
            review_round=review_round,
            initiative=factories.make_initiative(status=InitiativeStatus.DRAFT, published=False),
            by=official,
            scores=_scores(review_round, "1", "1"),
            recommendation="continue",
        )
    assert exc.value.code == "not_evaluable"


def test_closing_a_round_writes_history_and_repeating_it_is_a_clear_error(official):
    review_round = f.make_round()
    workflow.round_close(review_round=review_round, by=official)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED
    row = ReviewRoundTransition.objects.get(review_round=review_round)
    assert (row.from_status, row.to_status, row.by) == ("open", "closed", official)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.round_close(review_round=review_round, by=official)
    assert exc.value.code == "wrong_state"


def test_reopening_a_round_needs_a_reason(official):
    review_round = f.make_round(status=RoundStatus.CLOSED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.round_reopen(review_round=review_round, by=official, reason=" ")
    assert exc.value.code == "reason_required"
    workflow.round_reopen(review_round=review_round, by=official, reason="Chấm bổ sung")
    assert ReviewRoundTransition.objects.get().reason == "Chấm bổ sung"


def test_closing_a_round_needs_permission(committee_member):
    review_round = f.make_round()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.round_close(review_round=review_round, by=committee_member)
    assert exc.value.code == "permission"
    review_round.refresh_from_db()
    assert review_round.is_open
