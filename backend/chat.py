"""The terminal chat: a client's conversation with the bot through the gateway's local channel.

It uses the same path as every channel (`POST /channels/local/messages`), and shows the
messages the bot sends on its own (check-ins, reminders) as they arrive.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

import httpx

from backend.texts.responses import Renderer

POLL_SECONDS = 2.0


def format_message(message: dict[str, Any]) -> str:
    """A bot message as the terminal shows it: text, then numbered choices."""
    lines = [f"Askel: {message.get('text', '')}"]
    for number, button in enumerate(message.get("buttons") or (), start=1):
        lines.append(f"   {number}) {button.get('title', '')}")
    return "\n".join(lines)


class TerminalInput:
    """Reads lines from the terminal so that a Ctrl-C always stops the chat.

    `input()` can miss a Ctrl-C that comes just as it starts: the signal is noted, but the
    C code then waits for a key before Python sees the note. Here the signal also writes to a
    pipe that the wait watches, so the wait ends at once. The terminal's own line editing
    (backspace, Ctrl-U) still works; lines that come at once (a paste) are kept in order.
    """

    def __init__(self, fd: int | None = None) -> None:
        self._fd = sys.stdin.fileno() if fd is None else fd
        self._pending = b""

    def __call__(self, prompt: str) -> str:
        """The next line, without its newline; EOFError at the end, KeyboardInterrupt on Ctrl-C."""
        print(prompt, end="", flush=True)
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        previous = signal.set_wakeup_fd(wake_write)
        try:
            while b"\n" not in self._pending:
                ready, _, _ = select.select([self._fd, wake_read], [], [])
                if wake_read in ready:
                    raise KeyboardInterrupt
                chunk = os.read(self._fd, 4096)
                if not chunk:
                    if not self._pending:
                        raise EOFError
                    self._pending += b"\n"
                self._pending += chunk
        finally:
            signal.set_wakeup_fd(previous)
            os.close(wake_read)
            os.close(wake_write)
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", errors="replace")


def terminal_reader() -> Callable[[str], str]:
    """How the chat reads a line: `TerminalInput` on a terminal, plain `input` otherwise."""
    return TerminalInput() if sys.stdin.isatty() else input


class TerminalChat:
    """A chat in the terminal for one local sender."""

    def __init__(
        self,
        gateway_url: str,
        sender_id: str,
        renderer: Renderer,
        *,
        read: Callable[[str], str] = input,
        out: TextIO | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=gateway_url, timeout=60.0)
        self._sender = sender_id
        self._renderer = renderer
        self._read = read
        self._out = out
        self._stop = threading.Event()
        self._print_lock = threading.Lock()

    def _show(self, text: str) -> None:
        with self._print_lock:
            print(text, file=self._out, flush=True)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                response = self._http.get(
                    "/channels/local/messages", params={"sender_id": self._sender}
                )
                for message in response.json().get("messages", []):
                    self._show(format_message(message))
            except (httpx.HTTPError, ValueError):
                continue  # the stack may be restarting; the messages wait in the outbox

    def send(self, text: str) -> list[dict[str, Any]]:
        """Send one message and return the bot's replies."""
        response = self._http.post(
            "/channels/local/messages", json={"sender_id": self._sender, "text": text}
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def run(self) -> None:
        """Read lines until end of input or Ctrl-C, showing every reply."""
        self._show(self._renderer.text("chat_intro"))
        poller = threading.Thread(target=self._poll, daemon=True)
        poller.start()
        try:
            while True:
                try:
                    line = self._read(self._renderer.text("chat_prompt"))
                except EOFError:
                    break
                if not line.strip():
                    continue
                for message in self.send(line):
                    self._show(format_message(message))
        except KeyboardInterrupt:
            pass
        finally:
            self._stop.set()
            poller.join(timeout=POLL_SECONDS + 1)
            self._http.close()
