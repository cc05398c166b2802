"""One reply through the gateway's local channel against the same message sent straight to Rasa.

Both go to the same running stack, alternating message by message, so that the machine's noise
falls on both alike. "Straight to Rasa" is the Rasa server's own channel with Askel's token
(bot/connectors/askel_channel.py, Rasa's REST input with authentication): the gateway's added
cost is storing the message and the reply, mapping choices, and one more HTTP hop.
Target: the gateway adds at most 15% to the median.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from bench.common import summary, write_result
from tests.e2e.stack import Stack

MESSAGES = ["moi", "mitä osaat?", "oletko robotti", "kiitos", "heippa", "kerro vitsi"]


def run(stack: Stack, rounds: int = 300) -> dict[str, Any]:
    """Measure `rounds` messages each way; returns the figures."""
    token = stack.env["ASKEL_RASA_TOKEN"]
    direct_url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/askel/webhook"
    gateway_url = f"{stack.url}/channels/local/messages"
    gateway_ms: list[float] = []
    direct_ms: list[float] = []
    with httpx.Client(timeout=60) as http:
        for number in range(rounds + 20):
            text = MESSAGES[number % len(MESSAGES)]
            # A new conversation every ten messages: Rasa loads a session's whole history each
            # turn, so one endless conversation would measure the tracker store, not the path.
            conversation = number // 10
            if number % 10 == 0:
                stack.enrol(f"bench-gw-{conversation}")
            started = time.perf_counter()
            http.post(
                gateway_url, json={"sender_id": f"bench-gw-{conversation}", "text": text}
            ).raise_for_status()
            via_gateway = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            http.post(
                direct_url,
                json={"sender": f"bench-direct-{conversation}", "message": text},
                headers={"Authorization": f"Bearer {token}"},
            ).raise_for_status()
            direct = (time.perf_counter() - started) * 1000
            if number >= 20:  # the first messages warm caches up
                gateway_ms.append(via_gateway)
                direct_ms.append(direct)
    gateway, rasa = summary(gateway_ms), summary(direct_ms)
    figures = {
        "unit": "ms",
        "gateway": gateway,
        "rasa_direct": rasa,
        "median_ratio": gateway["median"] / rasa["median"],
        "p95_ratio": gateway["p95"] / rasa["p95"],
        "target_median_ratio_at_most": 1.15,
    }
    write_result("gateway_latency", figures)
    print(
        f"gateway latency: median {gateway['median']:.1f} ms vs Rasa direct "
        f"{rasa['median']:.1f} ms (ratio {figures['median_ratio']:.2f}); "
        f"p95 {gateway['p95']:.1f} vs {rasa['p95']:.1f} ms"
    )
    return figures
