"""The log's filters (settings.LOGGING)."""

import logging


class RefusalOnOneLine(logging.Filter):
    """A refused request (a 4xx: 403, CSRF failure, 400) is logged as one line, without the
    traceback Django attaches to it.

    A refusal is the site working as designed, and a crawler or a probe makes hundreds of
    them: a traceback each buried the log's real errors. The line keeps what matters (the
    reason, the path, the status); 5xx records keep their traceback. Set on the loggers that
    Django writes refusals to (not on a handler), so every handler, tests' included, sees the
    same record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
