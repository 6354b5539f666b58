from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import workflow
from campaigns.models import DossierDocument
from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import DossierKind
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db


def _attach(official, upload, commendation=None):
    return workflow.dossier_attach(
        commendation=commendation or f.make_commendation(),
        kind=DossierKind.PROPOSAL_LETTER,
        file=upload,
        by=official,
    )


def test_a_pdf_is_stored_privately_under_a_generated_name(official):
    document = _attach(official, f.uploaded_pdf("Tờ trình của khu phố.pdf"))
    stored = Path(document.file.path)
    assert stored.is_file()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in stored.resolve().parents
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents
    assert "trinh" not in stored.name.lower() and stored.suffix == ".pdf"
    assert document.original_name == "Tờ trình của khu phố.pdf"
    assert document.content_type == "application/pdf"
    assert document.uploaded_by == official


def test_an_image_is_accepted_by_its_content_whatever_its_name(official):
    upload = SimpleUploadedFile("scan.pdf", factories.image_bytes("PNG"), content_type="text/plain")
    document = _attach(official, upload)
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "unsupported_format"),
        (b"MZ\x90\x00 not a pdf", "unsupported_format"),
        (b"%PDF-1.4 cut short", "broken_pdf"),
    ],
)
def test_other_content_is_refused_whatever_its_name(official, content, code):
    upload = SimpleUploadedFile("bien-ban.pdf", content, content_type="application/pdf")
    with pytest.raises(workflow.WorkflowError) as exc:
        _attach(official, upload)
    assert exc.value.code == code
    assert not DossierDocument.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(official, settings):
    settings.DOSSIER_MAX_BYTES = 100
    with pytest.raises(workflow.WorkflowError) as exc:
        _attach(official, f.uploaded_pdf())
    assert exc.value.code == "file_too_large"


def test_files_are_attached_only_to_a_draft(official):
    commendation = f.make_commendation(status=C.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as exc:
        _attach(official, f.uploaded_pdf(), commendation)
    assert exc.value.code == "wrong_state"


def test_attaching_needs_the_propose_permission(committee_member):
    with pytest.raises(workflow.WorkflowError) as exc:
        _attach(committee_member, f.uploaded_pdf())
    assert exc.value.code == "permission"


def test_removing_a_file_deletes_it_from_the_disk(official, django_capture_on_commit_callbacks):
    document = _attach(official, f.uploaded_pdf())
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dossier_remove(document=document, by=official)
    assert not DossierDocument.objects.exists()
    assert not path.exists()


def test_staff_download_a_file_as_an_attachment(official, committee_client):
    document = _attach(official, f.uploaded_pdf())
    response = committee_client.get(reverse("workspace:dossier-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        f"proposal_letter-{document.commendation_id}-{document.pk}.pdf"
        in response["Content-Disposition"]
    )
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_anonymous_visitors_are_sent_to_the_login_page(official, client):
    document = _attach(official, f.uploaded_pdf())
    response = client.get(reverse("workspace:dossier-download", args=[document.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_user_without_the_permission_gets_403(official, client):
    document = _attach(official, f.uploaded_pdf())
    client.force_login(factories.make_user(is_staff=True))
    response = client.get(reverse("workspace:dossier-download", args=[document.pk]))
    assert response.status_code == 403


def test_dossier_files_have_no_public_url(official, client):
    document = _attach(official, f.uploaded_pdf())
    with pytest.raises(ValueError, match="Private files have no public URL"):
        document.file.url  # noqa: B018
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/photos/../{document.file.name}").status_code == 404


def test_the_admin_inline_checks_the_file_by_content(official_client):
    commendation = f.make_commendation()
    url = reverse("admin:campaigns_commendation_change", args=[commendation.pk])
    page = official_client.get(url)
    assert page.status_code == 200
    data = {
        "initiative": commendation.initiative_id,
        "recipient_kind": commendation.recipient_kind,
        "recipient_name": commendation.recipient_name,
        "form": commendation.form,
        "reason": commendation.reason,
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-kind": DossierKind.COUNCIL_MINUTES,
        "documents-0-file": SimpleUploadedFile("x.pdf", b"not a pdf at all"),
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    response = official_client.post(url, data)
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF hoặc ảnh" in response.content.decode()
    assert not DossierDocument.objects.exists()

    data["documents-0-file"] = f.uploaded_pdf("bien-ban.pdf")
    response = official_client.post(url, data)
    assert response.status_code == 302
    document = DossierDocument.objects.get()
    assert document.kind == DossierKind.COUNCIL_MINUTES
    assert document.uploaded_by.username == "canbo"
