"""What a dashboard section is: a titled list of at most ``SECTION_LIMIT`` items."""

import datetime as dt
from dataclasses import dataclass, field

# Each section shows at most this many items, then links to the full list.
SECTION_LIMIT = 20
# Follow-ups due within this many days are shown (overdue ones always).
FOLLOW_UP_HORIZON_DAYS = 7


@dataclass
class DashboardItem:
    title: str
    url: str
    note: str = ""
    # Shown as "hạn dd/mm/yyyy"; ``overdue`` highlights it.
    due: dt.date | None = None
    overdue: bool = False
    # An optional second link, e.g. to the admin page where the committee decides.
    action_label: str = ""
    action_url: str = ""


@dataclass
class DashboardSection:
    key: str
    title: str
    items: list[DashboardItem]
    empty_text: str
    # Where the whole list lives, when more than SECTION_LIMIT items wait.
    more_url: str = ""
    truncated: bool = False
    template: str = "workspace/includes/_dashboard_section.html"
    extra: dict = field(default_factory=dict)

    @property
    def count_label(self) -> str:
        return f"{len(self.items)}+" if self.truncated else str(len(self.items))


def bounded(queryset) -> tuple[list, bool]:
    # Providers select only the columns their items show (``only()``): initiatives are wide
    # rows (description, search text), and a section shows a title and a date or two.
    rows = list(queryset[: SECTION_LIMIT + 1])
    return rows[:SECTION_LIMIT], len(rows) > SECTION_LIMIT
