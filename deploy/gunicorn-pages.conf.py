"""gunicorn for the pages lane: merchants, consoles, the API (README § Deploying).

    gunicorn -c deploy/gunicorn-pages.conf.py wsgi:app

nginx sends everything but /wechat/events here, stamped with X-Request-Start, so a
page read that waited longer than PORTAL_SHED_AFTER is refused with a quick 503.
"""

import os

bind = "127.0.0.1:8000"
workers = 2
worker_class = "sync"
timeout = 30


def on_starting(server: object) -> None:
    """Pages give way to the event lane and the worker when the CPU is scarce."""
    os.nice(10)
