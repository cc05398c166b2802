"""Fake provider servers (Telegram Bot API, Twilio REST API) on loopback, and what they share.

The fakes are real HTTP servers on 127.0.0.1, so that the real python-telegram-bot and twilio
clients (and the backend built on them) talk to them exactly as they talk to the providers:

- ``tests.fakes.telegram_api.FakeTelegramApi``: the Bot API at ``/bot<token>/<method>``;
- ``tests.fakes.twilio_api.FakeTwilioApi``: ``/2010-04-01/Accounts/<sid>/Messages.json``.

Each runs either in-process (``with FakeTelegramApi() as fake:``, an aiohttp server on its own
event loop in a background thread, so that it works the same from sync and async tests) or as a
subprocess (``python -m tests.fakes.telegram_api --port 0 ...``, which prints ``READY <url>``;
``spawn_fake`` starts one and reads that line). Both have the same failure script
(``Answer``), a JSON-lines log of accepted messages and a small control API under
``/_control/`` for subprocess use.

This package module deliberately does not import its submodules: ``python -m
tests.fakes.telegram_api`` would otherwise warn that the module was already imported.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, TypeVar

from aiohttp import web

__all__ = [
    "Answer",
    "AnswerScript",
    "FakeControl",
    "JsonLinesLog",
    "SpawnedFake",
    "ThreadedFakeServer",
    "read_json_lines",
    "spawn_fake",
]

AnswerKind = Literal["ok", "429", "500", "hang"]
_ANSWER_KINDS: frozenset[str] = frozenset({"ok", "429", "500", "hang"})

ServerT = TypeVar("ServerT", bound="ThreadedFakeServer")

# How long stopping a server waits for requests in flight (hangs, long polls) before cancelling
# them: they are fakes, nothing is lost, and tests should not wait.
_SHUTDOWN_TIMEOUT = 0.2


@dataclass(frozen=True)
class Answer:
    """One scripted answer to the next create/send request.

    ``kind`` is ``"ok"`` (answer normally), ``"429"`` (too many requests, with ``retry_after``
    seconds), ``"500"`` (internal server error) or ``"hang"`` (wait ``seconds`` before
    answering; afterwards the request is processed normally when ``deliver`` is true, as a
    provider that was merely slow would, or answered 500 without being accepted otherwise).
    """

    kind: AnswerKind
    retry_after: int = 1
    seconds: float = 0.0
    deliver: bool = True

    @classmethod
    def ok(cls) -> Answer:
        """A normal answer (useful between failures in a script)."""
        return cls("ok")

    @classmethod
    def too_many_requests(cls, retry_after: int = 1) -> Answer:
        """A 429 answer asking the client to wait ``retry_after`` seconds."""
        return cls("429", retry_after=retry_after)

    @classmethod
    def server_error(cls) -> Answer:
        """A 500 answer."""
        return cls("500")

    @classmethod
    def hang(cls, seconds: float, *, deliver: bool = True) -> Answer:
        """Hold the request ``seconds`` before answering (to trigger client timeouts)."""
        return cls("hang", seconds=seconds, deliver=deliver)

    @classmethod
    def from_json(cls, spec: str | dict[str, Any]) -> Answer:
        """Read an answer from its control-API form: ``"500"`` or ``{"kind": "429", ...}``."""
        if isinstance(spec, str):
            spec = {"kind": spec}
        kind = str(spec.get("kind", ""))
        if kind not in _ANSWER_KINDS:
            raise ValueError(
                f"unknown answer kind {kind!r}; expected one of {sorted(_ANSWER_KINDS)}"
            )
        return cls(
            kind,  # type: ignore[arg-type]
            retry_after=int(spec.get("retry_after", 1)),
            seconds=float(spec.get("seconds", 0.0)),
            deliver=bool(spec.get("deliver", True)),
        )

    def to_json(self) -> dict[str, Any]:
        """The control-API form of this answer."""
        return {
            "kind": self.kind,
            "retry_after": self.retry_after,
            "seconds": self.seconds,
            "deliver": self.deliver,
        }


class AnswerScript:
    """A thread-safe queue of scripted answers, consumed one per create/send request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: collections.deque[Answer] = collections.deque()

    def extend(self, answers: Iterable[Answer | str | dict[str, Any]]) -> None:
        """Append answers (``Answer`` objects or their control-API forms) to the script."""
        parsed = [a if isinstance(a, Answer) else Answer.from_json(a) for a in answers]
        with self._lock:
            self._answers.extend(parsed)

    def pop(self) -> Answer | None:
        """The next scripted answer, or None when the script is empty."""
        with self._lock:
            return self._answers.popleft() if self._answers else None

    def clear(self) -> None:
        """Forget every scripted answer not yet used."""
        with self._lock:
            self._answers.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)


class JsonLinesLog:
    """An append-only JSON-lines file, flushed after every line but never fsynced.

    Flushing hands each line to the kernel, so a reader sees it even after the writing process
    is killed with SIGKILL; fsync would only protect against a machine crash and costs
    milliseconds per line, which a 10,000-message benchmark cannot afford.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a line (opening the file at the first one)."""
        if self.path is None:
            return
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            if self._file is None:
                # Opened lazily, so that a fake made but never started leaks no open file.
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(line)
            self._file.flush()

    def close(self) -> None:
        """Close the file (a later write opens it again, appending)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def read_json_lines(path: str | Path) -> list[dict[str, Any]]:
    """Every complete record of a JSON-lines log (a torn last line, from SIGKILL, is skipped)."""
    records: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as file:
        for line in file:
            if not line.endswith("\n"):
                break
            records.append(json.loads(line))
    return records


class ThreadedFakeServer:
    """An aiohttp application served on 127.0.0.1, in a background thread or as ``main()``.

    Subclasses implement ``build_app`` and may override ``on_started`` / ``on_stopping`` (run on
    the server's loop). ``start``/``stop`` and the context manager serve it from a daemon
    thread with its own event loop; ``url`` is then ``http://127.0.0.1:<port>``.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None

    # -- to be provided by subclasses -------------------------------------------------------

    def build_app(self) -> web.Application:
        """The aiohttp application to serve."""
        raise NotImplementedError

    async def on_started(self) -> None:
        """Called on the server's loop once it listens."""

    async def on_stopping(self) -> None:
        """Called on the server's loop before the listener is closed."""

    async def on_stopped(self) -> None:
        """Called on the server's loop after every connection is closed."""

    # -- running ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base address, ``http://127.0.0.1:<port>``."""
        if self.port is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return f"http://{self.host}:{self.port}"

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop while it runs."""
        return self._loop

    def call_soon_in_loop(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the server's loop (now, if called from it); no-op when stopped."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed in between: nothing to wake
            loop.call_soon_threadsafe(callback)

    async def serve(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve until ``request_stop`` (or a signal, in subprocess mode) is received."""
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        runner = web.AppRunner(
            self.build_app(),
            handle_signals=False,
            access_log=None,  # a log line per request would dominate the benchmark's cost
            shutdown_timeout=_SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.requested_port)
            await site.start()
            self.port = int(runner.addresses[0][1])  # the real port when port 0 was asked
            await self.on_started()
            if on_ready is not None:
                on_ready(self.url)
            await self._stop_event.wait()
            await self.on_stopping()
        finally:
            await runner.cleanup()
            await self.on_stopped()
            self._loop = None

    def request_stop(self) -> None:
        """Ask a running ``serve`` to return (thread-safe)."""
        event = self._stop_event
        if event is not None:
            self.call_soon_in_loop(event.set)

    def start(self: ServerT, timeout: float = 10.0) -> ServerT:
        """Serve in a background thread; returns once it listens."""
        if self._thread is not None:
            raise RuntimeError(f"{type(self).__name__} already started")
        self._ready.clear()
        self._start_error = None
        self._thread = threading.Thread(
            target=self._thread_main, name=f"{type(self).__name__}-server", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"{type(self).__name__} did not start in {timeout} s")
        if self._start_error is not None:
            self._thread.join(timeout)
            self._thread = None
            raise RuntimeError(f"{type(self).__name__} failed to start") from self._start_error
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background server and wait for its thread to end."""
        thread = self._thread
        if thread is None:
            return
        self.request_stop()
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"{type(self).__name__} did not stop in {timeout} s")
        self._thread = None

    def _thread_main(self) -> None:
        try:
            # asyncio.run also cancels leftover tasks and closes async generators and the
            # default executor, so nothing leaks a warning when the loop is closed.
            asyncio.run(self.serve(on_ready=lambda _url: self._ready.set()))
        except BaseException as error:
            self._start_error = error
        finally:
            self._ready.set()

    def __enter__(self: ServerT) -> ServerT:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def run_main(self) -> None:
        """Serve in the foreground until SIGTERM or SIGINT, printing ``READY <url>`` first."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, self.request_stop)
            await self.serve(on_ready=lambda url: print(f"READY {url}", flush=True))

        asyncio.run(main())


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line options every fake takes."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (see READY)")
    parser.add_argument("--log", type=Path, default=None, help="JSON-lines log of accepted sends")


def json_response(payload: Any, status: int = 200) -> web.Response:
    """A compact JSON answer (compact and without a pretty-printer, for throughput)."""
    return web.Response(
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
        status=status,
        content_type="application/json",
    )


class FakeControl:
    """A small client for a fake's ``/_control/`` API (for fakes running as subprocesses)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def get(self, path: str) -> Any:
        """GET ``/_control/<path>`` and return its JSON."""
        return self._call(urllib.request.Request(f"{self.url}/_control/{path}"))

    def post(self, path: str, payload: Any = None) -> Any:
        """POST JSON to ``/_control/<path>`` and return its JSON."""
        request = urllib.request.Request(
            f"{self.url}/_control/{path}",
            data=json.dumps(payload if payload is not None else {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return self._call(request)

    def _call(self, request: urllib.request.Request) -> Any:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            error.close()
            raise RuntimeError(f"{request.full_url}: {error.code} {body}") from None


@dataclass
class SpawnedFake:
    """A fake running as a subprocess (see ``spawn_fake``)."""

    process: subprocess.Popen[str]
    url: str

    @property
    def control(self) -> FakeControl:
        """A client for the fake's control API."""
        return FakeControl(self.url)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM the fake and wait for it (SIGKILL if it does not end)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.contextmanager
def spawn_fake(
    module: str, *args: str, cwd: str | Path | None = None, timeout: float = 15.0
) -> Iterator[SpawnedFake]:
    """Run ``python -m <module> <args>`` and yield once it prints ``READY <url>``.

    ``cwd`` must be the project root (the default is the folder above ``tests/``).
    """
    root = Path(cwd) if cwd is not None else Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    spawned = SpawnedFake(process, "")
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        # readline blocks, so a reader thread keeps the deadline honest if the child stalls.
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.append(process.stdout.readline() if process.stdout else ""),
            daemon=True,
        )
        reader.start()
        reader.join(max(0.0, deadline - time.monotonic()))
        line = lines[0] if lines else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"{module} did not get ready (first line {line!r})")
        spawned.url = line.split(" ", 1)[1].strip()
        yield spawned
    finally:
        spawned.stop()
