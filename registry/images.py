"""Uploaded photos: check by content, re-encode, strip metadata, make a thumbnail and the
link-preview rendition (1200 × 630).

Nothing from the uploaded file survives but its pixels: Pillow decodes it, applies the EXIF
orientation, and writes a new file without EXIF, XMP, ICC comments or GPS. The stored name
is generated, never the user's.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What we accept, and what we write back: (Pillow format, extension, save options).
_FORMATS = {
    "JPEG": ("JPEG", "jpg", {"quality": 85, "optimize": True}),
    "PNG": ("PNG", "png", {"optimize": True}),
    "WEBP": ("WEBP", "webp", {"quality": 85}),
}


# Link previews (Zalo, Facebook): 1.91:1 at the size both ask for.
PREVIEW_SIZE = (1200, 630)


@dataclass
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    preview: ContentFile
    width: int
    height: int


def preview_bytes(img: Image.Image) -> bytes:
    """The photo cropped around its centre to ``PREVIEW_SIZE``, as JPEG (what every sharing
    service reads; a transparent PNG is laid on white first)."""
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        img = background
    fitted = ImageOps.fit(img, PREVIEW_SIZE, method=Image.Resampling.LANCZOS)
    return _encode(fitted, "JPEG")


def _error(message, code):
    return ValidationError(message, code=code)


def _encode(img: Image.Image, fmt: str) -> bytes:
    pil_format, _ext, options = _FORMATS[fmt]
    if pil_format == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if pil_format != "JPEG" and img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        img = img.convert("RGBA")
    out = io.BytesIO()
    img.save(out, pil_format, **options)  # no exif=, no icc_profile=: nothing carried over
    return out.getvalue()


def process_photo(uploaded) -> ProcessedImage:
    """Validate and clean an uploaded photo; raise ``ValidationError`` with a clear message."""
    if uploaded.size is not None and uploaded.size > settings.PHOTO_MAX_BYTES:
        raise _error(
            _("Ảnh quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {
                # In the reader's language: "10,9" in Vietnamese, "10.9" in English.
                "size": number_format(round(uploaded.size / 1024 / 1024, 1), decimal_pos=1),
                "max": settings.PHOTO_MAX_BYTES // 1024 // 1024,
            },
            "file_too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
            if fmt not in _FORMATS:
                raise _error(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP."), "unsupported_format")
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise _error(
                    _("Ảnh có quá nhiều điểm ảnh (%(w)s × %(h)s); tối đa %(max)s triệu.")
                    % {"w": width, "h": height, "max": settings.PHOTO_MAX_PIXELS // 1_000_000},
                    "too_many_pixels",
                )
            probe.verify()
            img = Image.open(io.BytesIO(data))
            img.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(
            _("Tệp này không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."), "not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise _error(
            _("Ảnh bị hỏng hoặc tải lên chưa hết; hãy chọn lại tệp."), "broken_image"
        ) from None

    img = ImageOps.exif_transpose(img)
    img.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    thumb = img.copy()
    thumb.thumbnail((settings.THUMBNAIL_EDGE, settings.THUMBNAIL_EDGE))

    _pil, ext, _opts = _FORMATS[fmt]
    name = secrets.token_hex(12)
    return ProcessedImage(
        image=ContentFile(_encode(img, fmt), name=f"{name}.{ext}"),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"{name}-thumb.{ext}"),
        preview=ContentFile(preview_bytes(img), name=f"{name}-preview.jpg"),
        width=img.width,
        height=img.height,
    )
