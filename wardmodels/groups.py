"""Default permission bundles for the two groups, used by data migrations.

Code checks permissions, never group names: a deployment can move a permission to another
group without touching code.
"""

from django.contrib.auth.management import create_permissions

WARD_OFFICIALS = "ward_officials"
PARTY_COMMITTEE = "party_committee"


def ensure_permissions(apps) -> None:
    """Create the permission rows now: post_migrate would only do it after all migrations.

    ``models_module`` is put back as it was: with the real app registry (tests re-running a
    data migration, tests/factories.ensure_default_groups) leaving it None would make every
    later post_migrate (a test database flush) skip the app and its permissions.
    """
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module


def grant(apps, group_name: str, perms: list[str]) -> None:
    """Give ``group_name`` the permissions named "app_label.codename" (creating the group)."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for name in perms:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, group_name: str, perms: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for name in perms:
        app_label, codename = name.split(".")
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
