"""The supervisor notices a process that died and stops every one it started, children too."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from backend.stack.processes import ProcessSpec
from backend.stack.supervisor import StackFailed, Supervisor

# A process that starts a child of its own and sleeps, as uvicorn or Rasa may.
PARENT_WITH_CHILD = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    "time.sleep(60)"
)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _group_members(pgid: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.add(int(entry.name))
    return members


def test_stop_ends_every_process_and_their_children(tmp_path: Path) -> None:
    specs = [
        ProcessSpec("one", [sys.executable, "-c", PARENT_WITH_CHILD]),
        ProcessSpec("two", [sys.executable, "-c", "import time; time.sleep(60)"]),
    ]
    supervisor = Supervisor(specs, tmp_path, to_console=False)
    supervisor.start()
    time.sleep(1.0)
    groups = supervisor.pids()
    assert len(_group_members(groups["one"])) == 2  # the process and its own child
    supervisor.stop(grace=5)
    time.sleep(0.2)
    assert all(not _group_members(pgid) for pgid in groups.values())


def test_a_process_that_exits_is_noticed(tmp_path: Path) -> None:
    specs = [
        ProcessSpec("steady", [sys.executable, "-c", "import time; time.sleep(60)"]),
        ProcessSpec("fragile", [sys.executable, "-c", "import time; time.sleep(60)"]),
    ]
    with Supervisor(specs, tmp_path, to_console=False) as supervisor:
        os.kill(supervisor.pids()["fragile"], signal.SIGKILL)
        time.sleep(0.3)
        with pytest.raises(StackFailed, match="fragile exited"):
            supervisor.check_alive()
        steady = supervisor.pids()["steady"]
    assert not _alive(steady)


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    supervisor = Supervisor([ProcessSpec("stubborn", [sys.executable, "-c", stubborn])], tmp_path,
                            to_console=False)  # fmt: skip
    supervisor.start()
    time.sleep(0.5)
    pid = supervisor.pids()["stubborn"]
    supervisor.stop(grace=1)
    assert not _alive(pid)
