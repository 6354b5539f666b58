"""The progress timeline in the workspace: drafting, editing, photos, publishing, correcting,
withdrawing; the model's form recording results and progress; the dashboard's waiting drafts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.choices import MilestoneStatus as MS
from registry.models import Indicator, Initiative, Milestone, MilestonePhoto
from tests.factories import (
    make_initiative,
    make_milestone,
    make_official,
    make_published_milestone,
    uploaded_image,
)
from tests.queries import assert_constant_queries
from tests.workspace.helpers import edit_post_data

pytestmark = pytest.mark.django_db


def _list(initiative) -> str:
    return reverse("workspace:milestone-list", args=[initiative.pk])


def _edit(milestone) -> str:
    return reverse("workspace:milestone-edit", args=[milestone.pk])


VALID = {
    "title": "Trồng xong 200 chậu hoa giấy",
    "occurred_on": "2023-04-01",
    "body": "Các hộ dân dọc tuyến cùng trồng.",
    "progress_before": "40",
    "progress_after": "65",
}


def test_an_official_drafts_a_milestone_from_the_model_s_timeline(official_client, official):
    initiative = make_initiative()
    response = official_client.post(_list(initiative), VALID)
    milestone = Milestone.objects.get(initiative=initiative)
    assert response.status_code == 302 and response["Location"] == _edit(milestone)
    assert (milestone.title, milestone.occurred_on) == (VALID["title"], dt.date(2023, 4, 1))
    assert (milestone.progress_before, milestone.progress_after) == (40, 65)
    assert (milestone.status, milestone.created_by) == (MS.DRAFT, official)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Trường này là bắt buộc."),
        ({"title": "x" * 121}, "title", "tối đa 120 kí tự"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "không thể sau hôm nay"),
        ({"occurred_on": "31/02/2023"}, "occurred_on", "Nhập một ngày hợp lệ."),
        ({"progress_after": "150"}, "progress_after", "nhỏ hơn hoặc bằng với 100"),
        ({"progress_after": "-3"}, "progress_after", "lớn hơn hoặc bằng với 0"),
        ({"progress_after": "30"}, "progress_reason", "cần ghi rõ lý do"),
        ({"planned_on": "2023-03-01"}, "planned_on", "Ngày dự kiến phải từ ngày diễn ra"),
        ({"status_after": "lost"}, "status_after", "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_input_brings_the_form_back_with_the_message_and_the_input(
    official_client, changes, field, message
):
    initiative = make_initiative()
    data = {**VALID, "body": "Giữ nguyên nội dung đã gõ", **changes}
    response = official_client.post(_list(initiative), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field]), form.errors[field]
    html = response.content.decode()
    assert "Giữ nguyên nội dung đã gõ" in html
    assert 'role="alert"' in html
    assert not Milestone.objects.exists()


def test_the_committee_reads_the_timeline_but_cannot_draft(committee_client):
    initiative = make_initiative()
    make_published_milestone(initiative, title="Khởi công")
    html = committee_client.get(_list(initiative)).content.decode()
    assert "Khởi công" in html
    assert "Lập dự thảo mốc mới" not in html
    assert committee_client.post(_list(initiative), VALID).status_code == 403
    assert Milestone.objects.count() == 1


def test_a_draft_is_edited_and_a_published_milestone_is_not(official_client):
    initiative = make_initiative()
    draft = make_milestone(initiative, title="Bản nháp")
    response = official_client.post(_edit(draft), {**VALID, "title": "Bản đã sửa"})
    assert response.status_code == 302
    assert Milestone.objects.get(pk=draft.pk).title == "Bản đã sửa"

    published = make_published_milestone(initiative, title="Đã công bố")
    page = official_client.get(_edit(published)).content.decode()
    assert 'name="title"' not in page, "read-only once published"
    response = official_client.post(_edit(published), {**VALID, "title": "Sửa lén"}, follow=True)
    assert "hãy lập một mốc đính chính" in response.content.decode()
    assert Milestone.objects.get(pk=published.pk).title == "Đã công bố"


def test_an_invalid_edit_keeps_the_input_and_changes_nothing(official_client):
    draft = make_milestone(make_initiative(), title="Bản nháp")
    response = official_client.post(
        _edit(draft), {**VALID, "title": "Tiêu đề mới", "occurred_on": "2999-01-01"}
    )
    assert response.status_code == 200
    assert 'value="Tiêu đề mới"' in response.content.decode()
    assert Milestone.objects.get(pk=draft.pk).title == "Bản nháp"


def test_a_photo_is_added_cleaned_with_its_role(official_client):
    draft = make_milestone(make_initiative())
    response = official_client.post(
        reverse("workspace:milestone-photo-add", args=[draft.pk]),
        {
            "image": uploaded_image("IMG_0001.jpg"),
            "role": "after",
            "alt_text": "Tuyến phố sau khi trồng hoa",
            "order": "0",
        },
    )
    assert response.status_code == 302
    photo = MilestonePhoto.objects.get(milestone=draft)
    assert photo.role == "after" and photo.thumbnail
    assert "IMG_0001" not in photo.image.name and photo.image.name.startswith("photos/milestones/")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"alt_text": ""}, "alt_text", "Trường này là bắt buộc."),
        ({"role": ""}, "role", "Trường này là bắt buộc."),
        ({"image": None}, "image", "Trường này là bắt buộc."),
        ({"image": "not-an-image"}, "image", "Hãy tải lên một hình ảnh hợp lệ"),
    ],
)
def test_a_bad_photo_brings_the_form_back_and_stores_nothing(official_client, data, field, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = make_milestone(make_initiative())
    post = {
        "image": uploaded_image(),
        "role": "before",
        "alt_text": "Vỉa hè trước",
        "caption": "Chú thích đã gõ",
        "order": "0",
        **data,
    }
    if post["image"] is None:
        del post["image"]
    elif post["image"] == "not-an-image":
        post["image"] = SimpleUploadedFile("a.jpg", b"<html>", content_type="image/jpeg")
    response = official_client.post(reverse("workspace:milestone-photo-add", args=[draft.pk]), post)
    assert response.status_code == 200
    form = response.context["photo_form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert "Chú thích đã gõ" in response.content.decode()
    assert not MilestonePhoto.objects.exists()


def test_publishing_from_the_workspace_shows_it_to_residents(official_client, client):
    initiative = make_initiative()
    draft = make_milestone(initiative, title="Hoàn thành tuyến đường hoa")
    response = official_client.post(reverse("workspace:milestone-publish", args=[draft.pk]))
    assert response.status_code == 302
    assert Milestone.objects.get(pk=draft.pk).status == MS.PUBLISHED
    timeline = reverse("public:initiative-timeline", kwargs={"slug": initiative.slug})
    assert "Hoàn thành tuyến đường hoa" in client.get(timeline).content.decode()
    again = official_client.post(
        reverse("workspace:milestone-publish", args=[draft.pk]), follow=True
    )
    assert "Không thể thực hiện" in again.content.decode()


def test_withdrawing_asks_for_a_reason_first(official_client):
    milestone = make_published_milestone(make_initiative())
    url = reverse("workspace:milestone-withdraw", args=[milestone.pk])
    page = official_client.get(url).content.decode()
    assert "Trang công khai vẫn ghi tên mốc" in page
    response = official_client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Milestone.objects.get(pk=milestone.pk).status == MS.PUBLISHED
    official_client.post(url, {"reason": "Ghi nhầm ngày"})
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.status, saved.withdrawn_reason) == (MS.WITHDRAWN, "Ghi nhầm ngày")


def test_a_correction_starts_from_the_old_text(official_client):
    old = make_published_milestone(make_initiative(), title="Trồng 300 chậu", body="Nội dung cũ")
    url = reverse("workspace:milestone-supersede", args=[old.pk])
    page = official_client.get(url).content.decode()
    assert 'value="Trồng 300 chậu"' in page and "Nội dung cũ" in page
    response = official_client.post(url, {**VALID, "title": "Trồng 310 chậu"})
    correction = Milestone.objects.get(supersedes=old)
    assert response["Location"] == _edit(correction)
    assert (correction.title, correction.status) == ("Trồng 310 chậu", MS.DRAFT)
    assert Milestone.objects.get(pk=old.pk).title == "Trồng 300 chậu"


def test_the_timeline_list_costs_the_same_queries_with_more_milestones(official_client):
    initiative = make_initiative()
    make_milestone(initiative, photos=("before",))

    def grow():
        official = make_official("canbo2")
        for _n in range(3):
            published = make_published_milestone(initiative, photos=("before", "after"))
            workflow.milestone_supersede(milestone=published, by=official)
        make_milestone(initiative)

    url = _list(initiative)
    response = assert_constant_queries(lambda: official_client.get(url), grow)
    assert response.content.decode().count('id="milestone-') == 8


# --- the model's form: results and progress -----------------------------------------------------


def test_entering_a_progress_updates_the_figure_and_drafts_a_milestone(official_client):
    initiative = make_initiative()
    data = edit_post_data(official_client, initiative)
    data["progress_entered"] = "35"
    response = official_client.post(
        reverse("workspace:initiative-edit", args=[initiative.pk]), data
    )
    assert response.status_code == 302
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.progress, saved.progress_entered) == (35, 35)
    draft = Milestone.objects.get(initiative=initiative)
    assert (draft.progress_before, draft.progress_after, draft.automatic) == (None, 35, True)


def test_lowering_the_progress_without_a_reason_writes_nothing_and_keeps_the_input(
    official_client, official
):
    initiative = make_initiative(summary="Tóm tắt cũ")
    pots = Indicator.objects.create(initiative=initiative, label="Chậu", target=310, actual=310)
    workflow.initiative_results_update(initiative=initiative, by=official)
    assert Initiative.objects.get(pk=initiative.pk).progress == 100
    drafts = Milestone.objects.count()

    data = edit_post_data(official_client, initiative)
    row = next(i for i in range(2) if data.get(f"indicators-{i}-id") == str(pots.pk))
    data[f"indicators-{row}-actual"] = "155"
    data["summary"] = "Tóm tắt mới"
    url = reverse("workspace:initiative-edit", args=[initiative.pk])
    response = official_client.post(url, data)
    assert response.status_code == 200
    assert "cần ghi rõ lý do" in " ".join(response.context["form"].errors["progress_reason"])
    html = response.content.decode()
    assert "Tóm tắt mới" in html and 'value="155"' in html
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.summary, saved.progress) == ("Tóm tắt cũ", 100)
    assert Indicator.objects.get(pk=pots.pk).actual == Decimal("310")
    assert Milestone.objects.count() == drafts

    data = edit_post_data(official_client, initiative)
    data[f"indicators-{row}-actual"] = "155"
    data["progress_reason"] = "Bão làm hỏng 155 chậu"
    assert official_client.post(url, data).status_code == 302
    assert Initiative.objects.get(pk=initiative.pk).progress == 50
    draft = Milestone.objects.latest("id")
    assert draft.progress_reason == "Bão làm hỏng 155 chậu"
    assert "Chậu: 310 → 155" in draft.body


def test_a_status_change_from_the_workspace_drafts_a_milestone(official_client):
    initiative = make_initiative()
    official_client.post(reverse("workspace:initiative-complete", args=[initiative.pk]))
    draft = Milestone.objects.get(initiative=initiative)
    assert (draft.status_before, draft.status_after) == (S.IMPLEMENTING, S.COMPLETED)


def test_the_dashboard_lists_drafts_waiting_to_be_published(official_client, client):
    initiative = make_initiative("Đường điện thắp sáng")
    make_milestone(initiative, title="Lắp xong 40 bóng đèn")
    html = official_client.get(reverse("workspace:dashboard")).content.decode()
    assert "Mốc tiến độ chờ công bố" in html
    assert "Đường điện thắp sáng: Lắp xong 40 bóng đèn" in html

    from tests.factories import make_user

    reader = make_user("chixem")
    from django.contrib.auth.models import Permission

    reader.user_permissions.add(
        Permission.objects.get(codename="view_initiative", content_type__app_label="registry")
    )
    client.force_login(reader)
    assert (
        "Mốc tiến độ chờ công bố" not in client.get(reverse("workspace:dashboard")).content.decode()
    )


def test_the_timeline_tab_is_reachable_from_the_model_page(official_client):
    initiative = make_initiative()
    html = official_client.get(
        reverse("workspace:initiative-detail", args=[initiative.pk])
    ).content.decode()
    assert f'href="{_list(initiative)}"' in html


def test_today_is_a_valid_day_for_a_milestone(official_client):
    initiative = make_initiative()
    data = {**VALID, "occurred_on": timezone.localdate().isoformat()}
    assert official_client.post(_list(initiative), data).status_code == 302
