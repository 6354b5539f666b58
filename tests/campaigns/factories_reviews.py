"""Factories for campaigns, rounds, criteria, recognitions and commendations.

Rows in a later state are created directly (set-up, not behaviour under test); tests of the
transitions themselves go through ``campaigns.workflow``.
"""

import itertools
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import workflow
from campaigns.models import Campaign, Commendation, Criterion, Recognition, ReviewRound
from campaigns.review_choices import (
    REQUIRED_DOSSIER_KINDS,
    CommendationForm,
    CommendationStatus,
    RecognitionStatus,
)
from tests import factories

_seq = itertools.count(1)


def make_campaign(title=None, **kwargs):
    kwargs.setdefault("starts_on", date(2023, 1, 1))
    kwargs.setdefault("ends_on", date(2023, 12, 31))
    return Campaign.objects.create(title=title or f"Phong trào {next(_seq)}", **kwargs)


def make_criterion(campaign, label=None, *, weight="1", max_score="10", order=0):
    return Criterion.objects.create(
        campaign=campaign,
        label=label or f"Tiêu chí {next(_seq)}",
        weight=Decimal(weight),
        max_score=Decimal(max_score),
        order=order,
    )


def make_round(campaign=None, *, status="open", with_criteria=True, **kwargs):
    if campaign is None:
        campaign = make_campaign()
        if with_criteria:
            make_criterion(campaign, "Kết quả", max_score="60", order=1)
            make_criterion(campaign, "Sự đồng thuận của Nhân dân", max_score="40", order=2)
    kwargs.setdefault("kind", "annual")
    kwargs.setdefault("period_start", date(2023, 1, 1))
    kwargs.setdefault("period_end", date(2023, 12, 31))
    return ReviewRound.objects.create(
        campaign=campaign, title=kwargs.pop("title", f"Đợt {next(_seq)}"), status=status, **kwargs
    )


def make_recognition(
    initiative=None, review_round=None, *, status=RecognitionStatus.PROPOSED, **kw
):
    kw.setdefault("level", "ward_party_committee")
    if status in (RecognitionStatus.APPROVED, RecognitionStatus.PUBLISHED):
        kw.setdefault("decision_number", f"{next(_seq)}-QĐ/ĐU")
        kw.setdefault("decided_on", date(2023, 6, 1))
    if status == RecognitionStatus.PUBLISHED:
        kw.setdefault("published_at", timezone.now())
    if status == RecognitionStatus.REJECTED:
        kw.setdefault("rejection_reason", "Chưa đủ kết quả")
    return Recognition.objects.create(
        initiative=initiative or factories.make_initiative(),
        review_round=review_round or make_round(),
        status=status,
        **kw,
    )


def make_commendation(initiative=None, *, status=CommendationStatus.DRAFT, **kw):
    kw.setdefault("recipient_kind", "collective")
    kw.setdefault("recipient_name", "Khối dân vận phường Trường Sơn")
    kw.setdefault("form", CommendationForm.WARD_CHAIRMAN_CERTIFICATE)
    kw.setdefault(
        "reason", "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2023"
    )
    if status in (
        CommendationStatus.DECIDED,
        CommendationStatus.ISSUED,
        CommendationStatus.REVOKED,
    ):
        kw.setdefault("decision_number", f"{next(_seq)}/QĐ-UBND")
        kw.setdefault("decided_on", date(2023, 12, 20))
    return Commendation.objects.create(
        initiative=initiative or factories.make_initiative(), status=status, **kw
    )


def pdf_bytes(text: str = "Tờ trình") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET"
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {body}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def uploaded_pdf(name="to-trinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def attach_full_dossier(commendation, *, by):
    """The three documents a submission needs, through the workflow."""
    for kind in REQUIRED_DOSSIER_KINDS:
        workflow.dossier_attach(
            commendation=commendation, kind=kind, file=uploaded_pdf(f"{kind}.pdf"), by=by
        )
