"""The domain: submissions and their state machine, the flavors (classic, v2), pushes,
the worker's jobs, the retry policy, webhooks. No Flask request or session here."""
