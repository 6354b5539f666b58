"""Residents' feedback for tests, made through the workflow as a resident and an official would."""

from participation import workflow
from participation.models import Feedback
from tests import factories

SAMPLE_TEXT = "Đề nghị phường bố trí thêm thùng rác ở đầu đường hoa Lê Lợi, gần cầu Bình Hòa."


def make_feedback(initiative=None, *, text=None, kind="suggestion", **kwargs) -> Feedback:
    """A new feedback item; its tracking token is on ``.token``."""
    initiative = initiative or factories.make_initiative()
    feedback, token = workflow.feedback_submit(
        initiative=initiative,
        kind=kind,
        text=text or f"{SAMPLE_TEXT} ({Feedback.objects.count() + 1})",
        **kwargs,
    )
    feedback.token = token
    return feedback


def make_answered(
    initiative=None, *, by, answer="Phường đã bố trí thêm hai thùng rác.", publish=True, **kwargs
):
    """Received, answered and (by default) published, as an official would do it."""
    feedback = make_feedback(initiative, **kwargs)
    token = feedback.token
    workflow.feedback_receive(feedback=feedback, by=by)
    workflow.feedback_answer(feedback=feedback, by=by, text=answer)
    if publish:
        workflow.feedback_publish(feedback=feedback, by=by, public_text=feedback.text)
    feedback.refresh_from_db()
    feedback.token = token
    return feedback
