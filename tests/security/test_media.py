"""Public media: only re-encoded photos, typed by extension, never sniffed or run as a page."""

from pathlib import Path

import pytest
from django.conf import settings

from tests import factories


@pytest.fixture
def photos():
    folder = Path(settings.MEDIA_ROOT) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_photo_is_served_as_an_image_that_browsers_may_not_sniff(client, photos):
    (photos / "duong-hoa.jpg").write_bytes(factories.image_bytes())
    response = client.get("/media/photos/duong-hoa.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == factories.image_bytes()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a.png", "image/png"), ("b.webp", "image/webp"), ("c.JPEG", "image/jpeg")],
)
def test_each_accepted_image_type_gets_its_content_type(client, photos, name, content_type):
    (photos / name).write_bytes(b"\x89PNG not really")
    response = client.get(f"/media/photos/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


@pytest.mark.parametrize(
    "name", ["trang.html", "anh.svg", "x.js", "tep.htm", "anh.jpg.html", "ban"]
)
def test_a_file_that_is_not_an_image_is_not_served_at_all(client, photos, name):
    (photos / name).write_text("<script>alert('xss')</script>", encoding="utf-8")
    response = client.get(f"/media/photos/{name}")
    assert response.status_code == 404
    assert "alert('xss')" not in response.content.decode()
    assert "Không tìm thấy trang" in response.content.decode()


def test_html_saved_with_an_image_name_is_still_typed_as_an_image(client, photos):
    (photos / "gia.jpg").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    response = client.get("/media/photos/gia.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_outside_photos_are_not_public(client):
    private = Path(settings.MEDIA_ROOT) / "dossiers"
    private.mkdir(parents=True, exist_ok=True)
    (private / "ho-so.jpg").write_bytes(factories.image_bytes())
    assert client.get("/media/dossiers/ho-so.jpg").status_code == 404
    assert client.get("/media/photos/../dossiers/ho-so.jpg").status_code == 404
    assert client.get("/media/photos/..%2Fdossiers%2Fho-so.jpg").status_code == 404
