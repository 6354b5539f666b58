"""A ward is named one way in both languages: "Phường Sầm Sơn", its proper name, as
WARD_NAME and the ward's seal write it; English pages never say "Ward Sầm Sơn" beside it."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_ward_model():
    new = factories.make_admin_unit("Sầm Sơn")
    old = factories.make_admin_unit("Trường Sơn", successor=new)
    return factories.make_initiative("Đường hoa Lê Lợi", admin_unit=old)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_ward_keeps_its_proper_name_in_either_language(language):
    unit = factories.make_admin_unit("Sầm Sơn")
    with translation.override(language):
        assert str(unit) == "Phường Sầm Sơn"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_model_page_and_the_list_name_the_wards_as_the_ward_does(
    client, merged_ward_model, language
):
    """The model's area, its merged successor, the header's WARD_NAME and the list's ward
    filter all read "Phường …", in English too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(merged_ward_model.get_absolute_url()).content.decode()
    listing = client.get("/mo-hinh/").content.decode()
    assert f'<html lang="{language}">' in page
    successor = "nay thuộc" if language == "vi" else "now part of"
    assert f"Phường Trường Sơn ({successor} Phường Sầm Sơn)" in page
    assert settings.WARD_NAME in page
    assert re.search(r"<option[^>]*>Phường Trường Sơn</option>", listing)
    for body in (page, listing):
        assert not re.search(r"\bWard (?:Sầm|Trường) Sơn", body)
