"""The model sections of a report against a plain count over the models in Python.

The sections share one ``ModelScope`` (a grouped query, summaries fetched once); these tests
pin that they count exactly what the rules say, on data with the awkward cases: a model under
a top-level field itself, a model without area, one in two areas that share a name (in two
wards), one without lead organisation, a ward and a commune with the same name, a former
ward, drafts, unpublished models, published models not yet in a public status, a model that
ended before the period, undated models.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from campaigns import reports
from campaigns.models import Evaluation, Recognition
from campaigns.reports import PUBLIC, WORKSPACE, ModelScope, ReportPeriod, build_report
from campaigns.review_choices import RECOGNITION_DECIDED, RecognitionLevel, RecognitionStatus
from registry.choices import PUBLIC_STATUSES, InitiativeStatus
from registry.models import AdminUnit, Initiative
from tests import factories
from tests.campaigns.factories_reviews import make_commendation, make_recognition, make_round
from tests.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

NO_AREA = "Chưa ghi khu dân cư"
NO_ORGANISATION = "Chưa ghi tổ chức chủ trì"
OWN = "Chưa chia lĩnh vực cụ thể"


@pytest.fixture
def data():
    economy = factories.make_field("Kinh tế")
    society = factories.make_field("Xã hội")
    society.order = 2
    society.save()
    factories.make_field("Quốc phòng")  # no model: no row
    environment = factories.make_field("Môi trường", parent=society)
    education = factories.make_field("Giáo dục", parent=society)  # same order: by name
    old_ward = factories.make_admin_unit("Trường Sơn", valid_to=dt.date(2025, 6, 30))
    ward = AdminUnit.objects.create(name="Sầm Sơn", kind="ward")
    commune = AdminUnit.objects.create(name="Sầm Sơn", kind="commune")  # same name: one row
    kp1_old = factories.make_area("Khu phố 1", admin_unit=old_ward)
    kp1_new = factories.make_area("Khu phố 1", admin_unit=ward)
    kp2 = factories.make_area("Khu phố 2", admin_unit=old_ward)
    farmers = factories.make_organization("Hội Nông dân")
    youth = factories.make_organization("Đoàn Thanh niên")  # Đ sorts after H

    def model(**kw):
        return factories.make_initiative(**kw)

    m = {
        # in two areas that share a name: counts once under "Khu phố 1"
        "two_areas": model(
            field=environment,
            admin_unit=old_ward,
            lead_organization=farmers,
            started_on=dt.date(2023, 2, 1),
        ),
        "exemplar": model(
            kind="exemplar",
            status=InitiativeStatus.COMPLETED,
            field=economy,
            admin_unit=ward,
            lead_organization=youth,
            started_on=dt.date(2022, 5, 1),
        ),
        # the workspace's only: registered, unpublished, undated, under the top field itself
        "registered": model(
            status=InitiativeStatus.REGISTERED,
            published=False,
            field=society,
            admin_unit=commune,
        ),
        # published but not yet in a public status: the workspace's only
        "published_registered": model(
            status=InitiativeStatus.REGISTERED, field=economy, admin_unit=ward
        ),
        "draft": model(
            status=InitiativeStatus.DRAFT,
            published=False,
            field=economy,
            admin_unit=ward,
            started_on=dt.date(2023, 3, 1),
        ),
        "ended_2022": model(
            status=InitiativeStatus.COMPLETED,
            field=economy,
            admin_unit=old_ward,
            started_on=dt.date(2021, 1, 1),
            ended_on=dt.date(2022, 12, 31),
        ),
        "from_2024": model(field=education, admin_unit=ward, started_on=dt.date(2024, 3, 1)),
        "undated_stopped": model(
            status=InitiativeStatus.DISCONTINUED,
            field=education,
            admin_unit=old_ward,
            lead_organization=farmers,
            ended_on=dt.date(2023, 6, 30),
        ),
    }
    m["two_areas"].residential_areas.set([kp1_old, kp1_new])
    m["exemplar"].residential_areas.set([kp2])
    m["ended_2022"].residential_areas.set([kp1_old, kp2])
    m["from_2024"].residential_areas.set([kp1_new])

    review_round = make_round(title="Đánh giá năm 2023")
    for key, total, max_total in [
        ("two_areas", 80, 100),
        ("two_areas", 90, 100),
        ("registered", 35, 50),
        ("undated_stopped", 60, 100),
        ("draft", 100, 100),
    ]:
        Evaluation.objects.create(
            review_round=review_round,
            initiative=m[key],
            evaluator=factories.make_user(),
            total=Decimal(total),
            max_total=Decimal(max_total),
            recommendation="recognise",
        )
    make_recognition(m["two_areas"], review_round, status="published", tier="typical")
    make_recognition(
        m["two_areas"], review_round, status="published", level="ward_steering_committee"
    )
    make_recognition(m["exemplar"], review_round, status="approved")
    make_recognition(m["registered"], review_round, status="proposed")
    make_recognition(m["undated_stopped"], review_round, status="published", level="higher")
    make_commendation(m["two_areas"], status="issued")
    make_commendation(m["exemplar"], status="decided")
    make_commendation(m["exemplar"], status="revoked")
    return {
        "models": m,
        "round": review_round,
        "society": society,
        "environment": environment,
        "old_ward": old_ward,
        "farmers": farmers,
    }


# --- the rules, counted by hand over the model objects --------------------------------------


def _in_scope(initiative, period, audience):
    if audience == PUBLIC:
        visible = initiative.published and initiative.status in PUBLIC_STATUSES
    else:
        visible = initiative.status != InitiativeStatus.DRAFT
    field = initiative.field
    return (
        visible
        and (initiative.started_on is None or initiative.started_on <= period.end)
        and (initiative.ended_on is None or initiative.ended_on >= period.start)
        and (period.field is None or period.field in (field, field.parent))
        and (period.admin_unit is None or initiative.admin_unit == period.admin_unit)
        and (
            period.lead_organization is None
            or initiative.lead_organization == period.lead_organization
        )
    )


def _in_period(review_round, period):
    if period.review_round is not None:
        return review_round == period.review_round
    return period.start <= review_round.period_end <= period.end


def _expected(period, audience):
    models = [
        m
        for m in Initiative.objects.select_related(
            "field__parent", "admin_unit", "lead_organization"
        ).prefetch_related("residential_areas")
        if _in_scope(m, period, audience)
    ]
    ids = {m.pk for m in models}
    statuses = Counter(m.status for m in models)
    areas = Counter()
    for m in models:
        names = {area.name for area in m.residential_areas.all()} or {None}
        areas.update(names)
    units = Counter((m.admin_unit.name, m.admin_unit.valid_to) for m in models)
    organisations = Counter(m.lead_organization and m.lead_organization.name for m in models)
    tops = {}
    for m in models:
        top = m.field.parent or m.field
        entry = tops.setdefault(top.pk, {"top": top, "count": 0, "own": 0, "children": Counter()})
        entry["count"] += 1
        if m.field.parent is None:
            entry["own"] += 1
        else:
            entry["children"][m.field] += 1
    by_field = []
    for entry in sorted(tops.values(), key=lambda e: (e["top"].order, e["top"].name)):
        children = [
            {"label": f.name, "order": f.order, "count": n}
            for f, n in sorted(entry["children"].items(), key=lambda i: (i[0].order, i[0].name))
        ]
        if children and entry["own"]:
            children.append({"label": OWN, "order": None, "count": entry["own"]})
        by_field.append((entry["top"].name, entry["count"], children))

    evaluations = [
        e
        for e in Evaluation.objects.select_related("review_round")
        if e.initiative_id in ids and _in_period(e.review_round, period)
    ]
    decided = [RecognitionStatus.PUBLISHED] if audience == PUBLIC else list(RECOGNITION_DECIDED)
    recognitions = [
        r
        for r in Recognition.objects.select_related("review_round")
        if r.initiative_id in ids and r.status in decided and _in_period(r.review_round, period)
    ]
    by_level = Counter((r.level, r.tier) for r in recognitions)
    return {
        "overview": {
            "total": len(models),
            "models": sum(m.kind == "model" for m in models),
            "exemplars": sum(m.kind == "exemplar" for m in models),
            "new": sum(
                m.started_on is not None and period.start <= m.started_on <= period.end
                for m in models
            ),
            "by_status": [
                (value, statuses[value])
                for value in InitiativeStatus.values
                if value != InitiativeStatus.DRAFT
            ],
        },
        "by_field": by_field,
        "by_area": [
            (name or NO_AREA, n)
            for name, n in sorted(areas.items(), key=lambda i: (i[0] is None, i[0] or ""))
        ],
        "by_admin_unit": [
            (name, valid_to is not None, n)
            for (name, valid_to), n in sorted(
                units.items(), key=lambda i: (i[0][0], i[0][1] or dt.date.max)
            )
        ],
        "by_lead_organization": [
            (name or NO_ORGANISATION, n)
            for name, n in sorted(organisations.items(), key=lambda i: (i[0] is None, i[0] or ""))
        ],
        "funnel": [
            ("registered", len(models)),
            ("implementing", sum(m.status in PUBLIC_STATUSES for m in models)),
            ("evaluated", len({e.initiative_id for e in evaluations})),
            ("recognised", len({r.initiative_id for r in recognitions})),
        ],
        "evaluations": (len({e.initiative_id for e in evaluations}), len(evaluations)),
        "recognitions": (
            [
                (by_level[(level, "recognised")], by_level[(level, "typical")])
                for level in RecognitionLevel.values
            ],
            len(recognitions),
            len({r.initiative_id for r in recognitions}),
            len(models),
        ),
    }


def _actual(report):
    return {
        "overview": {
            **{k: report.overview[k] for k in ("total", "models", "exemplars", "new")},
            "by_status": [(row["key"], row["count"]) for row in report.overview["by_status"]],
        },
        "by_field": [(t["label"], t["count"], t["children"]) for t in report.by_field],
        "by_area": [(row["label"], row["count"]) for row in report.by_area],
        "by_admin_unit": [(r["label"], r["former"], r["count"]) for r in report.by_admin_unit],
        "by_lead_organization": [(r["label"], r["count"]) for r in report.by_lead_organization],
        "funnel": [(row["key"], row["count"]) for row in report.funnel],
        "evaluations": (report.evaluations["models"], report.evaluations["evaluations"]),
        "recognitions": (
            [(row["recognised"], row["typical"]) for row in report.recognitions["by_level"]],
            report.recognitions["decisions"],
            report.recognitions["recognised_models"],
            report.recognitions["models"],
        ),
    }


def _periods(data):
    return [
        ReportPeriod.for_year(2022),
        ReportPeriod.for_year(2023),
        ReportPeriod.for_year(2024),
        ReportPeriod.for_half_year(2023, 1),
        ReportPeriod.for_half_year(2023, 2),
        ReportPeriod.for_round(data["round"]),
        ReportPeriod.for_year(2023, field=data["society"]),
        ReportPeriod.for_year(2023, field=data["environment"]),
        ReportPeriod.for_year(2023, admin_unit=data["old_ward"]),
        ReportPeriod.for_year(2023, lead_organization=data["farmers"]),
    ]


@pytest.mark.parametrize("audience", [PUBLIC, WORKSPACE])
def test_model_sections_count_what_the_rules_say_for_every_period_and_filter(data, audience):
    for period in _periods(data):
        assert _actual(build_report(period, audience)) == _expected(period, audience), period


def test_the_awkward_cases_of_the_2023_workspace_report(data):
    """Spelled out once, so that the reference count above cannot drift with the code."""
    report = build_report(ReportPeriod.for_year(2023), WORKSPACE)
    # two_areas, exemplar, registered, published_registered, undated_stopped
    assert report.overview["total"] == 5
    assert [(r["label"], r["count"]) for r in report.by_area] == [
        ("Khu phố 1", 1),  # one model in two areas of that name: once
        ("Khu phố 2", 1),
        (NO_AREA, 3),
    ]
    assert [(r["label"], r["former"], r["count"]) for r in report.by_admin_unit] == [
        ("Sầm Sơn", False, 3),  # the ward and the commune of that name, as one row
        ("Trường Sơn", True, 2),
    ]
    assert [(r["label"], r["count"]) for r in report.by_lead_organization] == [
        ("Hội Nông dân", 2),
        ("Đoàn Thanh niên", 1),
        (NO_ORGANISATION, 2),
    ]
    assert [(t["label"], t["count"]) for t in report.by_field] == [
        ("Kinh tế", 2),
        ("Xã hội", 3),
    ]
    assert [(c["label"], c["count"]) for c in report.by_field[1]["children"]] == [
        ("Giáo dục", 1),
        ("Môi trường", 1),
        (OWN, 1),
    ]
    # The draft's evaluation is left out; the proposed recognition is not a decision.
    assert (report.evaluations["models"], report.evaluations["evaluations"]) == (3, 4)
    assert [(r["code"], r["evaluations"]) for r in report.evaluations["per_model"]] == [
        (data["models"]["two_areas"].code, 2),  # 85
        (data["models"]["registered"].code, 1),  # 70
        (data["models"]["undated_stopped"].code, 1),  # 60
    ]
    assert report.recognitions["decisions"] == 4
    assert report.recognitions["recognised_models"] == 3


def test_sections_called_on_their_own_match_the_report(data):
    """Exports and views may call a section alone: it makes its own scope."""
    for audience in (PUBLIC, WORKSPACE):
        period = ReportPeriod.for_year(2023)
        report = build_report(period, audience)
        assert reports.overview(period, audience) == report.overview
        assert reports.models_by_field(period, audience) == report.by_field
        assert reports.models_by_area(period, audience) == report.by_area
        assert reports.models_by_admin_unit(period, audience) == report.by_admin_unit
        assert reports.models_by_lead_organization(period, audience) == report.by_lead_organization
        assert reports.evaluations(period, audience) == report.evaluations
        assert reports.recognitions(period, audience) == report.recognitions
        assert reports.commendations(period, audience) == report.commendations
        assert reports.funnel(period, audience) == report.funnel
        decisions = reports.decision_list(period, audience)
        assert decisions["recognised"] == report.decisions["recognised"]
        assert decisions["commended"] == report.decisions["commended"]


def test_an_empty_scope_gives_zeros_and_empty_lists(data):
    nobody = factories.make_organization("Hội Cựu chiến binh")  # leads no model
    report = build_report(ReportPeriod.for_year(2023, lead_organization=nobody), PUBLIC)
    assert report.overview["total"] == 0
    assert report.by_field == report.by_area == report.by_admin_unit == []
    assert report.by_lead_organization == []
    assert [row["count"] for row in report.funnel] == [0, 0, 0, 0]
    assert report.evaluations["average"] is None


def _model_sections(period, audience):
    scope = ModelScope(period, audience)
    return [
        section(period, audience, scope=scope)
        for section in (
            reports.overview,
            reports.models_by_field,
            reports.models_by_area,
            reports.models_by_admin_unit,
            reports.models_by_lead_organization,
            reports.evaluations,
            reports.recognitions,
            reports.commendations,
            reports.funnel,
            reports.decision_list,
        )
    ]


@pytest.mark.parametrize("audience, expected", [(PUBLIC, 7), (WORKSPACE, 9)])
def test_the_model_sections_together_run_a_fixed_number_of_queries(data, audience, expected):
    """Counts with names (1), areas (1), evaluations (1; the workspace's per model: 2 more),
    recognitions (1), commendations (1), the two lists of decisions (2)."""
    period = ReportPeriod.for_year(2023)

    def grow():
        society = data["society"]
        for n in range(3):
            m = factories.make_initiative(
                field=factories.make_field(parent=society),
                admin_unit=factories.make_admin_unit(f"Phường mới {n}"),
                lead_organization=factories.make_organization(),
                started_on=dt.date(2023, 4, 1),
            )
            m.residential_areas.set([factories.make_area()])
            make_recognition(m, data["round"], status="published")
            make_commendation(m, status="issued")

    assert_constant_queries(lambda: _model_sections(period, audience), grow)
    queries, _ = count_queries(lambda: _model_sections(period, audience))
    assert queries == expected
