"""The public search: folded, diacritics-free, and served by a trigram index on PostgreSQL."""

import pytest
from django.db import connection

from registry.models import Initiative
from registry.queries import search_initiatives
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _titles(query):
    return sorted(
        search_initiatives(Initiative.objects.public(), query).values_list("title", flat=True)
    )


def test_search_ignores_diacritics_and_case_including_d_with_stroke():
    make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    make_initiative("Thắp sáng ĐƯỜNG quê")
    make_initiative("Camera an ninh khu phố 3")
    assert _titles("duong") == ["Thắp sáng ĐƯỜNG quê", "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"]
    assert _titles("DUONG HOA le loi") == ["Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"]
    assert _titles("đường hoa") == _titles("Đuong hoa") == _titles("duong hoa")
    assert _titles("do thi") == ["Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"]
    assert _titles("khu pho 3") == ["Camera an ninh khu phố 3"]
    assert _titles("lê lợi đà nẵng") == []


@pytest.mark.postgresql(reason="PostgreSQL's planner only")
def test_search_uses_the_trigram_index_on_postgresql():
    for i in range(30):
        make_initiative(f"Tuyến phố văn minh số {i}")
    make_initiative("Đường hoa Lê Lợi")
    queryset = search_initiatives(Initiative.objects.order_by(), "duong hoa")
    with connection.cursor() as cursor:
        # A small table would be scanned whatever the indexes: tell the planner not to.
        # (and plain index scans off, so that no B-tree over another column stands in).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "initiative_search_trgm_idx" in plan
    assert [i.title for i in queryset] == ["Đường hoa Lê Lợi"]
