"""The app as `make bench` and `make load` serve it, plus a hello-world route to compare with.

The extra route lives only here, never in the real app.
"""

from __future__ import annotations

from screening import create_app

app = create_app()


@app.get("/bench/hello")
def hello() -> str:
    return "hello"
