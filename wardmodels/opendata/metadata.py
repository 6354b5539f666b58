"""What describes the files: a Frictionless Data Package and a DCAT catalogue (JSON-LD).

Both are built from ``datasets.DATASETS``; descriptions come in Vietnamese and English.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .datasets import DATASETS, FORMATS, LICENSE, TEXT_CELLS_NOTE, VERSION, Column, Dataset
from .writers import text_value

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
# How the column dictionary on the page names each Table Schema type.
TYPE_LABELS = {
    "string": _("văn bản"),
    "integer": _("số nguyên"),
    "number": _("số (dấu chấm thập phân)"),
    "boolean": _("true hoặc false"),
    "date": _("ngày, YYYY-MM-DD"),
    "datetime": _("thời điểm UTC, YYYY-MM-DDThh:mm:ssZ"),
    "yearmonth": _("tháng, YYYY-MM"),
}
PACKAGE_TITLE = _("Mô hình “Dân vận khéo”: dữ liệu mở")
PACKAGE_DESCRIPTION = _(
    "Sổ mô hình, điển hình “Dân vận khéo” của phường: các mô hình đang công khai, chỉ tiêu, "
    "quyết định công nhận, đóng góp và chi theo tháng."
)


def in_both(text) -> dict[str, str]:
    """A translatable text in Vietnamese and English."""
    found = {}
    for language in ("vi", "en"):
        with translation.override(language):
            found[language] = str(text)
    return found


def file_url(dataset: Dataset, fmt: str) -> str:
    return reverse("public:opendata-file", kwargs={"name": dataset.name, "fmt": fmt})


def table_field(column: Column) -> dict:
    """One column as a Table Schema field."""
    texts = in_both(column.description)
    described = {
        "name": column.name,
        "type": column.type,
        "format": column.format or "default",
        "description": texts["vi"],
        "description_en": texts["en"],
    }
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if constraints:
        described["constraints"] = constraints
    return described


def table_schema(dataset: Dataset) -> dict:
    schema = {
        "fields": [table_field(column) for column in dataset.columns],
        "missingValues": [""],
    }
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    return schema


def datapackage(absolute: Callable[[str], str], generated: dt.datetime) -> dict:
    title, description = in_both(PACKAGE_TITLE), in_both(PACKAGE_DESCRIPTION)
    text_cells = in_both(TEXT_CELLS_NOTE)
    resources = []
    for dataset in DATASETS.values():
        titles, descriptions = in_both(dataset.title), in_both(dataset.description)
        resources.append(
            {
                "name": dataset.name,
                "path": absolute(file_url(dataset, "csv")),
                "profile": "tabular-data-resource",
                "title": titles["vi"],
                "title_en": titles["en"],
                "description": descriptions["vi"],
                "description_en": descriptions["en"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "licenses": [LICENSE],
                "schema": table_schema(dataset),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "dan-van-kheo",
        "version": f"{VERSION.removeprefix('v')}.0.0",
        "title": title["vi"],
        "title_en": title["en"],
        "description": f"{description['vi']} {text_cells['vi']}",
        "description_en": f"{description['en']} {text_cells['en']}",
        "homepage": absolute(reverse("public:opendata")),
        "created": text_value(generated),
        "licenses": [LICENSE],
        "contributors": [{"title": settings.WARD_NAME, "role": "publisher"}],
        "resources": resources,
    }


def _texts(text) -> list[dict]:
    return [{"@value": value, "@language": lang} for lang, value in in_both(text).items()]


def _moment(moment: dt.datetime | None) -> dict | None:
    return {"@value": text_value(moment), "@type": "xsd:dateTime"} if moment else None


def catalog(absolute: Callable[[str], str], modified: dict[str, dt.datetime | None]) -> dict:
    """A DCAT catalogue (DCAT-AP shape): the catalogue, one dataset per file, one
    distribution per format. ``modified`` gives each dataset's last change."""
    page = absolute(reverse("public:opendata"))
    license_ = {"@id": LICENSE["path"]}
    schema = {"@id": absolute(reverse("public:opendata-datapackage"))}
    datasets = []
    for dataset in DATASETS.values():
        changed = _moment(modified.get(dataset.name))
        distributions = []
        for fmt in FORMATS:
            url = absolute(file_url(dataset, fmt))
            distributions.append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.name}.{fmt}",
                    "dcat:downloadURL": {"@id": url},
                    "dcat:accessURL": {"@id": page},
                    "dcat:mediaType": MEDIA_TYPES[fmt],
                    "dct:format": fmt.upper(),
                    "dct:license": license_,
                    "dct:conformsTo": schema,
                    **({"dct:modified": changed} if changed else {}),
                }
            )
        datasets.append(
            {
                "@id": f"{page}#{dataset.name}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.name,
                "dct:title": _texts(dataset.title),
                "dct:description": _texts(dataset.description),
                "dct:license": license_,
                "dct:accessRights": {
                    "@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
                },
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": distributions,
                **({"dct:modified": changed} if changed else {}),
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("public:opendata-catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _texts(PACKAGE_TITLE),
        "dct:description": _texts(PACKAGE_DESCRIPTION),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": settings.WARD_NAME},
        "dct:license": license_,
        "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/VIE"}],
        "foaf:homepage": {"@id": page},
        "dcat:dataset": datasets,
    }
