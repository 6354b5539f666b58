"""Every response under /quan-ly/ says ``Cache-Control: no-store``: pages, exports, refusals,
redirects and errors alike (they carry contributors' phones and addresses).

The URLs come from the access table, so a workspace page added later is covered here too.
"""

import pytest
from django.test import Client

from tests.security.test_url_access import EXPECTED, _url, _user_with_access
from tests.urls_walk import project_routes

pytestmark = pytest.mark.django_db

WORKSPACE = sorted(route.name for route in project_routes() if route.route.startswith("quan-ly/"))


def _assert_no_store(response):
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control, (response.status_code, cache_control)
    assert "private" in cache_control


def test_the_walk_finds_the_workspace_and_its_exports():
    assert "workspace:dashboard" in WORKSPACE and "workspace:report-xlsx" in WORKSPACE
    assert len(WORKSPACE) > 40


@pytest.mark.parametrize("name", WORKSPACE)
def test_every_workspace_response_is_no_store(name):
    expect = EXPECTED[name]
    kwargs = expect.kwargs()
    url = _url(name, kwargs)
    anonymous = Client()
    _assert_no_store(anonymous.get(url))  # a login redirect, or 405 for an action
    client = Client()
    client.force_login(_user_with_access(expect))
    if expect.post_only:
        response = client.post(url, expect.post_data(kwargs))  # the action's redirect
    else:
        response = client.get(url)  # the page or the download
        assert response.status_code == expect.status, response.status_code
    _assert_no_store(response)


def test_a_missing_workspace_page_and_a_refusal_are_no_store(client):
    from tests import factories

    _assert_no_store(client.get("/quan-ly/khong-co/"))
    client.force_login(factories.make_user("nguoidan"))
    refused = client.get("/quan-ly/")
    assert refused.status_code == 403
    _assert_no_store(refused)
    _assert_no_store(client.get("/quan-ly/mo-hinh/?q=%00"))


def test_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get("/mo-hinh/").get("Cache-Control", "")
