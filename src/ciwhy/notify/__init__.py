"""⑥ Notifications: new analyses (and digests) announced on the tenant's channels.

- `channels/` — the kinds of channel (slack, telegram, matrix, discord, teams, webhook, email),
  registered by name in `channels.KINDS`; each declares its config fields, validates a config
  and sends a `Message`.
- `rules.py` — which analyses a channel wants (min severity, projects, new causes only).
- `ciwhy.store.outbox` — the durable outbox: messages written in the transaction that stores
  the analysis, claimed under a lease, retried with backoff, every attempt logged.
- `sender.py` — claims outbox rows and sends them (run by every analysis worker when idle).
- `manage.py` — channel management for the API, the dashboard and the CLI.

Nothing here runs at import time; this package imports nothing heavy.
"""
