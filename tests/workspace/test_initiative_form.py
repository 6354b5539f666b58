"""Creating and editing a model with its indicators, commitments and photos in one form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import InitiativeStatus as S
from registry.models import Indicator, Initiative, Photo
from tests.factories import make_initiative, make_official, make_photo, uploaded_image
from tests.workspace.helpers import edit_post_data, initiative_post_data, management

pytestmark = pytest.mark.django_db

CREATE = reverse("workspace:initiative-create")

TWO_INDICATORS = [
    {"label": "Chậu hoa giấy", "unit": "chậu", "target": "310", "actual": "310"},
    {"label": "Chiều dài tuyến đường", "unit": "km", "target": "2", "actual": "2"},
]
COMMITMENT = "Không lấn chiếm vỉa hè"


def test_an_official_creates_a_model_with_indicators_commitments_and_a_photo(
    official_client, official
):
    data = initiative_post_data(indicators=TWO_INDICATORS, commitments=[COMMITMENT])
    data.update(management("photos", 1))
    data.update(
        {
            "photos-0-image": uploaded_image("hoa.jpg"),
            "photos-0-alt_text": "Hàng chậu hoa giấy dọc đường Lê Lợi",
            "photos-0-order": "0",
        }
    )
    response = official_client.post(CREATE, data, format="multipart")
    initiative = Initiative.objects.get(code="DVK-2023-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:initiative-detail", args=[initiative.pk])
    assert initiative.slug == "dam-bao-my-quan-do-thi-duong-hoa-le-loi"
    assert (initiative.status, initiative.published) == (S.DRAFT, False)
    assert initiative.created_by == official and initiative.updated_by == official
    assert initiative.funding_target == 310_000_000
    assert initiative.started_on == dt.date(2023, 1, 15)
    assert [(i.label, i.target, i.unit) for i in initiative.indicators.all()] == [
        ("Chậu hoa giấy", Decimal("310"), "chậu"),
        ("Chiều dài tuyến đường", Decimal("2"), "km"),
    ]
    assert [c.text for c in initiative.commitments.all()] == [COMMITMENT]
    photo = initiative.photos.get()
    assert photo.alt_text == "Hàng chậu hoa giấy dọc đường Lê Lợi"
    assert photo.thumbnail, "the upload went through registry/images.py"
    assert not photo.image.name.endswith("hoa.jpg"), "the stored name is generated"


def test_the_status_and_publication_cannot_be_set_through_the_form(official_client):
    data = initiative_post_data(status="implementing", published="on", first_published_at="x")
    official_client.post(CREATE, data)
    initiative = Initiative.objects.get()
    assert (initiative.status, initiative.published) == (S.DRAFT, False)


def test_empty_extra_rows_are_ignored(official_client):
    data = initiative_post_data()
    data.update(management("indicators", 2))
    data.update({"indicators-0-order": "0", "indicators-1-order": "0"})
    response = official_client.post(CREATE, data)
    assert response.status_code == 302
    assert not Indicator.objects.exists()


def test_an_invalid_form_keeps_everything_typed_including_the_rows(official_client):
    data = initiative_post_data(
        title="",
        indicators=[
            {"label": "Chậu hoa giấy", "unit": "chậu", "target": "310"},
            {"label": "Chiều dài tuyến đường", "unit": "km", "target": "-2"},
        ],
        commitments=["Đổ rác đúng giờ, đúng nơi quy định"],
    )
    response = official_client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Initiative.objects.exists()
    assert "Chưa lưu được" in html
    assert "Trường này là bắt buộc." in html  # the empty title, in Vietnamese
    assert "Số liệu không thể âm." in html
    for typed in (
        "DVK-2023-01",
        "310 chậu hoa giấy trên 2 km đường.",
        'value="Chậu hoa giấy"',
        'value="Chiều dài tuyến đường"',
        'value="-2"',
        "Đổ rác đúng giờ, đúng nơi quy định",
        'value="310000000"',
    ):
        assert typed in html, typed


def test_a_photo_without_alt_text_is_refused_and_the_user_asked_to_choose_it_again(
    official_client,
):
    data = initiative_post_data()
    data.update(management("photos", 1))
    data.update({"photos-0-image": uploaded_image(), "photos-0-order": "0"})
    html = official_client.post(CREATE, data).content.decode()
    assert not Initiative.objects.exists() and not Photo.objects.exists()
    assert "hãy chọn lại ảnh" in html


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(official_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = initiative_post_data()
    data.update(management("photos", 1))
    data.update(
        {
            "photos-0-image": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"),
            "photos-0-alt_text": "Ảnh",
            "photos-0-order": "0",
        }
    )
    response = official_client.post(CREATE, data)
    assert not Initiative.objects.exists()
    message = (
        "Hãy tải lên một hình ảnh hợp lệ. Tập tin mà bạn đã tải không phải là hình ảnh hoặc "
        "đã bị hư hỏng."
    )
    photos = dict(response.context["formsets"])["Hình ảnh"]
    assert photos.errors == [{"image": [message]}]
    html = response.content.decode()
    assert f'<p class="field-error">{message}</p>' in html
    assert 'aria-describedby="id_photos-0-image_error" id="id_photos-0-image"' in html


def test_editing_updates_removes_and_adds_rows(official_client, official):
    initiative = make_initiative(status=S.DRAFT, published=False)
    keep = Indicator.objects.create(initiative=initiative, label="Chậu hoa", target=300)
    drop = Indicator.objects.create(initiative=initiative, label="Bỏ đi", order=1)
    make_photo(initiative)
    data = edit_post_data(official_client, initiative)
    data["title"] = "Tuyến đường hoa Lê Lợi"
    forms = {data[f"indicators-{i}-id"]: i for i in range(2)}
    data[f"indicators-{forms[str(keep.pk)]}-target"] = "310"
    data[f"indicators-{forms[str(drop.pk)]}-DELETE"] = "on"
    data["indicators-TOTAL_FORMS"] = "3"
    data.update({"indicators-2-label": "Chiều dài", "indicators-2-order": "2"})
    response = official_client.post(
        reverse("workspace:initiative-edit", args=[initiative.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative.refresh_from_db()
    assert initiative.title == "Tuyến đường hoa Lê Lợi"
    assert initiative.updated_by == official
    assert [(i.label, i.target) for i in initiative.indicators.all()] == [
        ("Chậu hoa", Decimal("310")),
        ("Chiều dài", None),
    ]
    assert initiative.photos.count() == 1, "a photo not re-uploaded stays"


def test_a_second_save_does_not_silently_overwrite_the_first(client, official_client):
    initiative = make_initiative(status=S.DRAFT, published=False, summary="Ban đầu")
    url = reverse("workspace:initiative-edit", args=[initiative.pk])
    first = edit_post_data(official_client, initiative)  # both load the same version
    second = dict(first)

    first["summary"] = "Bản của chị Lan"
    assert official_client.post(url, first).status_code == 302

    other = make_official("anhminh")
    client.force_login(other)
    second["summary"] = "Bản của anh Minh"
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    initiative.refresh_from_db()
    assert initiative.summary == "Bản của chị Lan", "the first save is kept"
    saved_at = timezone.localtime(initiative.updated_at).strftime("%H:%M")
    assert f"canbo đã lưu mô hình này lúc {saved_at}" in html
    assert "Bản của anh Minh" in html, "the user's input is kept"

    # Having read the message, saving again is a deliberate overwrite.
    again = dict(second)
    again["version"] = response.context["form"]["version"].value()
    assert client.post(url, again).status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Bản của anh Minh"


def test_a_published_slug_cannot_be_changed(official_client):
    initiative = make_initiative(slug="duong-hoa-le-loi")
    data = edit_post_data(official_client, initiative)
    data["slug"] = "doi-duong-dan"
    official_client.post(reverse("workspace:initiative-edit", args=[initiative.pk]), data)
    initiative.refresh_from_db()
    assert initiative.slug == "duong-hoa-le-loi"


def test_the_edit_page_offers_js_free_extra_rows_and_the_add_row_script(official_client):
    initiative = make_initiative(status=S.DRAFT, published=False)
    html = official_client.get(
        reverse("workspace:initiative-edit", args=[initiative.pk])
    ).content.decode()
    assert 'name="indicators-1-label"' in html, "extra empty rows work without JavaScript"
    assert 'id="indicators-empty-form"' in html
    assert "js/formset.js" in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script>" not in html and "style=" not in html
