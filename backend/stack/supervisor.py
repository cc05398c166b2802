"""Starting the stack's processes, waiting until it is ready, and stopping every one of them.

Each child runs in its own session, so a Ctrl-C in the terminal reaches only the supervisor,
which then stops the children in order; each child also asks the kernel to end it if the
supervisor itself dies (PR_SET_PDEATHSIG), so not even `kill -9` leaves one behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

from backend.stack.processes import ProcessSpec

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class StackFailed(RuntimeError):
    """A process of the stack exited, or the stack did not become ready in time."""


class Supervisor:
    """Runs a list of processes; use as a context manager so that they always stop."""

    def __init__(self, specs: list[ProcessSpec], log_dir: Path, *, to_console: bool) -> None:
        self._specs = specs
        self._log_dir = log_dir
        self._to_console = to_console
        self._running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self) -> None:
        """Start every process; logs go to `var/log/<name>.log` (or the console)."""
        self._log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self._specs:
            output = None
            if not self._to_console:
                output = (self._log_dir / f"{spec.name}.log").open("ab")
            self._running[spec.name] = subprocess.Popen(
                spec.argv,
                env=spec.env or None,
                cwd=spec.cwd,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            if output:
                output.close()

    def check_alive(self) -> None:
        """Raise if any process has exited."""
        for name, process in self._running.items():
            code = process.poll()
            if code is not None:
                raise StackFailed(f"{name} exited with code {code} (see {self._log_dir})")

    def wait_ready(self, health_url: str, timeout: float) -> float:
        """Wait until `health_url` answers 200; returns the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            self.check_alive()
            try:
                if httpx.get(health_url, timeout=2.0).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StackFailed(f"the stack was not ready after {timeout:.0f} s (see {self._log_dir})")

    def pids(self) -> dict[str, int]:
        """Process ids by name."""
        return {name: process.pid for name, process in self._running.items()}

    def wait(self) -> None:
        """Block until a process exits (it then raises) or a signal interrupts."""
        while True:
            self.check_alive()
            time.sleep(1.0)

    def stop(self, grace: float = 10.0) -> None:
        """Stop every process: SIGTERM to its whole group, then SIGKILL after `grace` seconds."""
        for process in self._running.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self._running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self._running.clear()

    def __enter__(self) -> Supervisor:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
