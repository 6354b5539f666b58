"""A small known dataset for the summary report, with every expected figure computed by hand.

Period: the year 2023. Models in the workspace's scope: M1, M2, M3 (M4 is a draft, M5 ended
in 2022). Public scope: M1, M2 (M3 is not published). See the comments next to each row.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campaigns import workflow
from campaigns.models import Donation, Evaluation, Expense
from registry.choices import InitiativeStatus
from registry.models import AdminUnit
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge
from tests.campaigns.factories_reviews import make_commendation, make_recognition, make_round

# Strings that must never reach the public summary.
PHONE = "0912 345 678"
ADDRESS = "Số 9 ngõ Bí Mật"
UNCONSENTED_NAME = "Hộ ông Nguyễn Văn Kín"
UNPUBLISHED_RECOGNITION = "13-QĐ/BCĐ-KHONGCONGBO"
UNISSUED_RECIPIENT = "Bà Trần Thị Chưa Trao"
UNISSUED_DECISION = "9-QĐ/ĐU-CHUATRAO"
UNPUBLISHED_MODEL = "Chợ an toàn chưa công khai"


def build() -> dict:
    admin = factories.make_user("ketoan", is_superuser=True)
    economy = factories.make_field("Kinh tế")
    economy.order = 1
    economy.save()
    society = factories.make_field("Văn hoá – xã hội")
    society.order = 2
    society.save()
    environment = factories.make_field("Bảo vệ môi trường", parent=society)
    old_ward = factories.make_admin_unit("Trường Sơn", valid_to=dt.date(2025, 6, 30))
    new_ward = AdminUnit.objects.create(name="Sầm Sơn", kind="ward")
    area1 = factories.make_area("Khu phố 1", admin_unit=old_ward)
    area2 = factories.make_area("Khu phố 2", admin_unit=old_ward)
    farmers = factories.make_organization("Hội Nông dân", kind="farmers")
    bloc = factories.make_organization("Khối dân vận", kind="mass_mobilisation")

    m1 = factories.make_initiative(
        "Đường hoa Lê Lợi",
        code="R-01",
        field=environment,
        admin_unit=old_ward,
        lead_organization=bloc,
        started_on=dt.date(2023, 2, 1),
    )
    m1.residential_areas.set([area1, area2])
    m2 = factories.make_initiative(
        "Tổ tiết kiệm",
        code="R-02",
        kind="exemplar",
        field=economy,
        admin_unit=old_ward,
        lead_organization=farmers,
        status=InitiativeStatus.COMPLETED,
        started_on=dt.date(2022, 5, 1),
    )
    m2.residential_areas.set([area1])
    m3 = factories.make_initiative(
        UNPUBLISHED_MODEL,
        code="R-03",
        field=society,
        admin_unit=new_ward,
        status=InitiativeStatus.REGISTERED,
        published=False,
        started_on=dt.date(2023, 8, 1),
    )
    m4 = factories.make_initiative(
        "Bản nháp",
        code="R-04",
        field=economy,
        admin_unit=new_ward,
        status=InitiativeStatus.DRAFT,
        published=False,
        started_on=dt.date(2023, 3, 1),
    )
    factories.make_initiative(  # ended before 2023: out of the 2023 report
        "Đã kết thúc",
        code="R-05",
        field=economy,
        admin_unit=old_ward,
        status=InitiativeStatus.COMPLETED,
        started_on=dt.date(2022, 1, 1),
        ended_on=dt.date(2022, 12, 31),
    )

    # Evaluations of the 2023 round: M1 80 and 90 (of 100), M2 35 of 50 = 70.
    review_round = make_round(title="Đánh giá năm 2023")
    for initiative, total, max_total in [(m1, 80, 100), (m1, 90, 100), (m2, 35, 50)]:
        Evaluation.objects.create(
            review_round=review_round,
            initiative=initiative,
            evaluator=factories.make_user(),
            total=Decimal(total),
            max_total=Decimal(max_total),
            recommendation="recognise",
        )

    # Recognitions: M1 published (typical, party committee); M2 approved, not published.
    make_recognition(
        m1,
        review_round,
        status="published",
        tier="typical",
        decision_number="12-QĐ/ĐU",
        decided_on=dt.date(2023, 12, 20),
    )
    make_recognition(
        m2,
        review_round,
        status="approved",
        level="ward_steering_committee",
        decision_number=UNPUBLISHED_RECOGNITION,
        decided_on=dt.date(2023, 12, 22),
    )
    make_recognition(m3, review_round, status="proposed")

    # Contributors.
    h1 = make_contributor(UNCONSENTED_NAME, phone=PHONE, address=ADDRESS)
    h2 = make_contributor("Hộ bà Lê Thị Hai")
    business = make_contributor("Công ty TNHH Hoa Giấy", kind="business")
    women = make_contributor("Hội Phụ nữ khu phố 1", kind="organisation")

    # Commendations decided in 2023.
    make_commendation(
        m1,
        status="issued",
        recipient_name="Khối dân vận phường Trường Sơn",
        decision_number="7/QĐ-UBND",
        decided_on=dt.date(2023, 12, 20),
        prize_amount=2_000_000,
    )
    make_commendation(
        m1,
        status="issued",
        recipient_kind="household",
        recipient_name=UNCONSENTED_NAME,
        contributor=h1,
        form="public_praise",
        decision_number="8/QĐ-UBND",
        decided_on=dt.date(2023, 12, 21),
        prize_amount=500_000,
    )
    make_commendation(
        m2,
        status="decided",
        recipient_kind="individual",
        recipient_name=UNISSUED_RECIPIENT,
        form="ward_party_certificate",
        decision_number=UNISSUED_DECISION,
        decided_on=dt.date(2023, 11, 1),
    )
    make_commendation(m2, status="revoked", decided_on=dt.date(2023, 10, 1))
    make_commendation(m2, status="draft")
    make_commendation(m1, status="issued", decided_on=dt.date(2024, 1, 5))  # next year

    # Pledges: 5.000.000 cash + 20.000.000 in kind + 1.500.000 labour = 26.500.000.
    make_pledge(initiative=m1, contributor=h1, value=5_000_000, pledged_on=dt.date(2023, 2, 1))
    make_pledge(
        initiative=m1,
        contributor=business,
        value=20_000_000,
        kind="in_kind",
        pledged_on=dt.date(2023, 3, 1),
    )
    make_pledge(  # cancelled: left out
        initiative=m1,
        contributor=h2,
        value=3_000_000,
        pledged_on=dt.date(2023, 3, 1),
        cancelled=True,
        cancelled_at=timezone.now(),
    )
    make_pledge(
        initiative=m2,
        contributor=women,
        value=1_500_000,
        kind="labour",
        pledged_on=dt.date(2023, 6, 30),
    )
    make_pledge(
        initiative=m1, contributor=business, value=9_000_000, pledged_on=dt.date(2024, 1, 1)
    )

    # Donations.
    make_donation(initiative=m1, contributor=h1, amount=5_000_000, received_on=dt.date(2023, 3, 10))
    make_donation(
        initiative=m1,
        contributor=business,
        amount=20_000_000,
        kind="in_kind",
        received_on=dt.date(2023, 3, 15),
    )
    mistaken = make_donation(
        initiative=m1, contributor=h2, amount=1_000_000, received_on=dt.date(2023, 4, 1)
    )
    workflow.donation_reverse(donation=mistaken, by=admin, reason="Ghi nhầm")  # dated today
    make_donation(
        initiative=m2,
        contributor=women,
        amount=1_500_000,
        kind="labour",
        quantity=Decimal("10"),
        unit="ngày công",
        received_on=dt.date(2023, 6, 30),
    )
    make_donation(  # the last day of the period: in
        initiative=m2,
        contributor=business,
        amount=30_000_000,
        kind="land",
        quantity=Decimal("50"),
        unit="m²",
        received_on=dt.date(2023, 12, 31),
    )
    make_donation(  # the next day: out
        initiative=m1, contributor=h2, amount=7_000_000, received_on=dt.date(2024, 1, 1)
    )
    make_donation(initiative=m3, contributor=h2, amount=4_000_000, received_on=dt.date(2023, 5, 5))
    make_donation(initiative=m4, contributor=h2, amount=100_000, received_on=dt.date(2023, 5, 5))

    # Expenses: 8.000.000 in 2023; 2.000.000 reversed; 1.000.000 in 2022; 500.000 in 2024.
    make_expense(initiative=m1, amount=8_000_000, spent_on=dt.date(2023, 5, 1))
    wrong = make_expense(initiative=m1, amount=2_000_000, spent_on=dt.date(2023, 6, 1))
    workflow.expense_reverse(expense=wrong, by=admin, reason="Chứng từ trùng")
    make_expense(initiative=m1, amount=1_000_000, spent_on=dt.date(2022, 12, 1))
    make_expense(initiative=m1, amount=500_000, spent_on=dt.date(2024, 1, 1))

    assert Donation.objects.filter(reverses__isnull=False).count() == 1
    assert Expense.objects.filter(reverses__isnull=False).count() == 1
    return {
        "m1": m1,
        "m2": m2,
        "m3": m3,
        "m4": m4,
        "round": review_round,
        "economy": economy,
        "society": society,
        "old_ward": old_ward,
        "new_ward": new_ward,
        "farmers": farmers,
        "bloc": bloc,
    }
