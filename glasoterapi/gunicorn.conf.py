"""gunicorn settings: `gunicorn -c glasoterapi/gunicorn.conf.py`.

Read from the environment like the Django settings; see the README.
"""

import multiprocessing
import os

wsgi_app = "glasoterapi.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that slow leaks never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only trust X-Forwarded-* from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log on stdout without query strings (%(U)s is the path alone: query
# strings can carry tokens) and without the client's IP address or user agent,
# which are personal data we have no need to keep.
accesslog = "-"
errorlog = "-"
access_log_format = (
    'access method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s'
)
# Escapes control characters and quotes, so that a URL cannot forge a log line.
logger_class = "glasoterapi.access_log.EscapingAccessLogger"
