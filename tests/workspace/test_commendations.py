"""Commendation proposals in the workspace: create, assemble the dossier, submit, print."""

import pytest
from django.urls import reverse

from campaigns.models import Commendation, DossierDocument
from campaigns.review_choices import CommendationStatus as C
from tests.campaigns.factories import make_contributor, make_donation
from tests.campaigns.factories_reviews import (
    attach_full_dossier,
    make_commendation,
    uploaded_pdf,
)
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _detail(commendation):
    return reverse("workspace:commendation-detail", args=[commendation.pk])


def test_anonymous_goes_to_login_and_others_get_403(client):
    commendation = make_commendation()
    urls = [
        reverse("workspace:commendation-list"),
        reverse("workspace:commendation-create"),
        _detail(commendation),
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(make_user("nguoidan"))
    for url in urls:
        assert client.get(url).status_code == 403


def test_an_official_creates_a_proposal_linked_to_a_contributor(official_client, official):
    initiative = make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    business = make_contributor("Công ty TNHH Hoa Sen", kind="business")
    make_donation(initiative=initiative, contributor=business)
    make_contributor("Người chưa đóng góp cho mô hình này")
    url = reverse("workspace:commendation-create")
    form = official_client.get(url, {"initiative": initiative.pk}).context["form"]
    assert list(form.fields["contributor"].queryset) == [business]
    response = official_client.post(
        url,
        {
            "initiative": initiative.pk,
            "recipient_kind": "business",
            "recipient_name": "Công ty TNHH Hoa Sen",
            "contributor": business.pk,
            "form": "ward_chairman_certificate",
            "reason": "Đã có thành tích xuất sắc trong phong trào “Dân vận khéo” năm 2023",
        },
    )
    commendation = Commendation.objects.get()
    assert response["Location"] == _detail(commendation)
    assert (commendation.status, commendation.contributor, commendation.created_by) == (
        C.DRAFT,
        business,
        official,
    )


def test_a_proposal_without_reason_keeps_the_input(official_client):
    initiative = make_initiative()
    response = official_client.post(
        reverse("workspace:commendation-create"),
        {"initiative": initiative.pk, "recipient_kind": "collective", "recipient_name": "Tổ 5"},
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert 'value="Tổ 5"' in response.content.decode()
    assert not Commendation.objects.exists()


def test_the_dossier_lists_what_is_missing_and_submit_waits_for_it(official_client):
    commendation = make_commendation()
    html = official_client.get(_detail(commendation)).content.decode()
    for label in ("Tờ trình", "Báo cáo thành tích", "Biên bản họp Hội đồng"):
        assert label in html
    assert html.count("Còn thiếu:") == 3
    submit = reverse("workspace:commendation-submit", args=[commendation.pk])
    assert submit not in html
    response = official_client.post(submit, follow=True)
    assert "Hồ sơ chưa đủ" in response.content.decode()
    commendation.refresh_from_db()
    assert commendation.status == C.DRAFT


def test_uploading_removing_and_submitting_the_dossier(official_client, official):
    commendation = make_commendation()
    attach = reverse("workspace:dossier-attach", args=[commendation.pk])
    for kind in ("proposal_letter", "achievement_report", "council_minutes"):
        response = official_client.post(attach, {"kind": kind, "file": uploaded_pdf(f"{kind}.pdf")})
        assert response["Location"] == _detail(commendation)
    assert sorted(commendation.documents.values_list("kind", flat=True)) == [
        "achievement_report",
        "council_minutes",
        "proposal_letter",
    ]
    extra = DossierDocument.objects.get(kind="council_minutes")
    official_client.post(reverse("workspace:dossier-remove", args=[extra.pk]))
    assert not DossierDocument.objects.filter(pk=extra.pk).exists()
    assert "Còn thiếu:" in official_client.get(_detail(commendation)).content.decode()
    official_client.post(attach, {"kind": "council_minutes", "file": uploaded_pdf()})
    html = official_client.get(_detail(commendation)).content.decode()
    submit = reverse("workspace:commendation-submit", args=[commendation.pk])
    assert submit in html
    official_client.post(submit)
    commendation.refresh_from_db()
    assert commendation.status == C.SUBMITTED
    assert commendation.transitions.get().by == official
    html = official_client.get(_detail(commendation)).content.decode()
    assert attach not in html, "the dossier is closed once submitted"


def test_a_file_that_is_not_a_pdf_or_image_is_refused_on_the_form(official_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    commendation = make_commendation()
    response = official_client.post(
        reverse("workspace:dossier-attach", args=[commendation.pk]),
        {
            "kind": "proposal_letter",
            "file": SimpleUploadedFile("to-trinh.pdf", b"MZ not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert not DossierDocument.objects.exists()


def test_the_certificate_is_linked_once_decided(official_client):
    draft = make_commendation()
    decided = make_commendation(status=C.DECIDED)
    certificate = reverse("workspace:certificate", args=[decided.pk])
    assert certificate in official_client.get(_detail(decided)).content.decode()
    assert reverse("workspace:certificate", args=[draft.pk]) not in (
        official_client.get(_detail(draft)).content.decode()
    )
    assert "GIẤY KHEN" in official_client.get(certificate).content.decode()


def test_the_committee_sees_a_link_to_the_admin_instead_of_decision_buttons(
    committee_client, official
):
    commendation = make_commendation()
    attach_full_dossier(commendation, by=official)
    from campaigns import workflow

    workflow.commendation_submit(commendation=commendation, by=official)
    html = committee_client.get(_detail(commendation)).content.decode()
    assert reverse("admin:campaigns_commendation_change", args=[commendation.pk]) in html
    actions = html.split('id="actions-heading"')[1].split("</section>")[0]
    assert "<button" not in actions and "<form" not in actions


def test_get_on_dossier_actions_is_405(official_client, official):
    commendation = make_commendation()
    attach_full_dossier(commendation, by=official)
    document = commendation.documents.first()
    for url in (
        reverse("workspace:dossier-attach", args=[commendation.pk]),
        reverse("workspace:commendation-submit", args=[commendation.pk]),
        reverse("workspace:dossier-remove", args=[document.pk]),
    ):
        assert official_client.get(url).status_code == 405
    commendation.refresh_from_db()
    assert commendation.status == C.DRAFT and commendation.documents.count() == 3
