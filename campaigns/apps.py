from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Phong trào thi đua")

    def ready(self):
        # After every migrate (once, after all apps' migrations): new tables need the
        # application's role's privileges, and the ledger's must not get more.
        post_migrate.connect(
            grant_application_role_after_migrate,
            sender=self,
            dispatch_uid="campaigns.grant_application_role",
        )


def grant_application_role_after_migrate(sender, using, **kwargs):
    """With two roles (DATABASE_OWNER_URL), the migrating owner re-grants the site's role."""
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connections

    from campaigns import append_only

    role = getattr(settings, "DATABASE_APP_ROLE", None)
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    if connection.settings_dict.get("USER") == role:
        return  # migrating as the application's role: it could grant nothing
    try:
        append_only.grant_application_role(role, connection)
    except ValueError as exc:
        raise CommandError(
            f"DATABASE_URL's role cannot be the application's role: {exc}."
        ) from None
