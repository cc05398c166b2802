"""Starting a real Askel stack for end-to-end tests: its own ports, folder, database and clock."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import secrets
import select
import signal
import socket
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import ChannelKind, ClientStatus, Coach, Consent
from backend.services.clients import client_for_address

ROOT = Path(__file__).resolve().parents[2]
ASKEL = ROOT / ".venv" / "bin" / "askel"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces; the parent id follows the closing parenthesis.
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


@dataclass
class Stack:
    """A running stack and the handles a test needs."""

    folder: Path
    env: dict[str, str]
    url: str
    clock_file: Path
    database_url: str
    rasa_port: int
    actions_port: int
    process: subprocess.Popen[bytes] | None = None

    def set_clock(self, when: dt.datetime) -> None:
        """Move time for every process of the stack.

        Written to a temporary file and renamed over the clock file, so that a process reading
        the clock at that moment sees the old time or the new one, never an empty file.
        """
        temporary = self.clock_file.with_suffix(".tmp")
        temporary.write_text(when.isoformat(), encoding="utf-8")
        os.replace(temporary, self.clock_file)

    def now(self) -> dt.datetime:
        """The stack's current time."""
        return dt.datetime.fromisoformat(self.clock_file.read_text(encoding="utf-8"))

    def say(self, sender: str, text: str) -> list[dict[str, object]]:
        """Send a message through the local channel; the bot's replies."""
        response = httpx.post(
            f"{self.url}/channels/local/messages",
            json={"sender_id": sender, "text": text},
            timeout=60,
        )
        response.raise_for_status()
        messages: list[dict[str, object]] = response.json()["messages"]
        return messages

    def enrol(self, sender: str, *, name: str | None = None, coach_email: str | None = None) -> int:
        """A local client who has already been through onboarding; returns their id."""
        sessions = make_sessionmaker(make_engine(self.database_url))
        now = self.now()
        with transaction(sessions) as session:
            client = client_for_address(session, ChannelKind.LOCAL, sender, now)
            client.consent, client.consent_at, client.consent_asked_at = Consent.GIVEN, now, now
            client.status = ClientStatus.ACTIVE
            client.display_name = name
            if coach_email:
                client.coach = Coach(name="Sanna", email=coach_email, created_at=now)
            return client.id

    def fetch(self, sender: str) -> list[dict[str, object]]:
        """Messages the bot sent on its own since the last fetch."""
        response = httpx.get(
            f"{self.url}/channels/local/messages", params={"sender_id": sender}, timeout=30
        )
        response.raise_for_status()
        messages: list[dict[str, object]] = response.json()["messages"]
        return messages


def prepare_stack(
    folder: Path, start: dt.datetime, extra_env: dict[str, str] | None = None
) -> Stack:
    """Settings for a stack living in `folder`, with time starting at `start`."""
    folder.mkdir(parents=True, exist_ok=True)
    clock_file = folder / "clock.txt"
    port, rasa_port, actions_port = free_port(), free_port(), free_port()
    database_url = f"sqlite:///{folder / 'askel.db'}"
    env = {
        **os.environ,
        "ASKEL_VAR_DIR": str(folder),
        "ASKEL_DATABASE_URL": database_url,
        "ASKEL_PORT": str(port),
        "ASKEL_RASA_PORT": str(rasa_port),
        "ASKEL_ACTIONS_PORT": str(actions_port),
        "ASKEL_CLOCK": f"file:{clock_file}",
        "ASKEL_SCHEDULER_POLL_SECONDS": "0.2",
        # Known to the test, so that it can also talk to the Rasa server directly.
        "ASKEL_RASA_TOKEN": secrets.token_urlsafe(24),
        **(extra_env or {}),
    }
    stack = Stack(
        folder, env, f"http://127.0.0.1:{port}", clock_file, database_url, rasa_port, actions_port
    )
    stack.set_clock(start)
    return stack


def wait_ready(stack: Stack, timeout: float = 240.0) -> None:
    """Wait for /healthz to answer 200, failing early if the stack process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.process is not None and stack.process.poll() is not None:
            raise RuntimeError(f"the stack exited; see {stack.folder / 'log'}")
        try:
            if httpx.get(f"{stack.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the stack was not ready in {timeout} s; see {stack.folder / 'log'}")


def start_serving(stack: Stack) -> None:
    """`askel serve` for this stack, in its own process group (as a shell would start it)."""
    log = (stack.folder / "serve.log").open("ab")
    stack.process = subprocess.Popen(
        [str(ASKEL), "serve"],
        env=stack.env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    wait_ready(stack)


def stop(stack: Stack, sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0) -> set[int]:
    """Stop the stack; returns the processes of it still alive afterwards (none, we hope)."""
    assert stack.process is not None
    started = descendants(stack.process.pid)
    os.killpg(stack.process.pid, sig)
    stack.process.wait(timeout=timeout)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        alive = {pid for pid in started if Path(f"/proc/{pid}").exists()}
        if not alive:
            return set()
        time.sleep(0.2)
    return alive


def take_terminal() -> None:
    """Make the pty (standard input) the child's controlling terminal, so Ctrl-C reaches it."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def read_until(fd: int, marker: str, timeout: float, seen: list[str]) -> str:
    """Read the terminal until `marker` appears; everything read so far is kept in `seen`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen.append(os.read(fd, 4096).decode("utf-8", errors="replace"))
            except OSError:
                break
            if marker in "".join(seen):
                return "".join(seen)
    raise AssertionError(f"{marker!r} did not appear; the terminal showed:\n{''.join(seen)}")
