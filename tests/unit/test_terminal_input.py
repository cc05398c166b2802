"""The terminal chat's reader: a Ctrl-C always ends the wait, and pasted lines keep their order."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from backend.chat import TerminalInput


def test_lines_typed_or_pasted_at_once_come_one_at_a_time() -> None:
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, "moi\nmitä osaat\n".encode())
        reader = TerminalInput(read_end)
        assert reader("> ") == "moi"
        assert reader("> ") == "mitä osaat"
        os.write(write_end, b"viimeinen")
        os.close(write_end)
        write_end = -1
        assert reader("> ") == "viimeinen"
        with pytest.raises(EOFError):
            reader("> ")
    finally:
        os.close(read_end)
        if write_end != -1:
            os.close(write_end)


def test_a_ctrl_c_while_waiting_for_a_line_ends_the_wait() -> None:
    read_end, write_end = os.pipe()
    # As in a terminal: Ctrl-C raises KeyboardInterrupt (a test runner may have changed that).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            TerminalInput(read_end)("> ")
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
        os.close(read_end)
        os.close(write_end)
