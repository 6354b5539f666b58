"""Both file stores in S3-compatible buckets: a real S3 server (moto's server mode) on
loopback, the settings built from the same variables a site sets, uploads through the real
views, and private files kept from the public."""

import json
import socket
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.urls import reverse

from campaigns import workflow
from campaigns.review_choices import DossierKind
from registry.models import Initiative, Photo
from tests.campaigns import factories_reviews as f
from tests.factories import uploaded_image
from tests.workspace.helpers import initiative_post_data, management
from wardmodels import health
from wardmodels.settings import env_s3_storage

boto3 = pytest.importorskip("boto3", reason="the [s3] extra is in the test lock")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is in the test lock")

pytestmark = pytest.mark.django_db

PUBLIC_BUCKET, PRIVATE_BUCKET = "ward-public", "ward-private"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
        }
    ],
}
KEYS = {"S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port())
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = _client(endpoint)
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    # As docs/deploy.md says: anyone may read the public bucket (its policy); the private one
    # keeps the default (nothing without the keys).
    client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield endpoint
    server.stop()


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )


def _keys(endpoint, bucket) -> list[str]:
    listing = _client(endpoint).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.fixture
def buckets(s3_endpoint, settings, monkeypatch):
    """The settings a site gets from its environment, pointed at the loopback server."""
    for name, value in {
        **KEYS,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": env_s3_storage(
            "S3_PUBLIC_BUCKET", "wardmodels.storage_s3.PublicS3Storage", querystring_auth=False
        ),
        "private": env_s3_storage("S3_PRIVATE_BUCKET", "wardmodels.storage_s3.PrivateS3Storage"),
    }
    return s3_endpoint


def test_a_model_photo_uploaded_in_the_workspace_lands_in_the_public_bucket(
    buckets, official_client
):
    data = initiative_post_data()
    data.update(management("photos", 1))
    data.update(
        {
            "photos-0-image": uploaded_image("hoa.jpg", size=(640, 480)),
            "photos-0-alt_text": "Hàng chậu hoa giấy dọc đường Lê Lợi",
            "photos-0-order": "0",
        }
    )
    response = official_client.post(reverse("workspace:initiative-create"), data)
    assert response.status_code == 302
    photo = Photo.objects.get(initiative=Initiative.objects.get())
    assert type(photo.image.storage._wrapped).__name__ == "PublicS3Storage"
    stored = set(_keys(buckets, PUBLIC_BUCKET))
    assert {photo.image.name, photo.thumbnail.name} <= stored
    assert (photo.width, photo.height) == (640, 480)
    # Read back from the bucket by its public URL (the bytes are the re-encoded JPEG).
    assert photo.image.url.startswith(f"{buckets}/{PUBLIC_BUCKET}/")
    with urllib.request.urlopen(photo.image.url, timeout=10) as answer:
        body = answer.read()
    assert body[:3] == b"\xff\xd8\xff"
    with photo.image.open("rb") as handle:
        assert handle.read() == body
    assert photo.image.name not in _keys(buckets, PRIVATE_BUCKET)


def test_a_dossier_file_goes_to_the_private_bucket_and_only_the_permitted_get_it(
    buckets, official, client, committee_member
):
    document = workflow.dossier_attach(
        commendation=f.make_commendation(),
        kind=DossierKind.PROPOSAL_LETTER,
        file=f.uploaded_pdf("Tờ trình.pdf"),
        by=official,
    )
    assert document.file.name in _keys(buckets, PRIVATE_BUCKET)
    assert document.file.name not in _keys(buckets, PUBLIC_BUCKET)
    stored = _client(buckets).get_object(Bucket=PRIVATE_BUCKET, Key=document.file.name)
    original = stored["Body"].read()
    assert original.startswith(b"%PDF-")
    # No URL at all, not even a signed one; the public media path is not the bucket.
    with pytest.raises(ValueError, match="Private files have no public URL"):
        document.file.url  # noqa: B018
    assert client.get(f"/media/{document.file.name}").status_code == 404
    # Nor does the bucket give it to anyone without the keys.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{buckets}/{PRIVATE_BUCKET}/{document.file.name}", timeout=10)
    assert refused.value.code == 403
    download = reverse("workspace:dossier-download", args=[document.pk])
    anonymous = client.get(download)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(committee_member)
    permitted = client.get(download)
    assert permitted.status_code == 200
    assert b"".join(permitted.streaming_content) == original


def test_healthz_checks_both_buckets_and_leaves_nothing_behind(buckets, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    health._migrations_applied = False
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["parts"]["file stores"] == "ok"
    assert type(storages["private"]).__name__ == "PrivateS3Storage"
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        assert not [key for key in _keys(buckets, bucket) if key.startswith(health.PROBE_FOLDER)]


def test_healthz_names_the_file_stores_when_a_bucket_is_missing(buckets, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["file stores"]


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"S3_PUBLIC_BUCKET": "Not_A_Bucket"}, "S3_PUBLIC_BUCKET"),
        ({"S3_PUBLIC_BUCKET": "ward-public", "S3_ACCESS_KEY_ID": ""}, "S3_ACCESS_KEY_ID"),
        (
            {"S3_PUBLIC_BUCKET": "ward-public", "S3_SECRET_ACCESS_KEY": ""},
            "S3_SECRET_ACCESS_KEY",
        ),
        ({"S3_PUBLIC_BUCKET": "ward-public", "S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL"),
    ],
)
def test_a_malformed_bucket_setting_is_refused_naming_the_variable(monkeypatch, environment, named):
    for name, value in {**KEYS, **environment}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        env_s3_storage("S3_PUBLIC_BUCKET", "wardmodels.storage_s3.PublicS3Storage")


def test_without_a_bucket_the_stores_are_local_folders(settings):
    assert env_s3_storage("WARDMODELS_TEST_NO_BUCKET", "x") is None
    assert type(storages["private"]).__name__ == "PrivateFileSystemStorage"
