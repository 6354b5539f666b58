"""Plain factory functions: real rows, sensible defaults, every default overridable."""

import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from registry.choices import InitiativeStatus
from registry.models import AdminUnit, Field, Initiative, Organization, ResidentialArea
from registry.text import vietnamese_slugify
from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS

_seq = itertools.count(1)


def ensure_default_groups() -> None:
    """Re-run the group data migrations if the groups are gone.

    A transactional test (live server, concurrency) flushes every table afterwards, and the
    groups come from data migrations, which a flush does not replay.
    """
    if Group.objects.filter(name__in=[WARD_OFFICIALS, PARTY_COMMITTEE]).count() == 2:
        return
    from django.contrib.contenttypes.models import ContentType

    # The flush recreated the content types under new ids: forget the cached old ones.
    ContentType.objects.clear_cache()
    import importlib
    import pkgutil

    from django.apps import apps

    for app in ("registry", "participation", "campaigns"):
        package = importlib.import_module(f"{app}.migrations")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if info.name.endswith("groups"):
                importlib.import_module(f"{app}.migrations.{info.name}").forwards(apps, None)


def make_user(username=None, *, groups=(), is_staff=False, is_superuser=False, password="pw"):
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if groups:
        ensure_default_groups()
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_official(username=None):
    return make_user(username or f"official{next(_seq)}", groups=[WARD_OFFICIALS], is_staff=True)


def make_committee_member(username=None):
    return make_user(username or f"committee{next(_seq)}", groups=[PARTY_COMMITTEE], is_staff=True)


def make_admin_unit(name="Trường Sơn", **kwargs):
    unit, _ = AdminUnit.objects.get_or_create(name=name, kind="ward", defaults=kwargs)
    return unit


def make_area(name=None, *, admin_unit=None, kind="quarter"):
    return ResidentialArea.objects.create(
        name=name or f"Khu phố {next(_seq)}", kind=kind, admin_unit=admin_unit or make_admin_unit()
    )


def make_field(name=None, *, parent=None):
    name = name or f"Lĩnh vực {next(_seq)}"
    return Field.objects.create(name=name, slug=vietnamese_slugify(name), parent=parent)


def make_organization(name=None, kind="mass_mobilisation"):
    return Organization.objects.create(name=name or f"Tổ chức {next(_seq)}", kind=kind)


def make_initiative(title=None, *, status=InitiativeStatus.IMPLEMENTING, published=True, **kwargs):
    """A saved initiative; public (implementing and published) unless told otherwise."""
    n = next(_seq)
    title = title or f"Mô hình thử nghiệm số {n}"
    kwargs.setdefault("code", f"T-{n:05d}")
    kwargs.setdefault("slug", vietnamese_slugify(title) + f"-{n}")
    kwargs.setdefault("field", kwargs.get("field") or make_field())
    kwargs.setdefault("admin_unit", make_admin_unit())
    if published:
        kwargs.setdefault("first_published_at", timezone.now())
    return Initiative.objects.create(title=title, status=status, published=published, **kwargs)


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    img.save(buf, fmt, **options)
    return buf.getvalue()


def uploaded_image(name="anh.jpg", fmt="JPEG", **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def make_photo(initiative, *, alt_text="Chậu hoa giấy trên đường", **kwargs):
    """A stored photo with a real (tiny) JPEG; use PhotoForm to test the upload path itself."""
    from django.core.files.base import ContentFile

    from registry.models import Photo

    n = next(_seq)
    kwargs.setdefault("image", ContentFile(image_bytes(), name=f"photo-{n}.jpg"))
    kwargs.setdefault("thumbnail", ContentFile(image_bytes(size=(32, 24)), name=f"photo-{n}-t.jpg"))
    return Photo.objects.create(initiative=initiative, alt_text=alt_text, **kwargs)


def make_milestone(initiative, *, by=None, photos=(), **fields):
    """A draft milestone written through the workflow; ``photos`` are roles ("before", …),
    each a real (tiny) JPEG cleaned by registry/images.py."""
    import datetime as dt

    from registry import workflow
    from registry.images import process_photo

    by = by or make_user(f"bientap{next(_seq)}", is_superuser=True)
    fields.setdefault("title", f"Mốc tiến độ số {next(_seq)}")
    fields.setdefault("occurred_on", dt.date(2023, 4, 10))
    milestone = workflow.milestone_draft(initiative=initiative, by=by, **fields)
    for n, role in enumerate(photos):
        workflow.milestone_photo_add(
            milestone=milestone,
            by=by,
            image=process_photo(uploaded_image(color=(30 * n, 120, 60))),
            alt_text=f"Ảnh {role} của {milestone.title}",
            role=role,
            order=n,
        )
    return milestone


def make_published_milestone(initiative, *, by=None, photos=(), **fields):
    from registry import workflow

    by = by or make_user(f"congbo{next(_seq)}", is_superuser=True)
    milestone = make_milestone(initiative, by=by, photos=photos, **fields)
    return workflow.milestone_publish(milestone=milestone, by=by)
