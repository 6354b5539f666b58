"""Readers on the public pages through gunicorn: every request answered, none with a 5xx.

Bounded: LOAD_SECONDS (default 4) of load from LOAD_READERS (default 8) threads, at most
5000 requests, on loopback only. The figures are printed for the CI log.
"""

import os

import pytest

from registry.choices import InitiativeStatus
from tests import factories
from tests.load.harness import AppServer, reader, run_load

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "4"))
LOAD_READERS = int(os.environ.get("LOAD_READERS", "8"))


@pytest.fixture
def public_paths(django_db_serialized_rollback, transactional_db):
    """Committed rows the server process can see; what migrations made is restored after."""
    field = factories.make_field("Văn hoá – xã hội")
    area = factories.make_area("Khu phố Trường Sơn")
    initiatives = []
    for n in range(15):
        initiative = factories.make_initiative(f"Đường hoa Lê Lợi {n}", field=field)
        initiative.residential_areas.add(area)
        initiatives.append(initiative)
    draft = factories.make_initiative("Bản nháp", status=InitiativeStatus.DRAFT, published=False)
    return {
        "pages": [
            "/",
            "/mo-hinh/",
            "/mo-hinh/?page=2",
            "/mo-hinh/?q=duong+hoa",
            f"/mo-hinh/?field={field.pk}&area={area.pk}",
            *(i.get_absolute_url() for i in initiatives[:5]),
        ],
        "draft": draft.get_absolute_url(),
        "title": initiatives[0].title,
        "detail": initiatives[0].get_absolute_url(),
    }


def test_readers_on_public_pages_get_answers_and_never_a_server_error(
    public_paths, tmp_path, load_figures
):
    with AppServer(tmp_path) as server:
        report = run_load(
            server.url, [reader(public_paths["pages"])] * LOAD_READERS, seconds=LOAD_SECONDS
        )
        log = server.log()
    load_figures(f"{LOAD_READERS} readers: {report.format()}")

    assert report.requests > 0
    assert report.server_errors == 0, log
    assert not report.failures, [r.error for r in report.failures[:5]]
    assert set(report.statuses) == {200}, report.statuses
    detail = next(r for r in report.results if r.path == public_paths["detail"])
    assert public_paths["title"] in detail.body.decode()
    assert report.latency(0.95) < 5, "p95 latency above 5 s on loopback"


def test_the_server_answers_like_the_site_draft_404_and_headers(public_paths, tmp_path):
    """The harness serves the real project: a draft is 404, pages carry the CSP."""
    with AppServer(tmp_path, workers=1, threads=1) as server:
        report = run_load(server.url, [reader([public_paths["draft"]])], max_requests=1)
    assert report.statuses == {404: 1}
    assert "Không tìm thấy trang" in report.results[0].body.decode()
    assert "default-src 'none'" in report.results[0].headers["Content-Security-Policy"]
