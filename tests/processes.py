"""Stopping a process a test or benchmark started, as an operator would."""

from __future__ import annotations

import signal
import subprocess


def stop_gently(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGTERM (the process finishes what it has in hand), SIGKILL if it has not ended in
    `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
