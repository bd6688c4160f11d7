"""`kizashi serve` as a real subprocess on a free loopback port, for tests that drive a real browser.

The server is started exactly as a user starts it (`python -m kizashi serve`), so the CLI, uvicorn and the app
factory are all under test; it finds its workspace through KIZASHI_WORKSPACE / KIZASHI_DATABASE_URL in `env`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

STARTUP_TIMEOUT = 60.0  # seconds; CI runs two pytest workers on two cores, so imports can be slow
START_ATTEMPTS = 3  # another process may take the port between choosing it and the server binding it


def free_port() -> int:
    """A port nothing listens on right now: the kernel picks one for a socket bound to port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`with LiveServer(env) as server: server.url("/login")`. `log()` is everything the server wrote."""

    def __init__(self, env: dict[str, str], args: Sequence[str] = ()) -> None:
        self.env = {**env, "PYTHONUNBUFFERED": "1"}
        self.args = list(args)  # more options of `kizashi serve`
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        # A file, not a pipe: nobody reads a pipe while the test runs, and a full pipe would block the server.
        self._log = tempfile.NamedTemporaryFile(prefix="kizashi-serve-", suffix=".log", delete=False)  # noqa: SIM115
        self.log_path = Path(self._log.name)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self) -> LiveServer:
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kizashi", "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            if self._wait_until_ready():
                return self
            if "address already in use" not in self.log().lower():
                break
        self.stop()
        output = self.log()
        self.remove_log()
        raise AssertionError(f"`kizashi serve` did not start on port {self.port}; its output:\n{output}")

    def _wait_until_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url("/login"), timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop only the process started here: SIGTERM lets uvicorn shut down cleanly, SIGKILL if it hangs."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def remove_log(self) -> None:
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def server_env() -> dict[str, str]:
    """The test's environment (the `workspace` fixture has pointed KIZASHI_* at the test workspace)."""
    return dict(os.environ)
