"""Rate limits of the public API: who is counted, how much a request costs, where it is counted.

Invariants:

* Every ``/api/`` request is counted before the response cache answers, so a cache hit costs the
  same as a miss; a preflight (answered by CORS before this) is not counted.
* A client is a channel (by its key: its channel's policy, ``Channel.rate_limit_policy``) or,
  without a key, a client address: the socket's, or the one a trusted proxy names when
  ``BAKEN_TRUSTED_PROXIES`` says how many proxies stand in front (api.rate_limits.clients).
  Addresses are never stored: counters are keyed by an HMAC of the address.
* A request costs its endpoint's units (``costs.cost_of``: a search more than a detail); a
  policy ``quota/window`` is a bucket of ``quota`` units refilled continuously at ``quota`` units
  per ``window`` seconds (``gcra``): a client's allowed work is spread over time, never one burst
  of a whole minute's quota at once.
* Every counted response carries the IETF ``RateLimit-Policy`` and ``RateLimit`` fields
  (draft-ietf-httpapi-ratelimit-headers: ``r`` the units that could be spent now, ``t`` the
  seconds until the bucket is full); a request that does not fit is a 429 problem with
  ``Retry-After`` (the seconds until it would fit) and nothing else runs; it spends nothing.
* Counted across processes: in Redis when the response cache is shared (production), else in a
  small SQLite file beside the project (``BAKEN_RATE_LIMIT_FILE``), shared by every process on the
  machine. When the counter cannot be reached the request is served without a limit and without
  the fields, and the outage is logged: limits never take the API down.
"""
