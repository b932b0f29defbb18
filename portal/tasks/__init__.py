"""The worker's kinds of work, one module each (docs/worker.md).

Each kind has ``due(ctx, now)`` (what is due), ``claim(ctx, item, now)`` (take it with a
lease; None when another process has it) and ``run(ctx, item)``; ``portal.worker``
drives them. Kinds import ``context`` and ``lookups`` and the domain, never the
scheduler or each other; pages and the domain never import a kind.
"""
