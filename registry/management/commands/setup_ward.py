"""First run for a real ward: its name and national code, its former wards, the reference
lists, and the first administrator. Without the demo's models. Idempotent: running it again
with the same answers changes nothing; with new ones it updates the ward in place.

    python manage.py setup_ward --name "Sầm Sơn" --code 16006 --since 2025-07-01 \\
        --former "Trường Sơn:2025-06-30" --former "Bắc Sơn:2025-06-30" --admin quantri

Asked interactively for whatever is not given, unless --no-input.
"""

import datetime as dt
import getpass
import json
import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.choices import AdminUnitKind
from registry.models import AdminUnit, Field
from wardmodels.pagecache import public_pages_changed_on_commit

CODE = re.compile(r"^[0-9]{5}$")


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"{what}: {value!r} is not a date (YYYY-MM-DD).") from None


def parse_former(value: str) -> tuple[str, dt.date, dt.date | None]:
    """``NAME:LAST_DAY`` or ``NAME:FIRST_DAY:LAST_DAY`` (the days it existed as a ward)."""
    parts = [p.strip() for p in value.split(":")]
    if len(parts) == 2 and parts[0]:
        return parts[0], parse_date(parts[1], f"--former {value}"), None
    if len(parts) == 3 and parts[0]:
        first = parse_date(parts[1], f"--former {value}")
        last = parse_date(parts[2], f"--former {value}")
        if last < first:
            raise CommandError(f"--former {value}: the last day is before the first.")
        return parts[0], last, first
    raise CommandError(f"--former {value!r}: use NAME:LAST_DAY or NAME:FIRST_DAY:LAST_DAY.")


def reference_fields() -> list[dict]:
    """The fields of work, as the shipped fixture has them (the demo's models left out)."""
    rows = json.loads((Path(settings.SITE_DIR) / "fixtures" / "registry.json").read_text("utf-8"))
    return sorted(
        (row for row in rows if row["model"] == "registry.field"),
        key=lambda row: (row["fields"]["parent"] is not None, row["pk"]),
    )


class Command(BaseCommand):
    help = (
        "Set up a real ward: name, national 5-digit code, former wards, reference lists "
        "(fields of work), first administrator. Idempotent. Asks for what is not given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", help='the ward\'s name without "Phường", e.g. "Sầm Sơn"')
        parser.add_argument("--kind", choices=AdminUnitKind.values, default=None)
        parser.add_argument("--code", help="national 5-digit code of the ward")
        parser.add_argument("--since", help="first day of the ward as it is now (YYYY-MM-DD)")
        parser.add_argument(
            "--former",
            action="append",
            default=None,
            metavar="NAME:LAST_DAY",
            help="a former ward merged into this one; repeat for each (NAME:FIRST:LAST too)",
        )
        parser.add_argument("--no-former", action="store_true", help="the ward has none")
        parser.add_argument("--admin", help="user name of the first administrator")
        parser.add_argument("--admin-email", default="")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="never ask; the administrator's password comes from DJANGO_SUPERUSER_PASSWORD",
        )

    def ask(self, options, key, prompt, default=None):
        if options[key] not in (None, ""):
            return options[key]
        if options["no_input"]:
            if default is not None:
                return default
            raise CommandError(f"--{key.replace('_', '-')} is required with --no-input.")
        suffix = f" [{default}]" if default else ""
        answer = input(f"{prompt}{suffix}: ").strip()
        return answer or default or self.ask(options, key, prompt, default)

    def handle(self, *args, **options):
        name = self.ask(options, "name", "Tên phường, xã (ward name, without 'Phường')")
        kind = self.ask(options, "kind", "Loại: ward / commune", AdminUnitKind.WARD)
        if kind not in AdminUnitKind.values:
            raise CommandError(f"--kind {kind!r}: use ward or commune.")
        code = self.ask(options, "code", "Mã đơn vị hành chính, 5 chữ số (national code)")
        if not CODE.match(code):
            raise CommandError(f"--code {code!r}: the national code has exactly 5 digits.")
        since_raw = self.ask(options, "since", "Hiệu lực từ (first day, YYYY-MM-DD)", "")
        since = parse_date(since_raw, "--since") if since_raw else None
        formers = [parse_former(v) for v in options["former"] or []]
        if not formers and not options["no_former"] and not options["no_input"]:
            while answer := input("Phường cũ sáp nhập (former ward NAME:LAST_DAY, empty to end): "):
                formers.append(parse_former(answer))
        admin = self.ask(options, "admin", "Tên đăng nhập quản trị (administrator's user name)")

        with transaction.atomic():
            ward = self.set_up_ward(name, kind, code, since)
            for former_name, last_day, first_day in formers:
                self.set_up_former(ward, kind, former_name, last_day, first_day)
            fields = self.load_fields()
            public_pages_changed_on_commit()
        self.create_admin(admin, options)
        self.stdout.write(
            self.style.SUCCESS(
                f"{ward} ({ward.code}): {len(formers)} former ward(s), {fields} field(s) of "
                f"work, administrator {admin!r}."
            )
        )
        self.stdout.write(f'Set WARD_NAME="{ward}" in the environment (.env) of the site.')

    def set_up_ward(self, name, kind, code, since) -> AdminUnit:
        clash = AdminUnit.objects.filter(code=code).exclude(kind=kind, name=name).first()
        if clash:
            raise CommandError(f"Code {code} already belongs to {clash}.")
        ward, _created = AdminUnit.objects.update_or_create(
            kind=kind,
            name=name,
            defaults={"code": code, "valid_from": since, "valid_to": None, "successor": None},
        )
        ward.full_clean()
        return ward

    def set_up_former(self, ward, kind, name, last_day, first_day) -> None:
        if name == ward.name:
            raise CommandError(f"{name} is the ward itself, not a former ward.")
        former, _created = AdminUnit.objects.get_or_create(kind=kind, name=name)
        former.valid_to = last_day
        if first_day:
            former.valid_from = first_day
        former.successor = ward
        try:
            former.full_clean()
        except ValidationError as error:
            raise CommandError(f"{name}: {'; '.join(error.messages)}") from None
        former.save()

    def load_fields(self) -> int:
        by_pk = {}
        for row in reference_fields():
            values = row["fields"]
            field, _created = Field.objects.update_or_create(
                slug=values["slug"],
                defaults={
                    "name": values["name"],
                    "order": values["order"],
                    "parent": by_pk.get(values["parent"]),
                },
            )
            by_pk[row["pk"]] = field
        return len(by_pk)

    def create_admin(self, username, options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"The administrator {username!r} exists already: left as it is.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not password:
            if options["no_input"]:
                raise CommandError("Set DJANGO_SUPERUSER_PASSWORD for the administrator.")
            password = getpass.getpass(f"Mật khẩu cho {username} (password): ")
        user = User(username=username, email=options["admin_email"])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        User.objects.create_superuser(username, options["admin_email"], password)
