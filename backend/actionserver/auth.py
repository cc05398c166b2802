"""The bearer token that the Rasa server must show to the action server."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


def require_token(request: Request) -> None:
    """Refuse a request without the stack's token (rasa-sdk's own server has no check at all)."""
    expected = f"Bearer {request.app.state.token}"
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="forbidden")
