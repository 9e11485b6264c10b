"""nginx in front of gunicorn instances: `make proxy`, the Docker image, and the deploy tests.

    python -m deploy.proxy [--host 127.0.0.1] [--port $PROXY_PORT or 8080] [--instances 2]

Each gunicorn instance is its own `gunicorn --config screening/gunicorn_conf.py` (its own
process group), listening on a unix socket in a private run directory; nginx, configured from
deploy/nginx.conf.template, listens on TCP in front of them. They share one secret key (made
here when SCREENING_SECRET_KEY is not set, outside production), so any instance can carry on
any journey. Ctrl-C (or SIGTERM) stops everything.

As a library (tests/deploy, tests/bench_proxy.py)::

    with ProxyStack() as stack:                # free port, two instances
        urllib.request.urlopen(stack.url + "/healthz")
        stack.instances[0].kill()              # SIGKILL its master and workers

Something that never starts raises StackError with the output of every server.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType, TracebackType

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
ERRORS_DIR = ROOT / "deploy" / "errors"
STATIC_DIR = ROOT / "screening" / "static"
MIME_TYPES = Path("/etc/nginx/mime.types")  # Debian's nginx-common
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Per client address. Pages: generous (a clinic's tablets may share one address); the PDF is
# the one heavy page, so fewer, and at most a few at once.
LIMITS = {
    "PAGE_RATE": "10",  # per second
    "PAGE_BURST": "40",
    "PDF_RATE": "10",  # per minute
    "PDF_BURST": "5",
    "CONN_PER_IP": "30",
    "PDF_CONN_PER_IP": "3",
}
START_SECONDS = 60.0  # generous for a slow machine; a server that dies fails at once
STOP_SECONDS = 15.0
PLACEHOLDER = re.compile(r"@[A-Z_]+@")


class StackError(RuntimeError):
    """A server did not start (or stopped); the message holds what the servers printed."""


def find_nginx() -> str:
    found = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found is None:
        raise StackError("nginx is not installed (`make system-deps` installs Debian's nginx)")
    return found


def render_config(
    *,
    listen: str,
    run_dir: Path,
    upstreams: Sequence[str],
    error_log: str = "stderr",
    limits: Mapping[str, str] = LIMITS,
    template: Path = TEMPLATE,
) -> str:
    """nginx.conf from the template; ``upstreams`` are nginx addresses (``unix:/path``)."""
    servers = "\n".join(f"        server {u} max_fails=2 fail_timeout=5s;" for u in upstreams)
    values = {
        **limits,
        "LISTEN": listen,
        "RUN_DIR": str(run_dir),
        "ERROR_LOG": error_log,
        "MIME_TYPES": str(MIME_TYPES),
        "STATIC_DIR": str(STATIC_DIR),
        "ERRORS_DIR": str(ERRORS_DIR),
        "UPSTREAM_SERVERS": servers,
    }
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = sorted(set(PLACEHOLDER.findall(text)))
    if left:
        raise StackError(f"{template}: no value for {', '.join(left)}")
    return text


def free_port(host: str = "127.0.0.1") -> int:
    """A port free right now. Another program may take it before nginx binds it, so
    ProxyStack retries with a new one when nginx reports 'Address already in use'."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self._path))
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


class _Server:
    """A child process in its own process group, its output in a file (or the terminal)."""

    name = "server"
    proc: subprocess.Popen[bytes] | None = None

    def __init__(self, log_path: Path, capture: bool) -> None:
        self.log_path = log_path
        self.capture = capture

    def _spawn(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        if self.capture:
            with open(self.log_path, "ab") as out:
                self.proc = subprocess.Popen(
                    argv, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )  # fmt: skip
        else:
            # Own process group: Ctrl-C reaches only this script, which stops everything.
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=dict(env), stdin=subprocess.DEVNULL, start_new_session=True
            )

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self) -> str:
        if not self.capture:
            return "(printed above)"
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def group(self) -> list[int]:
        """The live processes of this server's process group (it and its workers), from /proc;
        zombies, which nothing can run in any more, do not count."""
        if self.proc is None:
            return []
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            state, pgid = fields[0], int(fields[2])
            if pgid == self.proc.pid and state not in ("Z", "X"):
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL the process and everything it started (its whole process group), and wait
        until none of them runs."""
        if self.proc is None:
            return
        _signal_group(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + STOP_SECONDS
        while self.group() and time.monotonic() < deadline:
            time.sleep(0.01)

    def terminate(self) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Wait for a terminate() to finish; then SIGKILL whatever of it is left."""
        if self.proc is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        self.kill()  # also any worker that outlived its master


class Instance(_Server):
    """One gunicorn instance (master and workers) on a unix socket."""

    def __init__(self, index: int, run_dir: Path, env: Mapping[str, str], capture: bool) -> None:
        super().__init__(run_dir / f"gunicorn-{index}.log", capture)
        self.index = index
        self.name = f"gunicorn instance {index}"
        self.socket = run_dir / f"gunicorn-{index}.sock"
        self.env = {**env, "SCREENING_BIND": f"unix:{self.socket}"}

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self._spawn([str(GUNICORN), "--config", "screening/gunicorn_conf.py"], self.env)

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
        """GET ``path`` from this instance directly, not through nginx."""
        conn = _UnixHTTPConnection(self.socket, timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def answers_healthz(self) -> bool:
        try:
            return self.get("/healthz", timeout=2)[0] == 200
        except OSError:
            return False


class Nginx(_Server):
    name = "nginx"

    def __init__(self, run_dir: Path, capture: bool) -> None:
        super().__init__(run_dir / "nginx.log", capture)
        self.run_dir = run_dir
        self.conf = run_dir / "nginx.conf"
        self.pid_file = run_dir / "nginx.pid"

    def start(self, config: str) -> None:
        self.conf.write_text(config, encoding="utf-8")
        self.pid_file.unlink(missing_ok=True)
        self._spawn(
            [find_nginx(), "-p", str(self.run_dir), "-c", str(self.conf), "-e", "stderr"],
            os.environ,
        )


class ProxyStack:
    """nginx on ``host:port`` (0: a free port) in front of ``instances`` gunicorn instances.

    ``env`` is the environment for gunicorn (default: this process's). It gets
    SCREENING_TRUSTED_PROXIES=1 (nginx is one hop) unless set, and one shared secret key made
    here if none is set outside production. ``capture=False`` leaves the servers' output on
    this terminal (make proxy); otherwise it is kept for output() and error messages.
    """

    def __init__(
        self,
        *,
        instances: int = 2,
        host: str = "127.0.0.1",
        port: int = 0,
        env: Mapping[str, str] | None = None,
        capture: bool = True,
        limits: Mapping[str, str] = LIMITS,
    ) -> None:
        if instances < 1:
            raise ValueError("at least one gunicorn instance")
        self.host = host
        self.port = port
        self.count = instances
        self.capture = capture
        self.limits = dict(limits)
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("SCREENING_TRUSTED_PROXIES", "1")
        production = self.env.get("SCREENING_ENV", "").strip().lower() == "production"
        self.made_secret_key = not self.env.get("SCREENING_SECRET_KEY") and not production
        if self.made_secret_key:
            self.env["SCREENING_SECRET_KEY"] = secrets.token_hex(32)
        self.run_dir: Path | None = None
        self.instances: list[Instance] = []
        self.nginx: Nginx | None = None
        self._final_output = ""

    # --- starting --------------------------------------------------------------------

    def __enter__(self) -> ProxyStack:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def connect_host(self) -> str:
        """Where to reach nginx from this machine."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104

    @property
    def url(self) -> str:
        return f"http://{self.connect_host}:{self.port}"

    def start(self) -> ProxyStack:
        """Start every server and wait until nginx answers /healthz through them."""
        # Only the owner can list it; nginx's workers (nobody, when started as root) may pass
        # through it to the sockets and to the temp folders nginx makes for them.
        self.run_dir = Path(tempfile.mkdtemp(prefix="screening-proxy-"))
        self.run_dir.chmod(0o711)
        try:
            self.instances = [
                Instance(i, self.run_dir, self.env, self.capture) for i in range(self.count)
            ]
            for instance in self.instances:
                instance.start()
            for instance in self.instances:
                self.wait_until(f"{instance.name} answers /healthz", instance.answers_healthz)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_nginx(self) -> None:
        assert self.run_dir is not None
        fixed = self.port != 0
        for _attempt in range(1 if fixed else 5):
            port = self.port if fixed else free_port(self.host or "0.0.0.0")  # noqa: S104
            self.nginx = Nginx(self.run_dir, self.capture)
            self.nginx.log_path.unlink(missing_ok=True)
            config = render_config(
                listen=f"{self.host}:{port}" if self.host else str(port),
                run_dir=self.run_dir,
                upstreams=[f"unix:{i.socket}" for i in self.instances],
                limits=self.limits,
            )
            self.nginx.start(config)
            self.port = port
            try:
                # The pid file appears once nginx has bound its port.
                self.wait_until("nginx starts", self.nginx.pid_file.exists, self.nginx)
            except StackError:
                if not fixed and "Address already in use" in self.nginx.output():
                    continue  # someone took the port after free_port(): try another
                raise
            self.wait_until("nginx answers /healthz", self._healthz_through_nginx)
            return
        raise StackError(f"no free port for nginx after 5 tries\n{self.output()}")

    def _healthz_through_nginx(self) -> bool:
        conn = http.client.HTTPConnection(self.connect_host, self.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def wait_until(
        self,
        what: str,
        check: Callable[[], bool],
        *servers: _Server,
        seconds: float = START_SECONDS,
    ) -> None:
        """Poll ``check`` until true; raise StackError (with all output) when a server dies
        or after ``seconds``."""
        watched = servers or tuple(self.servers())
        deadline = time.monotonic() + seconds
        pause = 0.02
        while True:
            if check():
                return
            dead = [s for s in watched if not s.alive]
            if dead:
                codes = ", ".join(
                    f"{s.name} exited with {s.proc.returncode if s.proc else '?'}" for s in dead
                )
                raise StackError(f"waiting until {what}: {codes}\n{self.output()}")
            if time.monotonic() > deadline:
                raise StackError(f"{what}: not within {seconds:.0f} s\n{self.output()}")
            time.sleep(pause)
            pause = min(pause * 2, 0.25)

    def restart(self, index: int) -> None:
        """Start instance ``index`` again (after kill()) and wait until it answers."""
        instance = self.instances[index]
        instance.kill()
        instance.start()
        self.wait_until(f"{instance.name} answers /healthz again", instance.answers_healthz)

    # --- looking and stopping --------------------------------------------------------

    def servers(self) -> list[_Server]:
        return [*self.instances, *([self.nginx] if self.nginx else [])]

    def output(self) -> str:
        """Everything the servers printed, each under its name."""
        if self._final_output:
            return self._final_output
        return "\n".join(f"===== {s.name} =====\n{s.output()}" for s in self.servers())

    def stop(self) -> str:
        """Stop nginx, then every instance (SIGTERM, then SIGKILL after STOP_SECONDS); remove
        the run directory. Returns what the servers printed."""
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait_stopped(time.monotonic() + STOP_SECONDS)
        for instance in self.instances:
            instance.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for instance in self.instances:
            instance.wait_stopped(deadline)
        if self.run_dir is not None:
            self._final_output = self.output()
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None
        return self._final_output

    def watch(self) -> int:
        """Wait while serving (make proxy). Returns 1 when nginx or every instance stops."""
        assert self.nginx is not None
        reported: set[int] = set()
        while True:
            if not self.nginx.alive:
                print("nginx stopped; stopping everything.", file=sys.stderr)
                return 1
            for instance in self.instances:
                if not instance.alive and instance.index not in reported:
                    reported.add(instance.index)
                    print(f"{instance.name} stopped; the others carry on.", file=sys.stderr)
            if len(reported) == len(self.instances):
                print("Every gunicorn instance stopped; stopping nginx.", file=sys.stderr)
                return 1
            time.sleep(0.5)


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.proxy",
        description="nginx in front of gunicorn instances of the nerve health check.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="nginx listens here (127.0.0.1)")
    parser.add_argument("--port", help="nginx's port (default: $PROXY_PORT, else 8080)")
    parser.add_argument("--instances", default="2", help="gunicorn instances (2)")
    args = parser.parse_args(argv)
    raw_port = args.port or os.environ.get("PROXY_PORT", "").strip() or "8080"
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        print(f"Cannot start: PROXY_PORT must be a port number (got {raw_port!r})", file=sys.stderr)
        return 2
    if not args.instances.isdigit() or int(args.instances) < 1:
        print(
            f"Cannot start: --instances must be 1 or more (got {args.instances!r})", file=sys.stderr
        )
        return 2
    try:  # a port already in use is the likeliest trouble: say so before starting anything
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((args.host, int(raw_port)))
    except OSError as exc:
        print(
            f"Cannot start: port {raw_port} on {args.host}: {exc.strerror}. Set PROXY_PORT.",
            file=sys.stderr,
        )
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    stack = ProxyStack(
        instances=int(args.instances), host=args.host, port=int(raw_port), capture=False
    )
    if stack.made_secret_key:
        print(
            "No SCREENING_SECRET_KEY set: made one for this run, shared by every instance. "
            "Sessions end when this stops.",
            file=sys.stderr,
        )
    try:
        stack.start()
        print(
            f"\nNerve health check through nginx: {stack.url}  ({stack.count} gunicorn "
            "instances behind it; Ctrl-C stops everything)\n",
            flush=True,
        )
        return stack.watch()
    except StackError as exc:
        print(f"Cannot start: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Stop):
        print("\nStopping nginx and gunicorn...", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot cut the cleanup
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
