"""Rate limits of the public API: who is counted, how much a request costs, where it is counted.

Invariants:

* Every ``/api/`` request is counted before the response cache answers, so a cache hit costs the
  same as a miss; a preflight (answered by CORS before this) is not counted.
* A client is a channel (by its key: its channel's policy, ``Channel.rate_limit_policy``) or,
  without a key, a client address: the socket's, or the one a trusted proxy names when
  ``BAKEN_TRUSTED_PROXIES`` says how many proxies stand in front (api.rate_limits.clients).
  Addresses are never stored: counters are keyed by an HMAC of the address.
* A request costs its endpoint's units (``costs.cost_of``: a search more than a detail); a
  policy allows ``quota`` units per fixed window of ``window`` seconds.
* Every counted response carries the IETF ``RateLimit-Policy`` and ``RateLimit`` fields
  (draft-ietf-httpapi-ratelimit-headers); past the quota the answer is a 429 problem with
  ``Retry-After`` (the seconds until the window ends) and nothing else runs.
* Counted across processes: in Redis when the response cache is shared (production), else in a
  small SQLite file beside the project (``BAKEN_RATE_LIMIT_FILE``), shared by every process on the
  machine. When the counter cannot be reached the request is served without a limit and without
  the fields, and the outage is logged: limits never take the API down.
"""
