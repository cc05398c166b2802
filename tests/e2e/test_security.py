"""The Rasa server and the action server listen on loopback only and refuse calls without tokens."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.e2e.stack import Stack


def listening_addresses(port: int) -> set[str]:
    """The local addresses on which something listens on `port` (IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_rasa_and_the_action_server_listen_on_loopback_only(stack: Stack) -> None:
    assert listening_addresses(stack.rasa_port) == {"0100007F"}
    assert listening_addresses(stack.actions_port) == {"0100007F"}


def test_rasa_refuses_a_message_without_the_token(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/askel/webhook"
    body = {"sender": "x", "message": "hei"}
    assert httpx.post(url, json=body).status_code == 403
    assert httpx.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    # Rasa's unauthenticated REST channel and its HTTP API are not served at all.
    assert (
        httpx.post(
            f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook", json=body
        ).status_code
        == 404
    )
    assert httpx.get(f"http://127.0.0.1:{stack.rasa_port}/status").status_code in (403, 404)


def test_the_action_server_refuses_calls_without_the_token(stack: Stack) -> None:
    base = f"http://127.0.0.1:{stack.actions_port}"
    call = {"next_action": "action_greet", "tracker": {"sender_id": "x"}}
    assert httpx.post(f"{base}/webhook", json=call).status_code == 403
    assert httpx.post(f"{base}/nlg", json={"response": "utter_help"}).status_code == 403
