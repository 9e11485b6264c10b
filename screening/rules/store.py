"""Keep serving the last good rules while editors change rules.yaml on disk."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from .catalogue import Catalogue
from .errors import RulesInvalid
from .loader import load_rules

log = logging.getLogger(__name__)


class RulesStore:
    """The current rule set, reloaded when the file changes.

    The first load must succeed (the app refuses to start on a broken file). Later, a broken
    file is logged and reported through ``errors``, and the last good rules stay in use.
    ``check_every`` limits how often the file's modification time is looked at.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        emergency_number: str | None = None,
        check_every: float = 1.0,
    ) -> None:
        self.path = Path(path)
        self.emergency_number = emergency_number
        self.check_every = check_every
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self._rules = load_rules(self.path, emergency_number=emergency_number)
        self._next_check = time.monotonic() + check_every
        self.errors: list[str] = []  # from the last failed reload; empty when the file is good

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    @property
    def rules(self) -> Catalogue:
        """The rules to use for this request, reloading first if the file changed."""
        now = time.monotonic()
        if now >= self._next_check:
            with self._lock:
                if now >= self._next_check:
                    self._next_check = now + self.check_every
                    self._reload_if_changed()
        return self._rules

    def _reload_if_changed(self) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            fresh = load_rules(self.path, emergency_number=self.emergency_number)
        except RulesInvalid as exc:
            self.errors = exc.lines()
            log.error(
                "rules file %s has %d error(s); still serving version %s:\n%s",
                self.path,
                len(exc.errors),
                self._rules.label,
                "\n".join(self.errors),
            )
            return
        self.errors = []
        if fresh.content_hash != self._rules.content_hash:
            log.info("rules reloaded: version %s", fresh.label)
        self._rules = fresh
