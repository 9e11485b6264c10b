"""The reference deployment: nginx in front of gunicorn (see proxy.py)."""
