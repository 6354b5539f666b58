"""Nothing lost under load: officials record donations while residents read the public pages.

gunicorn (2 workers × 4 threads) against the test database; LOAD_SECONDS (default 4) of
load from LOAD_READERS readers and four officials, each logged in through the real login
form. Afterwards every accepted POST (302 to the ledger's #donations) is in the database
exactly once and complete, nothing else is, the totals equal the sum of the accepted
amounts, and no request got a 5xx or went unanswered. The figures are printed in the
terminal summary ("load and fault figures").
"""

import os

from tests.load.harness import AppServer, reader, run_load
from tests.load.ledger import OFFICIALS, check_ledger, figures, official

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "4"))
LOAD_READERS = int(os.environ.get("LOAD_READERS", "6"))
SERVER_ENV = {"DATABASE_CONN_MAX_AGE": "60"}


def test_every_accepted_donation_is_recorded_exactly_once_and_the_totals_add_up(
    ledger_site, tmp_path, load_figures
):
    ledger = ledger_site.ledger
    actors = [reader(ledger_site.pages)] * LOAD_READERS + [
        official(ledger, f"canbo{n}") for n in range(1, OFFICIALS + 1)
    ]
    with AppServer(tmp_path, workers=2, env=SERVER_ENV) as server:
        report = run_load(server.url, actors, seconds=LOAD_SECONDS)
        log = server.log()
        server.pull_database()

    checked = check_ledger(ledger)
    load_figures(figures(report, ledger, checked))

    assert report.server_errors == 0, log
    assert not report.failures, [r.error for r in report.failures[:5]]
    assert all(r.status == 302 for r in ledger.logins), [r.status for r in ledger.logins]
    assert len(ledger.logins) == OFFICIALS, "each official logged in once and stayed in"
    assert ledger.attempts, "the officials recorded nothing"
    assert [a for a in ledger.attempts if not a.accepted] == []
    assert checked["rows"] == len(ledger.attempts)
    assert checked["received"] == sum(a.amount for a in ledger.attempts)
    reads = [r for r in report.results if r.method == "GET" and "/quan-ly/" not in r.path]
    assert reads and {r.status for r in reads} == {200}
    assert report.latency(0.95) < 5, "p95 latency above 5 s on loopback"
