"""Channels: the registered readers of the public API (campaign sites, an education site, apps).

A channel has a name, a contact, the origins its browser pages run on (CORS), the campaigns and
locales it uses (informative: public content stays public to everyone) and API keys.

Invariants:

* A key's text is shown once, when it is made (``keys.issue``); the database keeps only its
  visible ``prefix`` and the SHA-256 of the whole text. Keys are 256-bit random secrets, so a fast
  hash is safe (as for GitHub's or Stripe's tokens); comparison is constant-time.
* A key is *valid* while it is not revoked, not past its ``expires_at`` and its channel is active.
  Rotation makes a new key and lets the old one expire after an overlap period.
* Keys never unlock anything: every channel reads exactly what an anonymous client reads. A key
  names the channel (its limits and usage); a wrong, revoked or expired key is refused (401).
* Creating, rotating and revoking keys, and saving a channel, are logged in Wagtail's history
  of the channel.
"""
