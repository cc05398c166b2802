"""twilio's async HTTP client, with two faults of twilio 9.13 on aiohttp 3.14 mended."""

from __future__ import annotations

from aiohttp import encode_basic_auth
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response


class TwilioHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
    """twilio's async HTTP client, mended.

    - It builds `aiohttp.BasicAuth`, which aiohttp deprecates with a warning on every request:
      basic auth goes in a header instead.
    - It ignores its own `timeout`: `Client` passes `timeout=None` with every request, which
      aiohttp takes as no timeout at all, so a hanging Twilio would hold a send for ever. The
      constructor's timeout applies now.

    Like its parent, it must be made inside a running event loop.
    """

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Send the request with an `Authorization` header and the client's timeout."""
        headers = dict(headers or {})
        if auth is not None:
            headers["Authorization"] = encode_basic_auth(auth[0], auth[1])
        return await super().request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            auth=None,
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )
