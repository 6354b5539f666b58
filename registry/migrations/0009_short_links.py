"""Short links for printed posters (Initiative.short_code) and their daily scan counts.

Every model that exists gets its code here, so that posters can be printed at once; new
models get theirs when first published (registry/short_links.py).
"""

import secrets

import django.db.models.deletion
from django.db import migrations, models

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


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_initiative_report_scope_index"),
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
    ]
