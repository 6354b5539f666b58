"""The progress timeline: Milestone, MilestonePhoto, MilestoneTransition; the progress figure
of a model (progress, progress_entered, progress_updated_on) and the weight of an indicator.

On SQLite, adding the check constraints rebuilds ``registry_initiative`` and
``registry_indicator`` (new table, copy, drop, rename), and the rename fails while any
trigger elsewhere names the dropped table; a rebuild also drops the table's own triggers.
So every trigger that names one of them is kept aside first and put back, unchanged, after
the rebuild (whatever app installed it: the register does not need to know).
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import registry.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


REBUILT_TABLES = ("registry_initiative", "registry_indicator")
_stashed: list[tuple[str, str]] = []


def stash_sqlite_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        rows = cursor.fetchall()
        for name, table, sql in rows:
            if table in REBUILT_TABLES or any(t in sql for t in REBUILT_TABLES):
                _stashed.append((name, sql))
                cursor.execute(f'DROP TRIGGER "{name}"')


def restore_sqlite_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        while _stashed:
            _name, sql = _stashed.pop(0)
            cursor.execute(sql)


def derive_existing_progress(apps, schema_editor):
    """Models registered before the timeline get the figure their indicators give."""
    from registry.progress import derived_progress

    Initiative = apps.get_model("registry", "Initiative")
    Indicator = apps.get_model("registry", "Indicator")
    rows = {}
    for initiative_id, target, actual, weight in Indicator.objects.filter(
        target__gt=0
    ).values_list("initiative_id", "target", "actual", "weight"):
        rows.setdefault(initiative_id, []).append((target, actual, weight))
    for initiative_id, indicator_rows in rows.items():
        Initiative.objects.filter(pk=initiative_id).update(
            progress=derived_progress(indicator_rows)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_initiative_report_scope_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(stash_sqlite_triggers, restore_sqlite_triggers),
        migrations.CreateModel(
            name='HistoricalMilestone',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='tiêu đề')),
                ('body', models.TextField(blank=True, max_length=5000, verbose_name='nội dung')),
                ('occurred_on', models.DateField(help_text='Không được sau hôm nay; ngày dự kiến ghi ở ô bên dưới.', verbose_name='ngày diễn ra')),
                ('planned_on', models.DateField(blank=True, help_text='Ngày dự kiến cho bước tiếp theo, nếu có.', null=True, verbose_name='ngày dự kiến')),
                ('progress_before', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='tiến độ trước (%)')),
                ('progress_after', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='tiến độ sau (%)')),
                ('progress_reason', models.TextField(blank=True, help_text='Bắt buộc khi tiến độ sau thấp hơn tiến độ trước.', max_length=2000, verbose_name='lý do tiến độ giảm')),
                ('status_before', models.CharField(blank=True, choices=[('draft', 'Dự thảo'), ('registered', 'Đã đăng ký'), ('implementing', 'Đang thực hiện'), ('completed', 'Đã hoàn thành'), ('discontinued', 'Đã dừng')], max_length=16, verbose_name='trạng thái trước')),
                ('status_after', models.CharField(blank=True, choices=[('draft', 'Dự thảo'), ('registered', 'Đã đăng ký'), ('implementing', 'Đang thực hiện'), ('completed', 'Đã hoàn thành'), ('discontinued', 'Đã dừng')], max_length=16, verbose_name='trạng thái sau')),
                ('automatic', models.BooleanField(default=False, editable=False, verbose_name='tự động lập')),
                ('status', models.CharField(choices=[('draft', 'Dự thảo'), ('published', 'Đã công bố'), ('withdrawn', 'Đã rút lại')], default='draft', editable=False, max_length=16, verbose_name='tình trạng')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='công bố lúc')),
                ('withdrawn_reason', models.TextField(blank=True, editable=False, verbose_name='lý do rút lại')),
                ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='rút lại lúc')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='lập lúc')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='sửa lúc')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical mốc tiến độ',
                'verbose_name_plural': 'historical mốc tiến độ',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMilestonePhoto',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('before', 'Trước'), ('during', 'Trong khi làm'), ('after', 'Sau')], max_length=8, verbose_name='ảnh chụp lúc')),
                ('image', models.TextField(max_length=100, verbose_name='ảnh')),
                ('thumbnail', models.TextField(blank=True, editable=False, max_length=100, verbose_name='ảnh thu nhỏ')),
                ('width', models.PositiveIntegerField(editable=False, null=True)),
                ('height', models.PositiveIntegerField(editable=False, null=True)),
                ('alt_text', models.CharField(help_text='Ảnh cho thấy gì, để người dùng trình đọc màn hình cũng hiểu.', max_length=300, verbose_name='mô tả ảnh (cho người khiếm thị)')),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='chú thích')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('shows_identifiable_people', models.BooleanField(default=False, verbose_name='có người nhận diện được')),
                ('people_consented', models.BooleanField(default=False, verbose_name='những người trong ảnh đã đồng ý công khai')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical ảnh mốc tiến độ',
                'verbose_name_plural': 'historical ảnh mốc tiến độ',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='tiêu đề')),
                ('body', models.TextField(blank=True, max_length=5000, verbose_name='nội dung')),
                ('occurred_on', models.DateField(help_text='Không được sau hôm nay; ngày dự kiến ghi ở ô bên dưới.', verbose_name='ngày diễn ra')),
                ('planned_on', models.DateField(blank=True, help_text='Ngày dự kiến cho bước tiếp theo, nếu có.', null=True, verbose_name='ngày dự kiến')),
                ('progress_before', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='tiến độ trước (%)')),
                ('progress_after', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='tiến độ sau (%)')),
                ('progress_reason', models.TextField(blank=True, help_text='Bắt buộc khi tiến độ sau thấp hơn tiến độ trước.', max_length=2000, verbose_name='lý do tiến độ giảm')),
                ('status_before', models.CharField(blank=True, choices=[('draft', 'Dự thảo'), ('registered', 'Đã đăng ký'), ('implementing', 'Đang thực hiện'), ('completed', 'Đã hoàn thành'), ('discontinued', 'Đã dừng')], max_length=16, verbose_name='trạng thái trước')),
                ('status_after', models.CharField(blank=True, choices=[('draft', 'Dự thảo'), ('registered', 'Đã đăng ký'), ('implementing', 'Đang thực hiện'), ('completed', 'Đã hoàn thành'), ('discontinued', 'Đã dừng')], max_length=16, verbose_name='trạng thái sau')),
                ('automatic', models.BooleanField(default=False, editable=False, verbose_name='tự động lập')),
                ('status', models.CharField(choices=[('draft', 'Dự thảo'), ('published', 'Đã công bố'), ('withdrawn', 'Đã rút lại')], default='draft', editable=False, max_length=16, verbose_name='tình trạng')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='công bố lúc')),
                ('withdrawn_reason', models.TextField(blank=True, editable=False, verbose_name='lý do rút lại')),
                ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='rút lại lúc')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='lập lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='sửa lúc')),
            ],
            options={
                'verbose_name': 'mốc tiến độ',
                'verbose_name_plural': 'mốc tiến độ',
                'ordering': ['-occurred_on', '-id'],
                'permissions': [('publish_milestone', 'Công bố hoặc rút lại mốc tiến độ')],
            },
        ),
        migrations.CreateModel(
            name='MilestonePhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('before', 'Trước'), ('during', 'Trong khi làm'), ('after', 'Sau')], max_length=8, verbose_name='ảnh chụp lúc')),
                ('image', models.ImageField(height_field='height', upload_to=registry.models.milestone_photo_upload_to, verbose_name='ảnh', width_field='width')),
                ('thumbnail', models.ImageField(blank=True, editable=False, upload_to=registry.models.milestone_thumbnail_upload_to, verbose_name='ảnh thu nhỏ')),
                ('width', models.PositiveIntegerField(editable=False, null=True)),
                ('height', models.PositiveIntegerField(editable=False, null=True)),
                ('alt_text', models.CharField(help_text='Ảnh cho thấy gì, để người dùng trình đọc màn hình cũng hiểu.', max_length=300, verbose_name='mô tả ảnh (cho người khiếm thị)')),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='chú thích')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('shows_identifiable_people', models.BooleanField(default=False, verbose_name='có người nhận diện được')),
                ('people_consented', models.BooleanField(default=False, verbose_name='những người trong ảnh đã đồng ý công khai')),
            ],
            options={
                'verbose_name': 'ảnh mốc tiến độ',
                'verbose_name_plural': 'ảnh mốc tiến độ',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='MilestoneTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(choices=[('draft', 'Dự thảo'), ('published', 'Đã công bố'), ('withdrawn', 'Đã rút lại')], max_length=16, verbose_name='từ')),
                ('to_status', models.CharField(choices=[('draft', 'Dự thảo'), ('published', 'Đã công bố'), ('withdrawn', 'Đã rút lại')], max_length=16, verbose_name='sang')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
                ('reason', models.TextField(blank=True, verbose_name='lý do')),
            ],
            options={
                'verbose_name': 'chuyển trạng thái mốc tiến độ',
                'verbose_name_plural': 'lịch sử mốc tiến độ',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='historicalindicator',
            name='weight',
            field=models.PositiveSmallIntegerField(db_default=1, default=1, help_text='Chỉ tiêu quan trọng hơn có trọng số lớn hơn khi tính tiến độ (1–100).', verbose_name='trọng số'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='progress',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text='Con số công khai: tiến độ nhập tay, hoặc tính từ các chỉ tiêu.', null=True, verbose_name='tiến độ (%)'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='progress_entered',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text='Để trống để tính từ kết quả các chỉ tiêu so với mục tiêu.', null=True, verbose_name='tiến độ nhập tay (%)'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='progress_updated_on',
            field=models.DateField(blank=True, editable=False, help_text='Ngày của mốc tiến độ mới nhất đã công bố.', null=True, verbose_name='cập nhật tiến độ ngày'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='weight',
            field=models.PositiveSmallIntegerField(db_default=1, default=1, help_text='Chỉ tiêu quan trọng hơn có trọng số lớn hơn khi tính tiến độ (1–100).', verbose_name='trọng số'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='progress',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text='Con số công khai: tiến độ nhập tay, hoặc tính từ các chỉ tiêu.', null=True, verbose_name='tiến độ (%)'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='progress_entered',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text='Để trống để tính từ kết quả các chỉ tiêu so với mục tiêu.', null=True, verbose_name='tiến độ nhập tay (%)'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='progress_updated_on',
            field=models.DateField(blank=True, editable=False, help_text='Ngày của mốc tiến độ mới nhất đã công bố.', null=True, verbose_name='cập nhật tiến độ ngày'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(condition=models.Q(('published', True), ('status__in', ('implementing', 'completed', 'discontinued'))), fields=['progress', 'id'], name='initiative_public_progress_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(condition=models.Q(('published', True), ('status__in', ('implementing', 'completed', 'discontinued'))), fields=['progress_updated_on', 'id'], name='initiative_public_updated_idx'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gte', 1), ('weight__lte', 100)), name='indicator_weight_1_to_100'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('progress__isnull', True), models.Q(('progress__gte', 0), ('progress__lte', 100)), _connector='OR'), name='initiative_progress_percent'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('progress_entered__isnull', True), models.Q(('progress_entered__gte', 0), ('progress_entered__lte', 100)), _connector='OR'), name='initiative_progress_entered_percent'),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người lập'),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='initiative',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.initiative', verbose_name='mô hình, điển hình'),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='published_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người công bố'),
        ),
        migrations.AddField(
            model_name='historicalmilestonephoto',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='milestone',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người lập'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='milestones', to='registry.initiative', verbose_name='mô hình, điển hình'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='published_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người công bố'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='supersedes',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='registry.milestone', verbose_name='đính chính cho mốc'),
        ),
        migrations.AddField(
            model_name='historicalmilestonephoto',
            name='milestone',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.milestone'),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='supersedes',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.milestone', verbose_name='đính chính cho mốc'),
        ),
        migrations.AddField(
            model_name='milestonephoto',
            name='milestone',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='registry.milestone'),
        ),
        migrations.AddField(
            model_name='milestonetransition',
            name='by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AddField(
            model_name='milestonetransition',
            name='milestone',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='registry.milestone'),
        ),
        migrations.AddIndex(
            model_name='milestone',
            index=models.Index(fields=['initiative', 'status', 'occurred_on'], name='milestone_timeline_idx'),
        ),
        migrations.AddIndex(
            model_name='milestone',
            index=models.Index(condition=models.Q(('status', 'draft')), fields=['status', 'created_at'], name='milestone_drafts_idx'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published', 'withdrawn'])), name='milestone_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='milestone_title_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('title'), 120), name='milestone_title_max_length'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('progress_before__isnull', True), models.Q(('progress_before__gte', 0), ('progress_before__lte', 100)), _connector='OR'), name='milestone_progress_before_percent'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('progress_after__isnull', True), models.Q(('progress_after__gte', 0), ('progress_after__lte', 100)), _connector='OR'), name='milestone_progress_after_percent'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('progress_before__isnull', True), ('progress_after__isnull', True), ('progress_after__gte', models.F('progress_before')), models.Q(('progress_reason', ''), _negated=True), _connector='OR'), name='milestone_lower_progress_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('status_before__in', ['', 'draft', 'registered', 'implementing', 'completed', 'discontinued']), ('status_after__in', ['', 'draft', 'registered', 'implementing', 'completed', 'discontinued'])), name='milestone_statuses_valid'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('planned_on__isnull', True), ('planned_on__gte', models.F('occurred_on')), _connector='OR'), name='milestone_planned_after_occurred'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('published_at__isnull', False), _connector='OR'), name='milestone_published_has_date'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), models.Q(models.Q(('withdrawn_reason', ''), _negated=True), ('withdrawn_at__isnull', False)), _connector='OR'), name='milestone_withdrawn_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('supersedes', models.F('id')), _negated=True), name='milestone_not_own_correction'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'published')), fields=('supersedes',), name='milestone_one_published_correction'),
        ),
        migrations.AddConstraint(
            model_name='milestonephoto',
            constraint=models.CheckConstraint(condition=models.Q(('alt_text', ''), _negated=True), name='milestonephoto_alt_text_required'),
        ),
        migrations.AddConstraint(
            model_name='milestonephoto',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['before', 'during', 'after'])), name='milestonephoto_role_valid'),
        ),
        migrations.RunPython(derive_existing_progress, migrations.RunPython.noop),
        migrations.RunPython(restore_sqlite_triggers, stash_sqlite_triggers),
    ]
