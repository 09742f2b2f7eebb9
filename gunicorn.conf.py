"""gunicorn's settings for `make serve` (and `make bench`), from the environment:

WORKERS  processes (default: 2 per CPU core, at least 2)
THREADS  threads per process (default 1: sync workers; more: gthread workers)
BIND     address:port to listen on (default HOST:PORT, i.e. 127.0.0.1:5000)
TIMEOUT  seconds a request may take before its worker is restarted (default 30)
"""

import multiprocessing
import os

workers = int(os.environ.get("WORKERS") or max(2, 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
bind = os.environ.get("BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '5000'}"
)
timeout = int(os.environ.get("TIMEOUT") or 30)
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG") or None  # "-" logs every request to stdout
errorlog = "-"
proc_name = "subtext"
