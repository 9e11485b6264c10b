"""Keep serving good rules while editors change rules.yaml on disk. Never down, never silent.

* A changed file is loaded only once it has stopped changing (``settle`` seconds with the same
  size and modification time), and only if it is complete and valid (loader.py refuses a file
  cut short). Until then, and whenever the new file is broken, the last good rules stay in use.
* Every good rule set is copied to a *last good* file in the instance folder. A process that
  starts while rules.yaml is broken (a worker recycled by gunicorn, a crash, a new container
  next to running ones) serves that copy instead of failing to boot; the errors are kept in
  ``errors`` for /healthz and the /rules page.
* The errors of one broken file are logged in full once (the first process to see them takes a
  marker file in the instance folder); every other process logs one short line.

Only rules are written to disk here: never an answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .catalogue import Catalogue
from .errors import RulesInvalid
from .loader import load_rules

log = logging.getLogger(__name__)


class RulesStore:
    """The current rule set, reloaded when the file changes and proves good.

    ``rules`` may be passed in when the caller has already loaded this file (tests, the
    gunicorn master), so it is not read and checked twice.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        emergency_number: str | None = None,
        check_every: float = 1.0,
        settle: float = 1.0,
        last_good_dir: Path | None = None,
        rules: Catalogue | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.emergency_number = emergency_number
        self.check_every = check_every
        self.settle = settle
        self.clock = clock
        self.errors: list[str] = []  # of the file on disk, while it is broken; else empty
        self.using_last_good = False  # serving the saved copy (the file was broken at start)
        self._lock = threading.Lock()
        self._last_good = _last_good_path(self.path, last_good_dir)
        self._stamp = self._file_stamp()
        self._pending: tuple[tuple[int, int] | None, float] | None = None
        self._reported: str | None = None  # content hash of the broken file already logged
        if rules is None:
            rules = self._first_load()
        else:
            self._keep(rules)
        self._rules = rules
        self._next_check = clock() + check_every

    # -- loading ---------------------------------------------------------------------------

    def _load(self, path: Path) -> Catalogue:
        return load_rules(path, emergency_number=self.emergency_number)

    def _first_load(self) -> Catalogue:
        try:
            rules = self._load(self.path)
        except RulesInvalid as exc:
            fallback = self._load_last_good()
            if fallback is None:
                raise
            self.using_last_good = True
            self._rules = fallback
            self._broken(exc)
            return fallback
        self._keep(rules)
        return rules

    def _load_last_good(self) -> Catalogue | None:
        if self._last_good is None or not self._last_good.is_file():
            return None
        try:
            rules = self._load(self._last_good)
        except RulesInvalid:
            log.error("the saved last good rules %s are not usable either", self._last_good)
            return None
        # Pages and logs name the editor's file, not the copy.
        return replace(rules, path=str(self.path))

    def _keep(self, rules: Catalogue) -> None:
        """Save a copy of a good file, so a process starting later can always serve it."""
        target = self._last_good
        if target is None:
            return
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        if hashlib.sha256(data).hexdigest()[:8] != rules.content_hash:
            return  # the file changed again since it was loaded: keep the older copy
        with contextlib.suppress(OSError):
            if target.is_file() and target.read_bytes() == data:
                return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rules-", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)  # atomic: a reader sees the old copy or the new, whole
        except OSError as exc:
            log.warning(
                "cannot save the last good rules to %s (%s): a worker that starts while "
                "rules.yaml is broken will not be able to serve",
                target,
                exc.strerror,
            )

    # -- reloading -------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    @property
    def rules(self) -> Catalogue:
        """The rules to use for this request, reloading first if the file changed."""
        now = self.clock()
        if now >= self._next_check:
            with self._lock:
                if now >= self._next_check:
                    self._next_check = now + self.check_every
                    self._reload_if_changed(now)
        return self._rules

    def _reload_if_changed(self, now: float) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            self._pending = None
            return
        # Wait until the file has stopped changing: an editor or a copy may still be writing.
        if self._pending is None or self._pending[0] != stamp:
            self._pending = (stamp, now)
            if self.settle > 0:
                return
        if now - self._pending[1] < self.settle:
            return
        self._pending = None
        self._stamp = stamp
        try:
            fresh = self._load(self.path)
        except RulesInvalid as exc:
            self._broken(exc)
            return
        self.errors = []
        self.using_last_good = False
        self._reported = None
        self._forget_reports()
        if fresh.content_hash != self._rules.content_hash:
            log.info("rules reloaded: version %s", fresh.label)
        self._rules = fresh
        self._keep(fresh)

    def _broken(self, exc: RulesInvalid) -> None:
        self.errors = exc.lines()
        digest = _file_digest(self.path)
        if digest == self._reported:
            return
        self._reported = digest
        label = self._rules.label
        if self._claim_report(digest):
            log.error(
                "rules file %s has %d error(s); still serving version %s:\n%s",
                self.path,
                len(exc.errors),
                label,
                "\n".join(self.errors),
            )
        else:
            log.warning(
                "rules file %s has %d error(s), listed once in the log; still serving version %s",
                self.path,
                len(exc.errors),
                label,
            )

    def _claim_report(self, digest: str) -> bool:
        """True for the first process to report this broken file (a marker file decides)."""
        if self._last_good is None:
            return True
        marker = self._last_good.with_name(f"{self._last_good.stem}.errors-{digest}.logged")
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError:
            return True
        os.close(fd)
        return True

    def _forget_reports(self) -> None:
        if self._last_good is None:
            return
        for marker in self._last_good.parent.glob(f"{self._last_good.stem}.errors-*.logged"):
            with contextlib.suppress(OSError):
                marker.unlink()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "unreadable"


def _last_good_path(rules_path: Path, folder: Path | None) -> Path | None:
    """One copy per rules file: the same editor's file always maps to the same copy."""
    if folder is None:
        return None
    key = hashlib.sha256(str(rules_path.resolve()).encode()).hexdigest()[:10]
    return folder / f"rules-last-good-{key}.yaml"
