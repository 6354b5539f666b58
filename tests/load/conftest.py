"""The load and fault tests' figures, printed in pytest's terminal summary.

A test calls the ``load_figures`` fixture with one line; the lines are shown in a section
"load and fault figures" at the end of the run, with or without ``-s`` (CI's log shows them).
"""

import pytest

from tests.load.ledger import ledger_site  # noqa: F401 - a fixture for the load tests

_FIGURES = pytest.StashKey[list]()


def _lines(config) -> list:
    return config.stash.setdefault(_FIGURES, [])


@pytest.fixture
def load_figures(request):
    def report(line: str) -> None:
        _lines(request.config).append(f"{request.node.name}: {line}")

    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = _lines(config)
    if not lines:
        return
    terminalreporter.section("load and fault figures")
    for line in lines:
        terminalreporter.write_line(line)
