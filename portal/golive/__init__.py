"""Going live: from the AppID to a released mini program (docs/golive.md).

The domain of the go-live steps: what the merchant gave (``steps``), what the operator
set up (``platform``), and what WeChat's answers and pushes do to each step
(``outcomes``). Pages store; the worker's go-live kinds (``portal.tasks.golive_*``) call
WeChat.
"""
