"""Erase residents' contact details once an item has been closed for the retention period.

Safe to run daily (cron, a systemd timer): an erased item is never touched again, and an item
still open is never touched.
"""

from django.core.management.base import BaseCommand

from participation.workflow import feedback_erase_contacts


class Command(BaseCommand):
    help = (
        "Xoá họ tên (khi không hiển thị), số điện thoại và mã băm thiết bị của góp ý đã đóng "
        "quá FEEDBACK_CONTACT_RETENTION_DAYS ngày."
    )

    def handle(self, *args, **options):
        count = feedback_erase_contacts()
        self.stdout.write(f"Đã xoá thông tin liên hệ của {count} góp ý.")
