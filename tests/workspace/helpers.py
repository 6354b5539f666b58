"""Building the workspace edit form's POST data the way a browser sends it."""

from django.urls import reverse

from tests.factories import make_admin_unit, make_field

PREFIXES = ("indicators", "commitments", "photos")


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def initiative_post_data(*, field=None, admin_unit=None, indicators=(), commitments=(), **fields):
    """A complete create form: main fields, then indicator and commitment rows (no photos)."""
    data = {
        "code": "DVK-2023-01",
        "kind": "model",
        "subject": "collective",
        "title": "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
        "slug": "",
        "field": str((field or make_field("Xây dựng đô thị văn minh")).pk),
        "admin_unit": str((admin_unit or make_admin_unit()).pk),
        "location": "Từ đường Hồ Xuân Hương đến đường Lý Tự Trọng, cầu Bình Hòa",
        "summary": "310 chậu hoa giấy trên 2 km đường.",
        "description": "",
        "started_on": "2023-01-15",
        "ended_on": "",
        "funding_target": "310000000",
        "adaptation_notes": "",
    }
    data.update({k: str(v) for k, v in fields.items()})
    data.update(management("indicators", len(indicators)))
    for i, row in enumerate(indicators):
        for key, value in row.items():
            data[f"indicators-{i}-{key}"] = str(value)
        data.setdefault(f"indicators-{i}-order", str(i))
    data.update(management("commitments", len(commitments)))
    for i, text in enumerate(commitments):
        data[f"commitments-{i}-text"] = text
        data[f"commitments-{i}-order"] = str(i)
    data.update(management("photos", 0))
    return data


def edit_post_data(client, initiative):
    """What the edit page would post back unchanged: every field and row as rendered."""
    response = client.get(reverse("workspace:initiative-edit", args=[initiative.pk]))
    data = {}
    form = response.context["form"]
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is None:
            data[name] = ""
        elif hasattr(value, "isoformat") and name != "version":
            data[name] = value.isoformat()
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for _heading, formset in response.context["formsets"]:
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(formset.initial_form_count()),
                f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for form in formset.initial_forms:
            for name in form.fields:
                if name in ("DELETE", "image"):
                    continue
                value = form[name].value()
                if isinstance(value, bool):
                    if value:
                        data[form.add_prefix(name)] = "on"
                else:
                    data[form.add_prefix(name)] = "" if value is None else str(value)
    return data
