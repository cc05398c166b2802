"""A fake Twilio REST API (Messages) on loopback that the real twilio 9 client talks to.

twilio 9 builds every Messages URL from the ``base_url`` of the client's ``api`` domain
(``"https://api.twilio.com"``), read at each request, so pointing a client at the fake is::

    client = twilio.rest.Client(account_sid, auth_token)                 # sync (requests)
    client.api.base_url = fake.url
    client.messages.create(to=..., from_=..., body=..., status_callback=...)

    http_client = AsyncTwilioHttpClient()          # aiohttp: make it inside a running loop
    client = twilio.rest.Client(account_sid, auth_token, http_client=http_client)
    client.api.base_url = fake.url
    await client.messages.create_async(...)
    await http_client.close()

(``point_client_at`` does the assignment.) Neither ``edge``/``region`` nor ``TWILIO_EDGE`` /
``TWILIO_REGION`` may be set then: the client rewrites the host name for them.

Served: ``POST /2010-04-01/Accounts/<sid>/Messages.json`` (HTTP basic auth: account sid and
auth token) answering 201 with a Twilio-shaped message resource, and ``GET
.../Messages/<MessageSid>.json``. Accepted messages get signed status callbacks (``sent`` then
``delivered``, or a failure configured per number) from a background task once the create has
been answered. Run as ``python -m tests.fakes.twilio_api --port N --account-sid AC...
--auth-token T --log FILE`` it prints ``READY http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import argparse
import asyncio
import binascii
import contextlib
import datetime as dt
import email.utils
import math
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

from tests.fakes import (
    Answer,
    AnswerScript,
    JsonLinesLog,
    ThreadedFakeServer,
    add_common_arguments,
    json_response,
    read_json_lines,
)

__all__ = [
    "API_VERSION",
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "CallbackRecord",
    "FakeTwilioApi",
    "SmsMessage",
    "main",
    "num_segments",
    "point_client_at",
    "read_sms_log",
    "signed_inbound_sms",
    "signed_status_callback",
]

JSONDict = dict[str, Any]
FailureStatus = Literal["undelivered", "failed"]

DEFAULT_ACCOUNT_SID = "AC" + "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"
DEFAULT_AUTH_TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed"
API_VERSION = "2010-04-01"
MAX_BODY_LENGTH = 1600
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")

# GSM 03.38: the basic character set (one septet each) and its extension (two septets each).
# Finnish å, ä, ö are in the basic set, so ordinary Finnish texts are GSM-7.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def num_segments(body: str) -> int:
    """How many SMS segments ``body`` takes: GSM-7 (160, or 153 a segment when concatenated)
    when every character is in GSM 03.38, UCS-2 (70, or 67) otherwise."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in body):
        units = sum(2 if char in _GSM_EXTENSION else 1 for char in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def _new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _rfc2822(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment)


def point_client_at(client: Any, base_url: str) -> Any:
    """Send a ``twilio.rest.Client``'s Messages (the ``api`` domain) to ``base_url``."""
    client.api.base_url = base_url.rstrip("/")
    return client


@dataclass(frozen=True)
class SmsMessage:
    """One message create the fake accepted (``t``: ``time.monotonic()``; ``wall``:
    ``time.time()``)."""

    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    num_segments: int
    t: float
    wall: float

    def to_json(self) -> JSONDict:
        """The JSON-lines form of this record."""
        return asdict(self)

    @classmethod
    def from_json(cls, record: JSONDict) -> SmsMessage:
        """Read a record written by ``to_json``."""
        return cls(**record)


def read_sms_log(path: str | Path) -> list[SmsMessage]:
    """The accepted messages in a fake's ``--log`` file, in the order they were accepted."""
    return [SmsMessage.from_json(record) for record in read_json_lines(path)]


@dataclass(frozen=True)
class CallbackRecord:
    """One status callback attempt: what was POSTed where, and how it went."""

    url: str
    params: dict[str, str]
    signature: str
    status: int | None
    error: str | None
    t: float

    @property
    def delivered(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


class _ApiError(Exception):
    """An error answer, in Twilio's (legacy, non RFC-9457) JSON shape."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> web.Response:
        return json_response(
            {
                "code": self.code,
                "message": self.message,
                "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
                "status": self.status,
            },
            status=self.status,
        )


def _status_params(
    *,
    account_sid: str,
    message_sid: str,
    status: str,
    to: str,
    from_: str | None,
    messaging_service_sid: str | None = None,
    error_code: int | None = None,
) -> dict[str, str]:
    """The form Twilio POSTs to a StatusCallback."""
    params = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
    }
    if from_:
        params["From"] = from_
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
    return params


def _signed_headers(url: str, auth_token: str, params: dict[str, str]) -> dict[str, str]:
    return {
        "X-Twilio-Signature": RequestValidator(auth_token).compute_signature(url, params),
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "TwilioProxy/1.1",
        "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
    }


def signed_inbound_sms(
    url: str,
    auth_token: str,
    *,
    from_: str,
    to: str,
    body: str,
    message_sid: str | None = None,
    account_sid: str = DEFAULT_ACCOUNT_SID,
) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and form of an incoming-SMS webhook POST to ``url``, as Twilio sends it.

    ``url`` must be the full address the receiver checks the signature against (its public
    address and path, query included). Returns ``(headers, form)``; POST the form
    form-encoded, e.g. ``httpx.post(url, data=form, headers=headers)``.
    """
    sid = message_sid or _new_sid("SM")
    form = {
        "ToCountry": "FI",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "FI",
        "To": to,
        "ToZip": "",
        "NumSegments": str(num_segments(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    return _signed_headers(url, auth_token, form), form


def signed_status_callback(
    url: str,
    auth_token: str,
    *,
    message_sid: str,
    status: str,
    to: str,
    from_: str | None,
    error_code: int | None = None,
    account_sid: str = DEFAULT_ACCOUNT_SID,
) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and form of a delivery-status callback POST to ``url``, as Twilio sends it
    (the fake's own callbacks are built the same way)."""
    form = _status_params(
        account_sid=account_sid,
        message_sid=message_sid,
        status=status,
        to=to,
        from_=from_,
        error_code=error_code,
    )
    return _signed_headers(url, auth_token, form), form


class FakeTwilioApi(ThreadedFakeServer):
    """The fake Twilio Messages API. Use as ``with FakeTwilioApi() as fake:``.

    Args:
        account_sid, auth_token: the only credentials accepted (basic auth); the sid is also
            the one account in the URL. The auth token signs the status callbacks.
        log_path: where to append every accepted message as a JSON line (optional).
        callback_delay: seconds before each status callback (0: one right after the other).
        host, port: where to listen (port 0: any free port; see ``url``).

    Everything below is thread-safe, so a test may call it while the server runs.
    """

    def __init__(
        self,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        *,
        log_path: str | Path | None = None,
        callback_delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.callback_delay = callback_delay
        self.script = AnswerScript()
        self._log = JsonLinesLog(log_path)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._reset_state()
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _reset_state(self) -> None:
        self._sent: list[SmsMessage] = []
        self._resources: dict[str, JSONDict] = {}
        self._failing: dict[str, tuple[FailureStatus, int]] = {}
        self._rejecting: dict[str, tuple[int, str]] = {}
        self._callbacks: list[CallbackRecord] = []
        self._callbacks_dropped = 0
        self._too_many_requests = 0

    @property
    def messages_url(self) -> str:
        """The Messages list address of the fake's account."""
        return f"{self.url}/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"

    # -- what happened ------------------------------------------------------------------------

    @property
    def sent(self) -> list[SmsMessage]:
        """Every accepted message create, in order (a copy)."""
        with self._lock:
            return list(self._sent)

    def sent_to(self, to: str) -> list[SmsMessage]:
        """The accepted messages to one number, in order."""
        with self._lock:
            return [message for message in self._sent if message.to == to]

    @property
    def callbacks(self) -> list[CallbackRecord]:
        """Every status callback attempt, in the order they ended."""
        with self._lock:
            return list(self._callbacks)

    @property
    def callbacks_dropped(self) -> int:
        """Status callbacks that got no 2xx answer (refused, unreachable, error): dropped."""
        with self._lock:
            return self._callbacks_dropped

    @property
    def too_many_requests(self) -> int:
        """How many creates were answered 429."""
        with self._lock:
            return self._too_many_requests

    def message_status(self, sid: str) -> str | None:
        """The message's current status (``queued``, ``sent``, ``delivered``...), or None."""
        with self._lock:
            resource = self._resources.get(sid)
            return str(resource["status"]) if resource else None

    def stats(self) -> JSONDict:
        """Counters, as the control API's ``GET /_control/stats`` gives them."""
        with self._lock:
            return {
                "accepted": len(self._sent),
                "too_many_requests": self._too_many_requests,
                "callbacks": len(self._callbacks),
                "callbacks_dropped": self._callbacks_dropped,
                "script_remaining": len(self.script),
            }

    def wait_for_sent(self, count: int, timeout: float = 5.0) -> list[SmsMessage]:
        """Block until at least ``count`` messages were accepted; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._sent) >= count, timeout):
                raise TimeoutError(f"{len(self._sent)} messages accepted, not {count}")
            return list(self._sent)

    def wait_for_callbacks(self, count: int, timeout: float = 5.0) -> list[CallbackRecord]:
        """Block until at least ``count`` status callbacks were attempted; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._callbacks) >= count, timeout):
                raise TimeoutError(f"{len(self._callbacks)} callbacks attempted, not {count}")
            return list(self._callbacks)

    async def wait_for_callbacks_async(
        self, count: int, timeout: float = 5.0
    ) -> list[CallbackRecord]:
        """``wait_for_callbacks`` for async tests: polls without blocking the caller's loop."""
        deadline = time.monotonic() + timeout
        while True:
            callbacks = self.callbacks
            if len(callbacks) >= count:
                return callbacks
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(callbacks)} callbacks attempted, not {count}")
            await asyncio.sleep(0.005)

    async def wait_for_sent_async(self, count: int, timeout: float = 5.0) -> list[SmsMessage]:
        """``wait_for_sent`` for async tests: polls without blocking the caller's loop."""
        deadline = time.monotonic() + timeout
        while True:
            sent = self.sent
            if len(sent) >= count:
                return sent
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(sent)} messages accepted, not {count}")
            await asyncio.sleep(0.005)

    # -- failure injection ----------------------------------------------------------------------

    def fail_number(
        self, to: str, status: FailureStatus = "undelivered", error_code: int = 30003
    ) -> None:
        """Accept messages to ``to`` but report them failed in the status callbacks:
        ``"undelivered"`` (``sent`` first, then ``undelivered``) or ``"failed"`` (only that),
        with ``ErrorCode``: e.g. 30003 unreachable handset, 30005 unknown number, 30006
        landline, 21610 unsubscribed recipient."""
        if status not in ("undelivered", "failed"):
            raise ValueError(f"unknown failure status {status!r}")
        with self._lock:
            self._failing[to] = (status, int(error_code))
            self._rejecting.pop(to, None)

    def reject_number(
        self,
        to: str,
        error_code: int = 21610,
        message: str = "Attempt to send to unsubscribed recipient",
    ) -> None:
        """Refuse creates to ``to`` at once with 400 and ``error_code`` (as Twilio does for a
        recipient who texted STOP: 21610)."""
        with self._lock:
            self._rejecting[to] = (int(error_code), message)
            self._failing.pop(to, None)

    def clear_number(self, to: str) -> None:
        """Deliver messages to ``to`` normally again."""
        with self._lock:
            self._failing.pop(to, None)
            self._rejecting.pop(to, None)

    def add_script(self, *answers: Answer | str | JSONDict) -> None:
        """Script the next create answers: ``Answer.too_many_requests()`` (429, code 20429),
        ``Answer.server_error()`` (500, code 20500), ``Answer.hang(seconds)``, ``Answer.ok()``."""
        self.script.extend(answers)

    def reset(self) -> None:
        """Forget everything accepted, configured or scripted (the counters too)."""
        self.script.clear()
        with self._lock:
            self._reset_state()

    # -- the server -------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        """The Messages routes and the control API."""
        app = web.Application()
        base = f"/{API_VERSION}/Accounts/{{account_sid}}/Messages"
        app.router.add_post(f"{base}.json", self._create)
        app.router.add_get(f"{base}/{{sid}}.json", self._fetch)
        app.router.add_post("/_control/script", self._control_script)
        app.router.add_post("/_control/number", self._control_number)
        app.router.add_post("/_control/reset", self._control_reset)
        app.router.add_get("/_control/stats", self._control_stats)
        app.router.add_get("/_control/sent", self._control_sent)
        app.router.add_get("/_control/callbacks", self._control_callbacks)
        return app

    async def on_started(self) -> None:
        """Make the session that sends status callbacks."""
        self._session = aiohttp.ClientSession()

    async def on_stopping(self) -> None:
        """Cancel the status callbacks still under way (they would be dropped anyway)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def on_stopped(self) -> None:
        """Close the callback session and the log."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._log.close()

    def _check_auth(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        try:
            auth = aiohttp.BasicAuth.decode(header) if header else None
        except (ValueError, binascii.Error):
            auth = None
        if auth is None or (auth.login, auth.password) != (self.account_sid, self.auth_token):
            raise _ApiError(401, 20003, "Authenticate")
        if request.match_info["account_sid"] != self.account_sid:
            raise _ApiError(404, 20404, f"The requested resource {request.path} was not found")

    async def _create(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_auth(request)
            answer = self.script.pop()
            if answer is not None:
                await self._play(answer)
            form = await request.post()
            params = {name: str(value) for name, value in form.items()}
            resource, message = self._accept(request, params)
        except _ApiError as error:
            return error.response()
        self._log.write(message.to_json())
        # Answer first, then call back: the response is written out before the callback task
        # exists, so no callback can overtake the create it reports on.
        response = json_response(resource, status=201)
        await response.prepare(request)
        await response.write_eof()
        if message.status_callback:
            task = asyncio.create_task(self._send_callbacks(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return response

    async def _play(self, answer: Answer) -> None:
        """Carry out a scripted answer (returning means: go on and process the request)."""
        if answer.kind == "429":
            with self._lock:
                self._too_many_requests += 1
            raise _ApiError(429, 20429, "Too Many Requests")
        if answer.kind == "500":
            raise _ApiError(500, 20500, "Internal Server Error")
        if answer.kind == "hang":
            await asyncio.sleep(answer.seconds)
            if not answer.deliver:
                raise _ApiError(500, 20500, "Internal Server Error")

    def _accept(self, request: web.Request, params: dict[str, str]) -> tuple[JSONDict, SmsMessage]:
        to = params.get("To", "").strip()
        from_ = params.get("From") or None
        service = params.get("MessagingServiceSid") or None
        body = params.get("Body", "")
        if not to:
            raise _ApiError(400, 21604, "A 'To' phone number is required.")
        if not _E164.match(to):
            raise _ApiError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if from_ is None and service is None:
            raise _ApiError(400, 21603, "A 'From' phone number is required.")
        if not body and not params.get("MediaUrl"):
            raise _ApiError(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY_LENGTH:
            raise _ApiError(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        now = dt.datetime.now(dt.timezone.utc)
        sid = _new_sid("SM")
        segments = num_segments(body)
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        resource: JSONDict = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": _rfc2822(now),
            "date_sent": None,
            "date_updated": _rfc2822(now),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": str(segments),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # A create through a messaging service without From is "accepted" until the
            # service picks a sender; otherwise "queued".
            "status": "accepted" if from_ is None else "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        }
        message = SmsMessage(
            sid=sid,
            to=to,
            from_=from_,
            messaging_service_sid=service,
            body=body,
            status_callback=params.get("StatusCallback") or None,
            num_segments=segments,
            t=time.monotonic(),
            wall=time.time(),
        )
        with self._changed:
            rejected = self._rejecting.get(to)
            if rejected is not None:
                raise _ApiError(400, rejected[0], rejected[1])
            self._resources[sid] = resource
            self._sent.append(message)
            self._changed.notify_all()
        return dict(resource), message

    async def _fetch(self, request: web.Request) -> web.Response:
        try:
            self._check_auth(request)
        except _ApiError as error:
            return error.response()
        with self._lock:
            resource = self._resources.get(request.match_info["sid"])
            resource = dict(resource) if resource is not None else None
        if resource is None:
            return _ApiError(
                404, 20404, f"The requested resource {request.path} was not found"
            ).response()
        return json_response(resource)

    async def _send_callbacks(self, message: SmsMessage) -> None:
        """POST the message's status changes to its StatusCallback, in order, signed."""
        assert message.status_callback is not None
        with self._lock:
            failure = self._failing.get(message.to)
        steps: list[tuple[str, int | None]]
        if failure is None:
            steps = [("sent", None), ("delivered", None)]
        elif failure[0] == "undelivered":
            steps = [("sent", None), ("undelivered", failure[1])]
        else:
            steps = [("failed", failure[1])]
        for status, error_code in steps:
            if self.callback_delay > 0:
                await asyncio.sleep(self.callback_delay)
            with self._lock:
                resource = self._resources.get(message.sid)
                if resource is not None:
                    resource["status"] = status
                    resource["error_code"] = error_code
                    resource["date_updated"] = _rfc2822(dt.datetime.now(dt.timezone.utc))
                    if status == "sent":
                        resource["date_sent"] = resource["date_updated"]
            params = _status_params(
                account_sid=self.account_sid,
                message_sid=message.sid,
                status=status,
                to=message.to,
                from_=message.from_,
                messaging_service_sid=message.messaging_service_sid,
                error_code=error_code,
            )
            await self._post_callback(message.status_callback, params)

    async def _post_callback(self, url: str, params: dict[str, str]) -> None:
        assert self._session is not None
        headers = _signed_headers(url, self.auth_token, params)
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                url, data=params, headers=headers, timeout=aiohttp.ClientTimeout(total=5)
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        record = CallbackRecord(
            url, params, headers["X-Twilio-Signature"], status, error, time.monotonic()
        )
        with self._changed:
            self._callbacks.append(record)
            if not record.delivered:
                self._callbacks_dropped += 1
            self._changed.notify_all()

    # -- control API ------------------------------------------------------------------------------

    async def _control_script(self, request: web.Request) -> web.Response:
        """``{"answers": ["500", {"kind": "429"}, {"kind": "hang", "seconds": 2}]}``."""
        body = await request.json()
        try:
            self.add_script(*body.get("answers", []))
        except ValueError as error:
            return json_response({"error": str(error)}, status=400)
        return json_response({"script_remaining": len(self.script)})

    async def _control_number(self, request: web.Request) -> web.Response:
        """``{"to": "+358...", "status": "undelivered" | "failed", "error_code": 30003}``,
        ``{"to": ..., "reject": 21610, "message": "..."}`` or ``{"to": ..., "status": "ok"}``."""
        body = await request.json()
        try:
            to = str(body["to"])
            if "reject" in body:
                self.reject_number(to, int(body["reject"]), str(body.get("message", "Refused")))
            elif body.get("status", "ok") == "ok":
                self.clear_number(to)
            else:
                self.fail_number(to, body["status"], int(body.get("error_code", 30003)))
        except (KeyError, TypeError, ValueError) as error:
            return json_response({"error": str(error)}, status=400)
        return json_response({"ok": True})

    async def _control_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return json_response({"ok": True})

    async def _control_stats(self, request: web.Request) -> web.Response:
        return json_response(self.stats())

    async def _control_sent(self, request: web.Request) -> web.Response:
        """``?since=N``: the accepted messages from the N-th on (0-based)."""
        since = int(request.query.get("since", "0"))
        return json_response({"sent": [message.to_json() for message in self.sent[since:]]})

    async def _control_callbacks(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "callbacks": [
                    {**asdict(record), "delivered": record.delivered} for record in self.callbacks
                ]
            }
        )


def main(argv: Iterable[str] | None = None) -> None:
    """``python -m tests.fakes.twilio_api``: serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_common_arguments(parser)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    parser.add_argument("--callback-delay", type=float, default=0.0)
    args = parser.parse_args(list(argv) if argv is not None else None)
    FakeTwilioApi(
        args.account_sid,
        args.auth_token,
        log_path=args.log,
        callback_delay=args.callback_delay,
        host=args.host,
        port=args.port,
    ).run_main()


if __name__ == "__main__":
    main()
