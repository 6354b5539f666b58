"""The officials' guide (/quan-ly/huong-dan/): linked from the workspace navigation."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GUIDE = reverse("workspace:guide")


def test_the_workspace_navigation_links_to_the_guide(official_client):
    page = official_client.get(reverse("workspace:dashboard")).content.decode()
    assert f'<a href="{GUIDE}">Hướng dẫn</a>' in page


def test_the_guide_explains_the_daily_tasks(official_client):
    page = official_client.get(GUIDE).content.decode()
    for heading in (
        "Đăng ký một mô hình",
        "Ghi sổ đóng góp",
        "Đề nghị công nhận",
        "Đề nghị khen thưởng",
        "Trả lời góp ý của người dân",
    ):
        assert f">{heading}</h2>" in page
    assert "tờ trình, báo cáo thành tích, biên bản họp" in page
    assert "số âm" in page  # corrections by reversal, never by editing
    assert 'aria-current="page">Hướng dẫn' in page


def test_the_guide_reads_in_english(official_client):
    official_client.cookies["django_language"] = "en"
    from django.conf import settings

    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = official_client.get(GUIDE).content.decode()
    assert ">Guide</h1>" in page
    assert "Register a model" in page
