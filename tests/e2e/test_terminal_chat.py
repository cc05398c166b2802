"""`askel run`: the terminal chat talks to the whole stack, and Ctrl-C stops every process."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import time
from pathlib import Path

from tests.e2e.stack import ASKEL, ROOT, descendants, prepare_stack, read_until, take_terminal


def test_a_terminal_chat_with_the_bot_ends_cleanly_with_ctrl_c(tmp_path: Path) -> None:
    stack = prepare_stack(tmp_path, dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc))
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(ASKEL), "run", "--sender", "terminal-test"],
        env=stack.env,
        cwd=ROOT,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,  # the pty becomes its controlling terminal, as in a shell
        preexec_fn=take_terminal,
    )
    os.close(terminal)
    seen: list[str] = []
    try:
        read_until(controller, "Sinä: ", 240, seen)
        stack_processes = descendants(process.pid)
        assert len(stack_processes) >= 4  # Rasa, actions, gateway, scheduler
        os.write(controller, b"moi\n")
        screen = read_until(controller, "2) Ei sovi", 60, seen)
        assert "Askel: Hei! Olen Askel, automaattinen apuri." in screen
        assert "1) Kyllä, sopii" in screen
        os.write(controller, b"1\n")
        assert "aamuviestin" in read_until(controller, "3) 9.00", 60, seen)
        # Ctrl-C, typed into the terminal.
        os.write(controller, b"\x03")
        process.wait(timeout=30)
        read_until(controller, "Askel stopped.", 5, seen)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    time.sleep(1)
    left = {pid for pid in stack_processes if Path(f"/proc/{pid}").exists()}
    assert left == set(), f"left running: {left}"
