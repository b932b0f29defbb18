"""WeChat's go-live APIs for the mini programs the sandbox's tasks created (SETUP step 6).

Each mini program has a model in the sandbox's database: its name and name audits, head
image, introduction, categories and their audits, privacy setting, domains, code
versions, code audits, releases and testers. The endpoints sit on ``api.bp`` so the
faults of ``/sandbox/faults`` apply to them; ``calls`` checks verbs and tokens,
``timeline`` ends audits when they are due and queues the message-URL pushes, and
``pages`` shows each mini program with buttons to decide an audit. The magic values are
listed in ``magic``.

This file imports nothing: the schema is read by ``state`` and the route modules are
imported by ``portal.sandbox``.
"""
