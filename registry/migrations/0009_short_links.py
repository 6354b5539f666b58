"""Short links for printed posters (Initiative.short_code) and their daily scan counts;
the link-preview rendition of photos (Photo.preview, 1200 × 630).

Every model that exists gets its code here, so that posters can be printed at once; new
models get theirs when first published (registry/short_links.py). Every stored photo gets
its preview here; new uploads get theirs from registry/images.py.
"""

import io
import secrets

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.db import migrations, models
from PIL import Image, ImageOps

import registry.models

PREVIEW_SIZE = (1200, 630)  # as registry.images (frozen here)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as registry.short_links (frozen here)


def give_codes(apps, schema_editor):
    Initiative = apps.get_model("registry", "Initiative")
    taken = set(
        Initiative.objects.exclude(short_code__isnull=True).values_list("short_code", flat=True)
    )
    for pk in Initiative.objects.filter(short_code__isnull=True).values_list("pk", flat=True):
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        taken.add(code)
        # update(), not save(): no auto_now stamp, no history row for a derived column.
        Initiative.objects.filter(pk=pk).update(short_code=code)


def make_previews(apps, schema_editor):
    Photo = apps.get_model("registry", "Photo")
    for photo in Photo.objects.filter(preview="").exclude(image="").iterator():
        try:
            with photo.image.open("rb") as stored:
                img = Image.open(io.BytesIO(stored.read()))
                img.load()
        except (OSError, ValueError):
            continue  # a file missing from this copy of the media: no preview, the page falls back
        if img.mode != "RGB":
            img = img.convert("RGBA")
            background = Image.new("RGB", img.size, (255, 255, 255))
            background.paste(img, mask=img.getchannel("A"))
            img = background
        out = io.BytesIO()
        ImageOps.fit(img, PREVIEW_SIZE, method=Image.Resampling.LANCZOS).save(
            out, "JPEG", quality=85, optimize=True
        )
        base = photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        photo.preview.save(f"{base}-preview.jpg", ContentFile(out.getvalue()), save=False)
        # update(), not save(): no history row for a derived file.
        Photo.objects.filter(pk=photo.pk).update(preview=photo.preview.name)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_milestone_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="short_code",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=6,
                null=True,
                verbose_name="mã đường dẫn ngắn",
            ),
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.UniqueConstraint(
                condition=models.Q(("short_code__isnull", False)),
                fields=("short_code",),
                name="initiative_short_code_unique",
            ),
        ),
        migrations.CreateModel(
            name="ShortLinkScan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="ngày")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="số lượt quét")),
                (
                    "initiative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="short_link_scans",
                        to="registry.initiative",
                    ),
                ),
            ],
            options={
                "verbose_name": "lượt quét mã QR",
                "verbose_name_plural": "lượt quét mã QR",
                "ordering": ["-day"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("initiative", "day"), name="shortlinkscan_unique_day"
                    )
                ],
            },
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="historicalphoto",
            name="preview",
            field=models.TextField(
                blank=True,
                editable=False,
                max_length=100,
                verbose_name="ảnh xem trước khi chia sẻ",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="preview",
            field=models.ImageField(
                blank=True,
                editable=False,
                upload_to=registry.models.preview_upload_to,
                verbose_name="ảnh xem trước khi chia sẻ",
            ),
        ),
        migrations.RunPython(make_previews, migrations.RunPython.noop, elidable=True),
    ]
