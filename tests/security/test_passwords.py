"""Password rules as Django recommends them: all four validators, enforced on change."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories


def test_all_four_recommended_validators_are_configured():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("ngan", "password_too_short"),
        ("password123", "password_too_common"),
        ("2023041720230417", "password_entirely_numeric"),
        ("nguyenvanan", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    user = factories.make_user("nguyenvanan")
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user)
    assert code in [e.code for e in excinfo.value.error_list]


@pytest.mark.django_db
def test_a_strong_password_passes():
    validate_password("Mo-hinh-duong-hoa-Le-Loi-2023", factories.make_user("nguyenvanan"))


@pytest.mark.django_db
def test_changing_to_a_weak_password_keeps_the_old_one(client):
    user = factories.make_user("nguyenvanan", password="Mat-khau-cu-du-dai-1")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Mat-khau-cu-du-dai-1",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("Mat-khau-cu-du-dai-1")
