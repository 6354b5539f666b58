"""gunicorn's configuration for the site: `gunicorn -c deploy/gunicorn.conf.py wardmodels.wsgi`.

The access log names the path without its query string and without the Referer: a resident's
private tracking link carries its token as ``?t=…`` on the first visit, and searches carry what
residents typed. Every value can be changed from the environment (GUNICORN_*), so that the
systemd unit and the tests use this one file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests are short and mostly wait on the database: two workers per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Exports (XLSX of every model) are the slowest requests; nothing legitimate takes longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): a slow leak
# in a library never grows for years.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# One line per request on standard output (the journal): time, client, method, path WITHOUT
# the query string (%(U)s; a resident's tracking link or a search may carry personal data in
# it), status, size, duration in microseconds. X-Forwarded-For names the client behind nginx.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = '%(t)s %({x-forwarded-for}i)s %(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Behind nginx on the same machine: trust its X-Forwarded-* headers (the settings decide
# which one means HTTPS: DJANGO_SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
