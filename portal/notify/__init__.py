"""SMS notifications and operator alerts (docs/operations.md § SMS notifications).

- ``moments``: what is sent when, as Tencent-style templates ({1}, {2} …) with the
  platform's name and the constant find-page address filled in;
- ``consent``: the merchant's opt-in (no consent, no SMS);
- ``outbox``: messages enqueued in the transaction of the change that makes them,
  one per moment (a unique key), and the two hooks the domain calls;
- ``delivery``: the worker's side (rate limit, backoff, the leak guard, the provider);
- ``providers`` and ``tencent``: the provider protocol, the sandbox twin and Tencent
  Cloud SMS;
- ``alerts``: the operator's alert episodes (raised once, cleared when the condition ends);
- ``settings``: the ``PORTAL_SMS_*`` settings and what check-config says about them.

Nothing here imports the domain: the domain calls in (``outbox``), the worker drives
``delivery`` and ``alerts`` (portal/tasks/sms.py, portal/tasks/alerts.py).
"""
