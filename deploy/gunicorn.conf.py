"""gunicorn's settings for the ward's site: ``gunicorn -c deploy/gunicorn.conf.py wardmodels.wsgi``.

The access log names the path without its query string (``%(U)s``), and no Referer: a
resident's private tracking link carries its token as ``?t=…`` (on the first visit only, and
the pages it leads to would repeat it in Referer), and searches carry what residents typed.
Settings that depend on the machine come from the environment (``GUNICORN_BIND``,
``WEB_CONCURRENCY``); the site's own configuration is in the README's table.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
# A worker is replaced after this many requests (jittered so they do not all restart at once).
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# remote address, time, method, path (no query), protocol, status, bytes, User-Agent, duration
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s "%(a)s" %(M)sms'
