"""Correcting an entry in one step: ``corrects`` links the entry that replaces a reversed one
(donations, expenses, and pledges, whose correction cancels the old one); ``has_reversal``,
set by the database when a reversal is inserted, lets document numbers be unique only among
entries not reversed, so that the correction may carry the paper receipt's number again.

Existing reversed entries are marked in a maintenance transaction (the guard refuses any
other way). SQLite rebuilds the tables: their triggers are dropped first and installed again
(migration 0012 does the same); PostgreSQL gets the guard's new function and triggers.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

_0012 = import_module("campaigns.migrations.0012_ledger_dates_from_2000")


def mark_reversed_entries(apps, schema_editor):
    from campaigns import append_only

    connection = schema_editor.connection
    with append_only.maintenance(connection), connection.cursor() as cursor:
        for table in append_only.TABLES:
            cursor.execute(
                f"UPDATE {table} SET has_reversal = %s WHERE id IN "
                f"(SELECT reverses_id FROM {table} WHERE reverses_id IS NOT NULL)",
                [True],
            )


def install_guard(apps, schema_editor):
    from campaigns import append_only

    _0012.reinstall_triggers(apps, schema_editor)
    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0012_ledger_dates_from_2000'),
    ]

    operations = [
        migrations.RunPython(
            _0012.drop_sqlite_totals_triggers, _0012.reinstall_triggers, elidable=False
        ),
        migrations.AddField(
            model_name='donation',
            name='corrects',
            field=models.OneToOneField(blank=True, editable=False, help_text='Khoản đã bị đảo mà khoản này thay thế (ghi cùng lúc với bút toán đảo).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='campaigns.donation', verbose_name='sửa cho khoản'),
        ),
        migrations.AddField(
            model_name='donation',
            name='has_reversal',
            field=models.BooleanField(default=False, editable=False, verbose_name='đã điều chỉnh (đảo)'),
        ),
        migrations.AddField(
            model_name='expense',
            name='corrects',
            field=models.OneToOneField(blank=True, editable=False, help_text='Khoản đã bị đảo mà khoản này thay thế (ghi cùng lúc với bút toán đảo).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='campaigns.expense', verbose_name='sửa cho khoản'),
        ),
        migrations.AddField(
            model_name='expense',
            name='has_reversal',
            field=models.BooleanField(default=False, editable=False, verbose_name='đã điều chỉnh (đảo)'),
        ),
        migrations.AddField(
            model_name='historicalpledge',
            name='corrects',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Cam kết đã hủy mà cam kết này thay thế (ghi cùng lúc với việc hủy).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.pledge', verbose_name='sửa cho cam kết'),
        ),
        migrations.AddField(
            model_name='pledge',
            name='corrects',
            field=models.OneToOneField(blank=True, editable=False, help_text='Cam kết đã hủy mà cam kết này thay thế (ghi cùng lúc với việc hủy).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='campaigns.pledge', verbose_name='sửa cho cam kết'),
        ),
        migrations.AlterField(
            model_name='donation',
            name='receipt_number',
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name='số biên nhận'),
        ),
        migrations.AlterField(
            model_name='expense',
            name='voucher_number',
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name='số chứng từ'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('corrects__lt', models.F('id')), ('reverses__isnull', True)), _connector='OR'), name='donation_correction_is_a_later_normal_entry'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('reverses__isnull', True), ('has_reversal', False), _connector='OR'), name='donation_reversal_not_reversed'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.UniqueConstraint(condition=models.Q(('has_reversal', False)), fields=('receipt_number',), name='donation_receipt_number_unique_unless_reversed'),
        ),
        migrations.AddConstraint(
            model_name='expense',
            constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('corrects__lt', models.F('id')), ('reverses__isnull', True)), _connector='OR'), name='expense_correction_is_a_later_normal_entry'),
        ),
        migrations.AddConstraint(
            model_name='expense',
            constraint=models.CheckConstraint(condition=models.Q(('reverses__isnull', True), ('has_reversal', False), _connector='OR'), name='expense_reversal_not_reversed'),
        ),
        migrations.AddConstraint(
            model_name='expense',
            constraint=models.UniqueConstraint(condition=models.Q(('has_reversal', False)), fields=('voucher_number',), name='expense_voucher_number_unique_unless_reversed'),
        ),
        migrations.RunPython(mark_reversed_entries, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_guard, _0012.drop_sqlite_totals_triggers, elidable=False),
    ]
