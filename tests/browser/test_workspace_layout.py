"""The workspace's tab bar fits on one line on a 1366 × 768 laptop screen, the most common
screen in the ward's offices, for a user who sees every tab."""

import pytest
from PIL import Image

from tests import factories
from tests.browser.conftest import ARTIFACTS_DIR, log_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def test_the_tab_bar_is_one_row_at_1366_pixels(page):
    """In Vietnamese, the officials' language (the English labels are longer: two rows)."""
    factories.make_user("quantri", is_staff=True, is_superuser=True)
    page.set_viewport_size(LAPTOP)
    log_in(page, "quantri")
    page.goto("/quan-ly/")
    bar = page.locator(".workspace-nav ul")
    tabs = bar.locator("li")
    assert tabs.count() >= 10  # every tab: dashboard … guide, admin
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / "workspace-tab-bar-1366.png"
    bar.screenshot(path=str(path))
    one_row = tabs.first.bounding_box()["height"]
    with Image.open(path) as shot:
        assert abs(shot.height - one_row) <= 1, (shot.height, one_row)
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1, tops
