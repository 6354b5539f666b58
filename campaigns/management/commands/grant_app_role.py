"""Give the application's PostgreSQL role exactly the privileges the site needs.

SELECT, INSERT, UPDATE, DELETE on every table, but only SELECT and INSERT on the ledger
(donations, expenses) and SELECT on ``django_migrations``; USAGE on the sequences. Whatever
the role held before is revoked first. Refuses a role that could change the ledger whatever
it is granted: a superuser, or a role that owns (or may act as the owner of) a table, a
function or the schema. Run it as the owner (with ``DATABASE_OWNER_URL`` set, ``manage.py``
connects as the owner for this command); ``migrate`` runs it by itself after every migration
when both ``DATABASE_URL`` and ``DATABASE_OWNER_URL`` are set. See campaigns/append_only.py
and docs/deploy.md.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from campaigns import append_only


class Command(BaseCommand):
    help = (
        "Grant the application's database role (default: DATABASE_URL's user when "
        "DATABASE_OWNER_URL is set) what the site needs, and no UPDATE/DELETE on the ledger."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", help="the role the site connects as")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **opts):
        connection = connections[opts["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only; SQLite has none.")
        role = opts["role"] or settings.DATABASE_APP_ROLE
        if not role:
            raise CommandError(
                "Name the application's role (manage.py grant_app_role ROLE), or set "
                "DATABASE_URL to it and DATABASE_OWNER_URL to the owner."
            )
        if role == connection.settings_dict.get("USER"):
            raise CommandError(
                f"{role!r} is the role this command connects as: run it as the owner "
                "(DATABASE_OWNER_URL), and name the application's role."
            )
        try:
            append_only.grant_application_role(role, connection)
        except ValueError as exc:
            raise CommandError(f"Refused: {exc}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may read and write the site's tables, and only read and add to the ledger."
            )
        )
