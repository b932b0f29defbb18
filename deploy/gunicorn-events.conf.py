"""gunicorn for WeChat's two push URLs alone (README § Deploying behind gunicorn).

    gunicorn -c deploy/gunicorn-events.conf.py wsgi:app

WeChat waits 5 s for "success". nginx routes only /wechat/events and /wechat/messages/
here, so a push never queues behind page traffic; at normal priority it also wins the
CPU from the niced pages lane. A push costs a few milliseconds: two workers answer hundreds a second.
"""

bind = "127.0.0.1:8002"
workers = 2
worker_class = "sync"
timeout = 10
