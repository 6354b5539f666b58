"""Log lines for the journal: one line per record, with time, level and logger.

A traceback is folded into the same line (newlines written as ``\\n``) so that a log reader
that splits on lines never separates an error from its cause or mixes two workers' lines.
"""

import logging


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", "\\n")
