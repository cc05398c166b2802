"""Memory (RSS) of each process of a running stack. Target: the whole stack under 1.6 GB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import write_result
from tests.e2e.stack import Stack, descendants


def rss_bytes(pid: int) -> int:
    """Resident memory of one process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def command_name(pid: int) -> str:
    """A short name for a process of the stack."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = [part.decode(errors="replace") for part in argv if part]
    if any(word.endswith("/rasa") for word in words):
        return "rasa"
    for name in ("actions", "gateway", "scheduler", "serve", "run"):
        if name in words:
            return name
    return Path(words[0]).name if words else str(pid)


def run(stack: Stack) -> dict[str, Any]:
    """Measure the stack's processes as they are now."""
    assert stack.process is not None
    pids = {stack.process.pid, *descendants(stack.process.pid)}
    processes: dict[str, int] = {}
    for pid in sorted(pids):
        name = command_name(pid)
        processes[name] = processes.get(name, 0) + rss_bytes(pid)
    total = sum(processes.values())
    figures = {
        "unit": "MB",
        "processes": {name: round(value / 1e6, 1) for name, value in processes.items()},
        "total": round(total / 1e6, 1),
        "target_total_under": 1600,
    }
    write_result("stack_memory", figures)
    parts = ", ".join(f"{name} {mb} MB" for name, mb in figures["processes"].items())
    print(f"stack memory: {figures['total']} MB in all ({parts})")
    return figures
