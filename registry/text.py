"""Vietnamese text folding: the same rules for slugs and for search.

Vietnamese arrives in two Unicode spellings (precomposed NFC, as typed on most phones, and
decomposed NFD, as pasted from some documents). Folding decomposes, drops the combining
marks, maps đ/Đ (which has no decomposition) to d, and lower-cases, so that "LÊ LỢI",
"Lê Lợi" in either spelling and "le loi" all fold to "le loi".
"""

import re
import unicodedata

from django.utils.text import slugify

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ASCII-ish text without Vietnamese diacritics, single-spaced."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_D_MAP)  # a decomposed đ is still đ
    return _SPACES.sub(" ", stripped.casefold()).strip()


def vietnamese_slugify(text: str, max_length: int = 200) -> str:
    """ASCII, readable slug: "Đường hoa Lê Lợi" → "duong-hoa-le-loi"."""
    slug = slugify(fold(text))
    return slug[:max_length].strip("-")


def search_terms(query: str | None, limit: int = 10) -> list[str]:
    """The folded words of a search query (bounded, so a pasted essay stays cheap)."""
    words = [w for w in re.split(r"[^\w]+", fold(query)) if w]
    return words[:limit]
