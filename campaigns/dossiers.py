"""Dossier files: accepted by content (PDF, JPEG, PNG, WebP), size-limited, renamed.

The user's file name and declared content type are ignored: the first bytes say what the
file is, Pillow must be able to open an image, and the stored name is random.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

_IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def _max_mb() -> int:
    return max(1, settings.DOSSIER_MAX_BYTES // 1024 // 1024)


def check_dossier_file(uploaded) -> tuple[ContentFile, str, str]:
    """Return (file under a generated name, content type, original name) or raise.

    Raises ``ValidationError`` with a message the user can act on.
    """
    size = uploaded.size
    if size is not None and size > settings.DOSSIER_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn; tối đa %(max)s MB.") % {"max": _max_mb()}, code="file_too_large"
        )
    uploaded.seek(0)
    data = uploaded.read(settings.DOSSIER_MAX_BYTES + 1)
    if len(data) > settings.DOSSIER_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn; tối đa %(max)s MB.") % {"max": _max_mb()}, code="file_too_large"
        )
    if not data:
        raise ValidationError(_("Tệp rỗng."), code="empty_file")

    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                _("Tệp PDF bị hỏng hoặc tải lên chưa hết; hãy chọn lại tệp."), code="broken_pdf"
            )
        ext, content_type = "pdf", "application/pdf"
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                fmt = image.format
                image.verify()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ):
            fmt = None
        if fmt not in _IMAGE_FORMATS:
            raise ValidationError(
                _("Chỉ nhận tệp PDF hoặc ảnh (JPEG, PNG, WebP)."), code="unsupported_format"
            )
        ext, content_type = _IMAGE_FORMATS[fmt]

    original = (getattr(uploaded, "name", "") or "").rsplit("/", 1)[-1][:200]
    return ContentFile(data, name=f"{secrets.token_hex(16)}.{ext}"), content_type, original
