"""The group migrations (registry 0002, 0008, campaigns 0002, 0004, 0006, participation 0002)
over groups that exist.

The database is migrated back to registry 0001 (which takes every campaigns and participation
migration back too): the groups stay, emptied of the permissions those migrations gave. A
deployment's own changes are written then (a member, an extra permission, one group
deleted), and the migrations run again over them. The test ends on the latest schema.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, User

from tests.migrating import migrate, migrate_to_latest, trigger_names
from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS

BEFORE_GROUPS = [("registry", "0001_initial")]
REGISTRY_GROUPS = [("registry", "0002_groups")]
GROUP_MIGRATIONS = [
    "registry.migrations.0002_groups",
    "campaigns.migrations.0002_ledger_groups",
    "campaigns.migrations.0004_reviews_groups",
    "campaigns.migrations.0006_report_permission_groups",
    "registry.migrations.0008_milestone_groups",
    "participation.migrations.0002_groups",
    "campaigns.migrations.0016_contributor_contact_groups",
]
EXTRA = "auth.view_user"


def _permissions(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def _declared(module_name, officials_name):
    """What a group migration says it grants: (officials, committee)."""
    module = importlib.import_module(module_name)
    if hasattr(module, "PERMISSIONS"):  # the same list for both groups
        return set(module.PERMISSIONS), set(module.PERMISSIONS)
    return set(getattr(module, officials_name)), set(module.COMMITTEE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_group_migrations_grant_their_permissions_to_groups_that_already_exist():
    """Re-run over existing groups: members and extra permissions kept, a missing group made."""
    at_start = {name: _permissions(name) for name in (WARD_OFFICIALS, PARTY_COMMITTEE)}
    triggers_at_start = trigger_names()
    declared = [_declared(name, "OFFICIALS") for name in GROUP_MIGRATIONS]
    try:
        apps = migrate(BEFORE_GROUPS)
        with pytest.raises(LookupError):  # every campaigns migration was taken back
            apps.get_model("campaigns", "Donation")
        assert _permissions(WARD_OFFICIALS) == _permissions(PARTY_COMMITTEE) == set()
        # The deployment's own rows, written before the group migrations run again.
        member = User.objects.create_user("canbo_phuong")
        officials = Group.objects.get(name=WARD_OFFICIALS)
        member.groups.add(officials)
        app_label, codename = EXTRA.split(".")
        officials.permissions.add(
            officials.permissions.model.objects.get(
                content_type__app_label=app_label, codename=codename
            )
        )
        Group.objects.filter(name=PARTY_COMMITTEE).delete()

        migrate(REGISTRY_GROUPS)
        registry_officials, registry_committee = declared[0]
        assert _permissions(WARD_OFFICIALS) == registry_officials | {EXTRA}
        assert _permissions(PARTY_COMMITTEE) == registry_committee
        assert "registry.submit_initiative" in registry_officials
        assert "registry.approve_initiative" not in registry_officials
        assert "registry.approve_initiative" in registry_committee

        migrate_to_latest()
        all_officials = set().union(*(officials for officials, _ in declared))
        all_committee = set().union(*(committee for _, committee in declared))
        assert _permissions(WARD_OFFICIALS) == all_officials | {EXTRA}
        assert _permissions(PARTY_COMMITTEE) == all_committee
        # What a fresh database got from the same migrations, plus the deployment's extra.
        assert _permissions(WARD_OFFICIALS) == at_start[WARD_OFFICIALS] | {EXTRA}
        assert _permissions(PARTY_COMMITTEE) == at_start[PARTY_COMMITTEE]
        # Spot checks written out by hand, one per campaigns migration.
        assert {"campaigns.record_donation", "campaigns.score_evaluation"} <= all_officials
        assert "campaigns.record_donation" not in all_committee
        assert "campaigns.decide_recognition" in all_committee - all_officials
        assert "campaigns.view_report" in all_officials & all_committee
        assert list(User.objects.get(pk=member.pk).groups.values_list("name", flat=True)) == [
            WARD_OFFICIALS
        ]
    finally:
        migrate_to_latest()
    assert trigger_names() == triggers_at_start
