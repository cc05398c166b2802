"""Readiness of the whole stack: the gateway, the Rasa server and the action server."""

from __future__ import annotations

import asyncio

import httpx

from backend.gateway.rasa_client import RasaClient


async def actions_ready(actions_url: str) -> bool:
    """Whether the action server answers its health check."""
    try:
        async with httpx.AsyncClient(timeout=2.0) as http:
            response = await http.get(f"{actions_url}/health")
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def stack_status(rasa: RasaClient, actions_url: str) -> dict[str, bool]:
    """Each part's readiness; the gateway answering at all is its own."""
    rasa_ok, actions_ok = await asyncio.gather(rasa.ready(), actions_ready(actions_url))
    return {"gateway": True, "rasa": rasa_ok, "actions": actions_ok}
