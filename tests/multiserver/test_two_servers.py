"""Two app servers, one site: shared database, Redis cache and media directory.

Both gunicorn instances run against the test database (on SQLite: one file both open) and
the machine's Redis (``redis://127.0.0.1:6379``, a database of its own); writes go through
server A and are read through server B.
"""

import re
import uuid
from html.parser import HTMLParser

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from registry.models import Initiative
from tests.factories import image_bytes, make_initiative, make_official
from tests.load.harness import AppServer, Session, database_url_for_subprocess
from tests.workspace.helpers import edit_post_data

# A Redis database of its own per engine, so that the SQLite and PostgreSQL passes may run
# at the same time.
REDIS_URL = f"redis://127.0.0.1:6379/{12 if connection.vendor == 'postgresql' else 11}"
PASSWORD = "hai-may-chu-" + "x" * 12
STAMP = re.compile(r'name="form_started" value="([^"]+)"')


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append((dict(attrs).get("alt", ""), dict(attrs).get("src", "")))


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post_multipart(session: Session, path: str, fields: dict, files: dict):
    import urllib.request

    fields = {**fields, "csrfmiddlewaretoken": session.csrf_token()}
    body, content_type = _multipart(fields, files)
    request = urllib.request.Request(
        session.base_url + path,
        data=body,
        method="POST",
        headers={"Content-Type": content_type, "Referer": session.base_url + path},
    )
    try:
        with session.opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # the machine's Redis must run: fail, never skip
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_app_servers_share_sessions_cache_invalidation_uploads_limits_and_the_ledger(
    tmp_path, redis_db, client, settings
):
    official = make_official("hai-may-chu")
    # A real PBKDF2 hash: the servers do not know the tests' fast MD5 hasher.
    official.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    official.save(update_fields=["password"])
    initiative = make_initiative("Đường hoa Lê Lợi")
    client.force_login(official)
    form_data = edit_post_data(client, initiative)

    shared_media = tmp_path / "shared-media"
    shared_media.mkdir()
    env = {
        "DATABASE_URL": database_url_for_subprocess(tmp_path),
        "CACHE_URL": redis_db,
        "PAGE_CACHE_SECONDS": "600",
        "MEDIA_ROOT": str(shared_media),
        "FEEDBACK_MIN_SECONDS": "0",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        AppServer(tmp_path / "a", workers=2, threads=2, env=env) as a,
        AppServer(tmp_path / "b", workers=2, threads=2, env=env) as b,
    ):
        results = []
        anonymous_b = Session(b.url, results.append)
        page = initiative.get_absolute_url()
        # B caches the public page for anonymous visitors.
        anonymous_b.get(page)
        cached = anonymous_b.get(page)
        assert cached.headers.get("X-Page-Cache") == "hit"
        assert "Đường hoa Lê Lợi" in cached.body.decode()

        # Log in on A; the session is valid on B.
        on_a = Session(a.url, results.append)
        assert on_a.login("hai-may-chu", PASSWORD).status == 302
        on_b = Session(b.url, results.append)
        for cookie in on_a.cookies:
            on_b.cookies.set_cookie(cookie)
        dashboard = on_b.get("/quan-ly/")
        assert dashboard.status == 200, dashboard.body[:500]
        # Signed in on B: the logout button, not the login link (the page names no user).
        assert 'action="/accounts/logout/"' in dashboard.body.decode()
        assert 'href="/accounts/login/"' not in dashboard.body.decode()

        # Change the model and upload a photo through A.
        on_a.get(f"/quan-ly/mo-hinh/{initiative.pk}/sua/")  # fresh CSRF cookie on A
        fields = {**form_data, "title": "Đường hoa Lê Lợi, mùa hoa 2025"}
        n = int(fields["photos-TOTAL_FORMS"])
        fields.update(
            {
                "photos-TOTAL_FORMS": str(n + 1),
                f"photos-{n}-alt_text": "Chậu hoa giấy dọc đường Lê Lợi",
                f"photos-{n}-order": "0",
            }
        )
        status, body = _post_multipart(
            on_a,
            f"/quan-ly/mo-hinh/{initiative.pk}/sua/",
            fields,
            {f"photos-{n}-image": ("hoa.jpg", image_bytes(size=(320, 240)), "image/jpeg")},
        )
        assert status == 302, body.decode()[:2000]

        # B's cached public page shows the change at once, with the photo A stored.
        fresh = anonymous_b.get(page)
        assert fresh.headers.get("X-Page-Cache") == "miss"
        assert "Đường hoa Lê Lợi, mùa hoa 2025" in fresh.body.decode()
        images = _Images()
        images.feed(fresh.body.decode())
        photo_urls = [src for alt, src in images.sources if alt == "Chậu hoa giấy dọc đường Lê Lợi"]
        assert photo_urls, images.sources
        served = anonymous_b.get(photo_urls[0])
        assert served.status == 200 and served.body[:2] == b"\xff\xd8"  # a JPEG, from B
        assert any(shared_media.rglob("*.jpg"))

        # The feedback limits are counted in the shared cache: a resident's fourth
        # submission within the hour is refused, whichever server each one reaches.
        form = reverse("public:feedback-submit", args=[initiative.slug])
        statuses = []
        for n, server in enumerate([a, b, a, b], start=1):
            resident = Session(server.url, results.append)
            stamp = STAMP.search(resident.get(form).body.decode()).group(1)
            text = f"Đề nghị phường lắp thêm đèn ở đầu ngõ số {n}, buổi tối rất tối."
            data = {"kind": "suggestion", "text": text, "form_started": stamp}
            answer = resident.post(form, data)
            statuses.append(answer.status)
        assert statuses == [302, 302, 302, 429], statuses
        assert "3 góp ý trong một giờ" in answer.body.decode()

        if connection.vendor != "postgresql":
            # SQLite: the servers share a copy of the test database, which this process
            # does not see; the ledger part needs the one database all three processes use.
            return
        saved = Initiative.objects.get(pk=initiative.pk)
        assert saved.title == "Đường hoa Lê Lợi, mùa hoa 2025"

        # The ledger: a donation recorded through A is counted on B's public page.
        from tests.campaigns.factories import make_contributor

        contributor = make_contributor(
            name="Hộ bà Nguyễn Thị Lan", publish_name=True, publish_amount=True
        )
        from datetime import date

        from campaigns.workflow import donation_record

        # This process is a third "server": it shares the Redis cache too.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_db,
            }
        }
        settings.PAGE_CACHE_SECONDS = 600
        donation_record(
            initiative=saved, contributor=contributor, kind="cash", amount=310_000_000,
            received_on=date(2023, 4, 1), receipt_number="PT-HAI-MAY", by=official,
        )  # fmt: skip
        # Recorded outside a request, the workflow function invalidated on commit.
        ledger_page = anonymous_b.get(page)
        assert ledger_page.headers.get("X-Page-Cache") == "miss"
        assert "Hộ bà Nguyễn Thị Lan" in ledger_page.body.decode()
        assert not [r for r in results if r.status is None or r.status >= 500]
