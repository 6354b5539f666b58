"""Open data (/du-lieu-mo/): the page, the files, their description and the change feed.

Everything here is public and needs no account (Decree 47/2020: open data is free and asks
for no identification). The files stream from the database in chunks, whatever their size,
and answer conditional requests: their ETag and Last-Modified come from the data's latest
change (a few MAX() queries), so a reader who polls gets a 304 without the file being built.
They are not in the page cache (it keeps HTML pages only), and need not be: a 304 costs less.
"""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from participation.queries import published_answers
from wardmodels.opendata.datasets import DATASETS, FORMATS, LICENSE, TEXT_CELLS_NOTE, VERSION
from wardmodels.opendata.feed import TextAtomFeed, public_events
from wardmodels.opendata.metadata import TYPE_LABELS, catalog, datapackage, file_url
from wardmodels.opendata.writers import WRITERS
from wardmodels.pagecache import release

# Since a reader's copy may be stale after any write, it must ask again every time (a 304).
CACHE_CONTROL = "public, no-cache"
# The year in the feed's entry ids (RFC 4151 tag URIs): fixed, so that ids never change.
TAG_YEAR = 2026


def _changed(request, name: str) -> dt.datetime | None:
    """A dataset's last change, computed once per request (the ETag and Last-Modified
    functions and the view all ask)."""
    known = request.__dict__.setdefault("_opendata_changed", {})
    if name not in known:
        known[name] = DATASETS[name].last_changed()
    return known[name]


def _all_changed(request) -> dt.datetime | None:
    moments = [m for m in (_changed(request, name) for name in DATASETS) if m is not None]
    return max(moments) if moments else None


def _etag(*parts) -> str:
    # The release is part of it: a new version of the code may write the same data differently.
    raw = ":".join(str(p) for p in (VERSION, release(), *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _not_found(request, name: str):
    return render(
        request,
        "opendata/not_found.html",
        {"asked": name, "files": _file_links()},
        status=404,
    )


def _file_links() -> list[dict]:
    return [
        {
            "dataset": dataset,
            "links": [(fmt, file_url(dataset, fmt)) for fmt in FORMATS],
        }
        for dataset in DATASETS.values()
    ]


# --- the page ---------------------------------------------------------------------------------


@require_safe
def opendata(request):
    """What the files hold, under which licence, how many rows, and what each column means."""
    files = []
    for entry in _file_links():
        dataset = entry["dataset"]
        files.append(
            {
                **entry,
                "rows": dataset.count(),
                "changed": _changed(request, dataset.name),
                "columns": [
                    {"column": column, "type": TYPE_LABELS[column.type]}
                    for column in dataset.columns
                ],
            }
        )
    return render(
        request,
        "opendata/index.html",
        {
            "files": files,
            "license": LICENSE,
            "changed": _all_changed(request),
            "generated": timezone.now(),
            "version": VERSION,
            "text_cells_note": TEXT_CELLS_NOTE,
        },
    )


# --- the files --------------------------------------------------------------------------------


def _known(name: str, fmt: str) -> bool:
    return name in DATASETS and fmt in FORMATS


def _file_etag(request, name, fmt):
    if not _known(name, fmt):
        return None
    changed = _changed(request, name)
    return _etag(name, fmt, changed.isoformat() if changed else "-")


def _file_last_modified(request, name, fmt):
    return _changed(request, name) if _known(name, fmt) else None


@require_safe
@condition(etag_func=_file_etag, last_modified_func=_file_last_modified)
def opendata_file(request, name, fmt):
    """One file, streamed; an unknown file or format is the clear 404 page."""
    if not _known(name, fmt):
        return _not_found(request, f"{name}.{fmt}")
    write, content_type = WRITERS[fmt]
    response = StreamingHttpResponse(
        write(DATASETS[name], request.build_absolute_uri), content_type=content_type
    )
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _meta_etag(request, *args, **kwargs):
    changed = _all_changed(request)
    return _etag(request.resolver_match.view_name, changed.isoformat() if changed else "-")


def _meta_last_modified(request, *args, **kwargs):
    return _all_changed(request)


def _json(payload: dict, content_type: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n", content_type=content_type
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
@condition(etag_func=_meta_etag, last_modified_func=_meta_last_modified)
def opendata_datapackage(request):
    """The Frictionless Data Package: every file's Table Schema."""
    created = _all_changed(request) or timezone.now()
    return _json(datapackage(request.build_absolute_uri, created), "application/json")


@require_safe
@condition(etag_func=_meta_etag, last_modified_func=_meta_last_modified)
def opendata_catalog(request):
    """The DCAT catalogue (JSON-LD), for data portals that harvest catalogues."""
    modified = {name: _changed(request, name) for name in DATASETS}
    return _json(catalog(request.build_absolute_uri, modified), "application/ld+json")


# --- the feed ---------------------------------------------------------------------------------


def _tag(request, key: str) -> str:
    # The host without its port: the same entry has the same id on every port of the site.
    host, _port = split_domain_port(request.get_host())
    return f"tag:{host},{TAG_YEAR}:{key}"


def _feed_etag(request):
    # Every source of the feed's entries: a new milestone is a new entry, so its time is here
    # too (otherwise a reader polling with If-None-Match would get a 304 and miss it).
    changed = (
        _changed(request, "models"),
        _changed(request, "recognitions"),
        _changed(request, "milestones"),
        *_feedback_changed(),
    )
    return _etag("feed", translation.get_language(), *(m and m.isoformat() for m in changed))


def _feedback_changed():
    """The latest answer and publication of public feedback (the feed's answered entries)."""
    latest = published_answers().order_by().aggregate(Max("answered_at"), Max("published_at"))
    return latest["answered_at__max"], latest["published_at__max"]


@require_safe
@condition(etag_func=_feed_etag)
def opendata_feed(request):
    """Atom: models published, status changes, recognitions and milestones published,
    milestones withdrawn (newest 50)."""
    events = public_events()
    feed = TextAtomFeed(
        title=_("Dân vận khéo · %(ward)s: thay đổi công khai") % {"ward": settings.WARD_NAME},
        link=request.build_absolute_uri(reverse("public:opendata")),
        description=_(
            "Mô hình được công khai, chuyển trạng thái, quyết định công nhận, mốc tiến độ."
        ),
        language=translation.get_language(),
        feed_url=request.build_absolute_uri(),
        feed_guid=_tag(request, "feed"),
    )
    for event in events:
        feed.add_item(
            title=event.title,
            link=request.build_absolute_uri(event.path),
            description=event.summary,
            unique_id=_tag(request, event.key),
            unique_id_is_permalink=False,
            pubdate=event.at,
            updateddate=event.at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    return response
