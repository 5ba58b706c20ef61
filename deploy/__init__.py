"""A production-like stack on one machine: nginx terminating TLS in front of two gunicorn nodes (`make stack`)."""
