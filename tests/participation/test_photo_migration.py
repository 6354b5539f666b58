"""Residents' photos moved from their own storage (PRIVATE_MEDIA_ROOT/feedback) into the one
private store: their names gain the folder as a prefix, the files stay where they are."""

import pytest
from django.conf import settings

from participation.models import FeedbackPhoto
from tests import factories
from tests.migrating import migrate, migrate_to_latest
from tests.participation.factories import make_feedback

BEFORE = [("participation", "0004_ward_day_off")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_photos_saved_before_the_private_store_are_found_by_their_new_names():
    feedback = make_feedback(factories.make_initiative())
    photo = FeedbackPhoto.objects.create(
        feedback=feedback, image=factories.uploaded_image("anh.jpg")
    )
    assert photo.image.name.startswith("feedback/photos/")
    on_disk = settings.PRIVATE_MEDIA_ROOT / photo.image.name
    original = on_disk.read_bytes()
    try:
        migrate(BEFORE)
        old_name = FeedbackPhoto.objects.values_list("image", flat=True).get()
        assert old_name == photo.image.name.removeprefix("feedback/")
        migrate_to_latest()
        photo.refresh_from_db()
        assert photo.image.name == f"feedback/{old_name}"
        with photo.image.open("rb") as handle:
            assert handle.read() == original
    finally:
        migrate_to_latest()
