"""How gunicorn serves Baken: ``make serve`` and the tests' server processes read this one file
(``gunicorn -c python:baken.gunicorn_conf``); the worker and thread counts are given by the caller.

Invariants:

* Threaded workers (``gthread``) with keep-alive. A kept-alive connection waits for its next
  request in the worker's poller, not in a thread, and a new connection that sends nothing for 5 s
  is moved there too (gunicorn's gthread): a client that pauses between requests, or connects and
  waits, holds no thread for long. With ``sync`` workers every connection is closed after one
  answer and each new one holds a whole worker until its request arrives (``make bench``'s mixed
  load: readers fell from 1,322 to 235 req/s next to one client pausing between requests; about
  1,900 req/s with these workers). A client sending its request slowly still holds a thread: a
  buffering proxy in front (which production has for TLS) is what absorbs those.
* Keep-alive of 5 s: long enough that a client pausing a few seconds between requests does not
  write into a connection the server is closing; short enough that idle connections are few.
* The application is imported once in the master (``preload_app``): workers share its memory
  copy-on-write, and a broken configuration stops the master instead of looping worker boots.
  Importing it also warms the process up (``baken.warmup``: URLconf and views, translation
  catalogues, the Redis client library), so a new worker's first request does not pay for that.
"""

worker_class = "gthread"
threads = 4
keepalive = 5
preload_app = True
timeout = 30
graceful_timeout = 30
# Workers touch a heartbeat file often: in memory, not on a disk that may stall (gunicorn FAQ).
worker_tmp_dir = "/dev/shm"  # noqa: S108 (a directory gunicorn creates its own files in)
# gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): several servers on
# one machine (tests, the benchmark's pair) would take it from each other. Nothing here uses it.
control_socket_disable = True
