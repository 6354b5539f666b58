"""Move the test database to a migration and back, for the tests of data migrations.

Only in transactional tests with serialized rollback (tests/conftest.py): migrations commit.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` ([(app, migration name)]); the historical apps of the database now.

    The state is that of every applied migration (other apps stay where they are).
    """
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def migrate_to_latest():
    """Apply every migration again: later tests see the full schema."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def trigger_names() -> set[tuple[str, str]]:
    """Every trigger in the database, as (table, name)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return set(cursor.fetchall())
