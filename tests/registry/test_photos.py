"""Photo uploads: only real JPEG/PNG/WebP pixels survive, without metadata, with a thumbnail."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from registry.forms import PhotoForm
from registry.models import Photo
from tests.factories import image_bytes, make_initiative, make_photo, uploaded_image

pytestmark = pytest.mark.django_db


def _gps_exif():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotated 90° clockwise when shown
    exif[ExifTags.Base.Make] = "MarkerCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (19.0, 45.0, 0.0)
    return exif


def _form(upload, **data):
    data = {"alt_text": "Chậu hoa giấy trên đường Lê Lợi", "order": 0, **data}
    form = PhotoForm(data=data, files={"image": upload})
    form.instance.initiative = make_initiative()
    return form


def test_a_gps_tagged_jpeg_is_stored_without_any_metadata_and_upright():
    upload = uploaded_image("dien-thoai.jpg", size=(64, 48), exif=_gps_exif())
    assert b"MarkerCam" in upload.read()
    upload.seek(0)
    form = _form(upload)
    assert form.is_valid(), form.errors
    photo = form.save()

    stored = photo.image.read()
    assert b"MarkerCam" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert dict(img.getexif()) == {}
        assert img.size == (48, 64), "the EXIF orientation was applied before stripping"
    assert (photo.width, photo.height) == (48, 64)


def test_the_stored_name_is_generated_not_the_uploaded_one():
    form = _form(uploaded_image("../../etc/ảnh của tôi.jpg"))
    assert form.is_valid(), form.errors
    photo = form.save()
    assert "etc" not in photo.image.name
    assert photo.image.name.startswith("photos/")
    assert photo.image.name.endswith(".jpg")


def test_a_thumbnail_is_made_for_lists(settings):
    settings.THUMBNAIL_EDGE = 100
    form = _form(uploaded_image(size=(800, 600)))
    assert form.is_valid(), form.errors
    photo = form.save()
    with Image.open(photo.thumbnail) as thumb:
        assert max(thumb.size) == 100
    assert photo.thumbnail_url != photo.image.url


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_keep_their_format(fmt):
    form = _form(uploaded_image(f"anh.{fmt.lower()}", fmt=fmt))
    assert form.is_valid(), form.errors
    photo = form.save()
    with Image.open(photo.image) as img:
        assert img.format == fmt


def test_a_truncated_jpeg_gets_a_clear_form_error_and_nothing_is_stored():
    data = image_bytes(size=(400, 300))
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")
    form = _form(upload)
    assert not form.is_valid()
    assert "image" in form.errors
    assert Photo.objects.count() == 0


def test_a_text_file_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("virus.jpg", b"<html><script>alert(1)</script></html>")
    form = _form(upload)
    assert not form.is_valid()
    assert "image" in form.errors


def test_a_gif_is_refused_with_the_list_of_accepted_formats():
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "GIF")
    form = _form(SimpleUploadedFile("anh.gif", buf.getvalue(), content_type="image/gif"))
    assert not form.is_valid()
    assert "JPEG, PNG hoặc WebP" in str(form.errors["image"])


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1000
    form = _form(uploaded_image(size=(600, 600), color=(10, 200, 90)))
    assert not form.is_valid()
    assert "quá lớn" in str(form.errors["image"])


@pytest.mark.parametrize(("language", "size"), [("vi", "Ảnh quá lớn (10,9 MB)"), ("en", "10.9 MB")])
def test_the_size_of_a_refused_photo_is_written_in_the_readers_language(settings, language, size):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from registry.images import process_photo

    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    upload = uploaded_image()
    upload.size = int(10.9 * 1024 * 1024)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        process_photo(upload)
    assert size in refused.value.messages[0]


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    form = _form(uploaded_image(size=(101, 100)))
    assert not form.is_valid()
    assert "quá nhiều điểm ảnh" in str(form.errors["image"])


def test_a_photo_of_identifiable_people_is_public_only_with_consent():
    initiative = make_initiative()
    hidden = make_photo(initiative, shows_identifiable_people=True)
    shown = make_photo(initiative, shows_identifiable_people=True, people_consented=True)
    scenery = make_photo(initiative)
    assert set(Photo.objects.public()) == {shown, scenery}
    assert hidden not in Photo.objects.public()
