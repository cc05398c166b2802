"""A fake Telegram Bot API on loopback that the real python-telegram-bot client talks to.

Point PTB at it with the same URL shape as production (``ASKEL_TELEGRAM_API_URL`` is
``https://api.telegram.org`` there)::

    bot = telegram.Bot(token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot")

PTB 22 appends the token to ``base_url`` (unless it contains ``{token}``) and requests
``f"{base_url}{token}/{method}"``; it POSTs every method form-encoded (``httpx`` ``data=``, each
non-string value JSON-encoded, e.g. ``reply_markup``), multipart only when uploading files. The
fake also accepts JSON bodies and query strings, as Telegram does.

Served: getMe, sendMessage, answerCallbackQuery, editMessageText, editMessageReplyMarkup,
deleteMessage, sendChatAction, setMyCommands, deleteMyCommands, getMyCommands, setWebhook,
deleteWebhook, getWebhookInfo and getUpdates (long polling). Anything else is 404, as on
Telegram. Failures are injected per chat (``set_chat_status``), by a script of the next
sendMessage answers (``script``), or by flood control (``enforce_limits``); see
``FakeTelegramApi``. Run as ``python -m tests.fakes.telegram_api --port N --token T --log FILE
[--enforce-limits]`` it prints ``READY http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import aiohttp
from aiohttp import web

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
    "DEFAULT_TOKEN",
    "CallbackAnswer",
    "FakeTelegramApi",
    "SentMessage",
    "WebhookConfig",
    "WebhookDelivery",
    "main",
    "read_sent_log",
]

JSONDict = dict[str, Any]
ChatId = int | str
ChatStatus = Literal["ok", "blocked", "gone"]

DEFAULT_TOKEN = "123456789:AAF-askel-fake-telegram-token"

# Telegram's flood limits for bots: about one message a second to one chat and thirty a second
# in all. Enforced only when ``enforce_limits`` is on; see ``FakeTelegramApi._flood_wait``.
PER_CHAT_INTERVAL = 1.0
GLOBAL_WINDOW = 1.0
GLOBAL_LIMIT = 30

MAX_TEXT_LENGTH = 4096
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_DESC_CALLBACK_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)


@dataclass(frozen=True)
class SentMessage:
    """One sendMessage the fake accepted (and logged).

    ``t`` is ``time.monotonic()`` when the request was accepted: CLOCK_MONOTONIC is system-wide
    on Linux, so it compares with the same clock read in another process. ``wall`` is
    ``time.time()``.
    """

    message_id: int
    chat_id: ChatId
    text: str
    reply_markup: JSONDict | None
    t: float
    wall: float

    def to_json(self) -> JSONDict:
        """The JSON-lines form of this record."""
        return asdict(self)

    @classmethod
    def from_json(cls, record: JSONDict) -> SentMessage:
        """Read a record written by ``to_json``."""
        return cls(
            message_id=int(record["message_id"]),
            chat_id=record["chat_id"],
            text=str(record["text"]),
            reply_markup=record.get("reply_markup"),
            t=float(record["t"]),
            wall=float(record["wall"]),
        )


def read_sent_log(path: str | Path) -> list[SentMessage]:
    """The accepted messages in a fake's ``--log`` file, in the order they were accepted."""
    return [SentMessage.from_json(record) for record in read_json_lines(path)]


@dataclass(frozen=True)
class CallbackAnswer:
    """One answerCallbackQuery the fake accepted."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    t: float


@dataclass(frozen=True)
class WebhookConfig:
    """What setWebhook recorded."""

    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    max_connections: int
    drop_pending_updates: bool


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to POST a pushed update to the webhook (``status`` None: no answer)."""

    update_id: int
    url: str
    status: int | None
    error: str | None
    t: float


class _ApiError(Exception):
    """An error answer, in Telegram's JSON shape."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        payload: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            payload["parameters"] = self.parameters
        return json_response(payload, status=self.code)


def _update_type(update: JSONDict) -> str:
    """The kind of an update (``message``, ``callback_query``...): its key besides update_id."""
    return next((key for key in update if key != "update_id"), "")


def _parse_chat_id(value: Any) -> ChatId:
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        raise _ApiError(400, "Bad Request: chat_id is empty")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text  # "@channelusername"


def _json_param(params: JSONDict, name: str) -> Any:
    """A parameter that PTB JSON-encodes in form bodies (and JSON clients send as-is)."""
    value = params.get(name)
    if isinstance(value, str):
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise _ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    return value


def _bool_param(params: JSONDict, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def _int_param(params: JSONDict, name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _ApiError(400, f"Bad Request: invalid {name} specified") from None


class FakeTelegramApi(ThreadedFakeServer):
    """The fake Bot API. Use as ``with FakeTelegramApi() as fake:`` (or ``start``/``stop``).

    Args:
        token: the one bot token accepted; any other gets 401 Unauthorized.
        username: getMe's username.
        log_path: where to append every accepted sendMessage as a JSON line (optional).
        enforce_limits: answer sendMessage with 429 when it would break Telegram's flood
            limits (see ``_flood_wait`` for the exact windows).
        host, port: where to listen (port 0: any free port; see ``url``).

    Everything below is thread-safe, so a test may call it while the server runs.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "askel_test_bot",
        log_path: str | Path | None = None,
        enforce_limits: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.token = token
        self.username = username
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1
        self.enforce_limits = enforce_limits
        self.script = AnswerScript()
        self._log = JsonLinesLog(log_path)
        self._lock = threading.Lock()
        self._sent_changed = threading.Condition(self._lock)
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1000)
        self._query_ids = itertools.count(5000)
        self._reset_state()
        # Asyncio objects of the server's loop, made in on_started.
        self._updates_event: asyncio.Event | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = False

    def _reset_state(self) -> None:
        self._sent: list[SentMessage] = []
        self._messages: dict[tuple[ChatId, int], JSONDict] = {}
        self._chat_status: dict[ChatId, ChatStatus] = {}
        self._updates: collections.deque[JSONDict] = collections.deque()
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._open_queries: set[str] = set()
        self._callback_answers: list[CallbackAnswer] = []
        self._edits: list[JSONDict] = []
        self._webhook: WebhookConfig | None = None
        self._webhook_history: list[WebhookConfig] = []
        self._webhook_deliveries: list[WebhookDelivery] = []
        self._webhook_last_error: tuple[int, str] | None = None
        self._last_to_chat: dict[ChatId, float] = {}
        self._recent: collections.deque[float] = collections.deque()
        self._too_many_requests = 0
        self._answers: collections.Counter[int] = collections.Counter()

    # -- addresses --------------------------------------------------------------------------

    @property
    def bot_base_url(self) -> str:
        """PTB's ``base_url`` for this fake: ``f"{url}/bot"``."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """PTB's ``base_file_url`` for this fake: ``f"{url}/file/bot"`` (no files are served)."""
        return f"{self.url}/file/bot"

    # -- what happened ------------------------------------------------------------------------

    @property
    def sent(self) -> list[SentMessage]:
        """Every accepted sendMessage, in order (a copy)."""
        with self._lock:
            return list(self._sent)

    def sent_to(self, chat_id: ChatId) -> list[SentMessage]:
        """The accepted messages to one chat, in order."""
        with self._lock:
            return [message for message in self._sent if message.chat_id == chat_id]

    @property
    def too_many_requests(self) -> int:
        """How many sendMessage requests were answered 429 (scripted or flood control)."""
        with self._lock:
            return self._too_many_requests

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every accepted answerCallbackQuery, in order."""
        with self._lock:
            return list(self._callback_answers)

    @property
    def edits(self) -> list[JSONDict]:
        """Every accepted editMessageText/editMessageReplyMarkup: method and parameters."""
        with self._lock:
            return list(self._edits)

    @property
    def webhook(self) -> WebhookConfig | None:
        """The webhook set now (None: none, so getUpdates works)."""
        with self._lock:
            return self._webhook

    @property
    def webhook_history(self) -> list[WebhookConfig]:
        """Every accepted setWebhook, in order."""
        with self._lock:
            return list(self._webhook_history)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every attempt to POST a pushed update to the webhook."""
        with self._lock:
            return list(self._webhook_deliveries)

    @property
    def pending_updates(self) -> int:
        """How many pushed updates no getUpdates has confirmed (or webhook received) yet."""
        with self._lock:
            return len(self._updates)

    def stats(self) -> JSONDict:
        """Counters, as the control API's ``GET /_control/stats`` gives them."""
        with self._lock:
            return {
                "accepted": len(self._sent),
                "too_many_requests": self._too_many_requests,
                "answers": {str(code): count for code, count in sorted(self._answers.items())},
                "script_remaining": len(self.script),
                "pending_updates": len(self._updates),
                "callback_answers": len(self._callback_answers),
                "webhook": asdict(self._webhook) if self._webhook else None,
                "webhook_deliveries": len(self._webhook_deliveries),
                "enforce_limits": self.enforce_limits,
            }

    def wait_for_sent(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Block until at least ``count`` messages were accepted; return them all.

        Do not call this from the event loop that runs the code under test (it blocks that
        loop); use ``wait_for_sent_async`` there.
        """
        with self._sent_changed:
            if not self._sent_changed.wait_for(lambda: len(self._sent) >= count, timeout):
                raise TimeoutError(f"{len(self._sent)} messages accepted, not {count}")
            return list(self._sent)

    async def wait_for_sent_async(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
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

    def set_chat_status(self, chat_id: ChatId, status: ChatStatus) -> None:
        """Make sendMessage to a chat fail: ``"blocked"`` answers 403 ``Forbidden: bot was
        blocked by the user``, ``"gone"`` answers 400 ``Bad Request: chat not found``;
        ``"ok"`` undoes either."""
        if status not in ("ok", "blocked", "gone"):
            raise ValueError(f"unknown chat status {status!r}")
        with self._lock:
            if status == "ok":
                self._chat_status.pop(chat_id, None)
            else:
                self._chat_status[chat_id] = status

    def add_script(self, *answers: Answer | str | JSONDict) -> None:
        """Script the next sendMessage answers, e.g. ``Answer.too_many_requests(3)``,
        ``Answer.server_error()``, ``Answer.hang(2.0)``, ``Answer.ok()``."""
        self.script.extend(answers)

    def reset(self) -> None:
        """Forget everything sent, pushed, scripted or configured (the counters too)."""
        self.script.clear()
        with self._lock:
            self._reset_state()

    # -- updates --------------------------------------------------------------------------------

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates (or POST it to the webhook, when one is set).

        An update without ``update_id`` gets the next one. Returns the update as queued.
        """
        update = dict(update)
        with self._lock:
            if "update_id" not in update:
                update["update_id"] = next(self._update_ids)
            query = update.get("callback_query")
            if isinstance(query, dict) and "id" in query:
                self._open_queries.add(str(query["id"]))
            self._updates.append(update)
        self.call_soon_in_loop(self._wake)
        return update

    def _user(self, user_id: int, first_name: str) -> JSONDict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "fi"}

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Askel (test)",
            "username": self.username,
        }

    @staticmethod
    def _chat(chat_id: ChatId, first_name: str = "Testi") -> JSONDict:
        if isinstance(chat_id, str):
            return {"id": -1001000000000, "type": "channel", "username": chat_id.lstrip("@")}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": first_name}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Testiryhmä"}

    def _incoming(
        self, chat_id: int, *, user_id: int | None, first_name: str, message_id: int | None
    ) -> JSONDict:
        """A message from a user, without its content."""
        with self._lock:
            message_id = message_id if message_id is not None else next(self._message_ids)
        return {
            "message_id": message_id,
            "from": self._user(user_id if user_id is not None else chat_id, first_name),
            "chat": self._chat(chat_id, first_name),
            "date": int(time.time()),
        }

    def _new_update(self, key: str, payload: JSONDict) -> JSONDict:
        with self._lock:
            update_id = next(self._update_ids)
        return {"update_id": update_id, key: payload}

    def text_update(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Testi",
        message_id: int | None = None,
    ) -> JSONDict:
        """An update with a text message from a user (in a private chat: user id = chat id).

        A text starting with ``/`` carries a bot_command entity, as Telegram sends it.
        """
        message = self._incoming(
            chat_id, user_id=user_id, first_name=first_name, message_id=message_id
        )
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._new_update("message", message)

    def edited_message_update(
        self,
        chat_id: int,
        text: str,
        *,
        message_id: int,
        user_id: int | None = None,
        first_name: str = "Testi",
    ) -> JSONDict:
        """An update saying the user edited their message ``message_id`` to ``text``."""
        message = self._incoming(
            chat_id, user_id=user_id, first_name=first_name, message_id=message_id
        )
        message["date"] = int(time.time()) - 60
        message["edit_date"] = int(time.time())
        message["text"] = text
        return self._new_update("edited_message", message)

    def photo_update(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        user_id: int | None = None,
        first_name: str = "Testi",
    ) -> JSONDict:
        """An update with a photo (two sizes) and an optional caption."""
        message = self._incoming(chat_id, user_id=user_id, first_name=first_name, message_id=None)
        unique = message["message_id"]
        message["photo"] = [
            {
                "file_id": f"AgACphoto{unique}s",
                "file_unique_id": f"AQADs{unique}",
                "width": 90,
                "height": 67,
                "file_size": 1234,
            },
            {
                "file_id": f"AgACphoto{unique}m",
                "file_unique_id": f"AQADm{unique}",
                "width": 800,
                "height": 600,
                "file_size": 65432,
            },
        ]
        if caption is not None:
            message["caption"] = caption
        return self._new_update("message", message)

    def sticker_update(
        self,
        chat_id: int,
        *,
        emoji: str = "👍",
        user_id: int | None = None,
        first_name: str = "Testi",
    ) -> JSONDict:
        """An update with a (static, regular) sticker."""
        message = self._incoming(chat_id, user_id=user_id, first_name=first_name, message_id=None)
        unique = message["message_id"]
        message["sticker"] = {
            "file_id": f"CAACsticker{unique}",
            "file_unique_id": f"AgADst{unique}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": 23456,
        }
        return self._new_update("message", message)

    def voice_update(
        self,
        chat_id: int,
        *,
        duration: int = 3,
        user_id: int | None = None,
        first_name: str = "Testi",
    ) -> JSONDict:
        """An update with a voice message."""
        message = self._incoming(chat_id, user_id=user_id, first_name=first_name, message_id=None)
        unique = message["message_id"]
        message["voice"] = {
            "file_id": f"AwACvoice{unique}",
            "file_unique_id": f"AgADvo{unique}",
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 4567,
        }
        return self._new_update("message", message)

    def callback_update(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int | None = None,
        message_text: str = "…",
        user_id: int | None = None,
        first_name: str = "Testi",
    ) -> JSONDict:
        """An update saying the user pressed an inline button with callback ``data``.

        The pressed message is the bot's message ``message_id`` in that chat when the fake
        sent it (its current text and keyboard are used), otherwise a bot message with
        ``message_text``. The query id is fresh and accepted by answerCallbackQuery once.
        """
        with self._lock:
            query_id = str(next(self._query_ids))
            known = self._messages.get((chat_id, message_id)) if message_id is not None else None
            if known is None:
                message: JSONDict = {
                    "message_id": message_id if message_id is not None else next(self._message_ids),
                    "from": self._bot_user(),
                    "chat": self._chat(chat_id, first_name),
                    "date": int(time.time()),
                    "text": message_text,
                }
            else:
                message = dict(known)
        query = {
            "id": query_id,
            "from": self._user(user_id if user_id is not None else chat_id, first_name),
            "chat_instance": f"-{abs(chat_id) * 7919 + 13}",
            "data": data,
            "message": message,
        }
        return self._new_update("callback_query", query)

    def build_update(self, spec: JSONDict) -> JSONDict:
        """Build an update from its control-API form: ``{"kind": "text" | "callback" | "photo"
        | "sticker" | "voice" | "edited", "chat_id": ..., ...}`` (the other keys are the
        builder's arguments)."""
        spec = dict(spec)
        kind = spec.pop("kind")
        builders: dict[str, Callable[..., JSONDict]] = {
            "text": self.text_update,
            "callback": self.callback_update,
            "photo": self.photo_update,
            "sticker": self.sticker_update,
            "voice": self.voice_update,
            "edited": self.edited_message_update,
        }
        if kind not in builders:
            raise ValueError(f"unknown update kind {kind!r}; expected one of {sorted(builders)}")
        return builders[kind](**spec)

    # -- the server -------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        """The Bot API routes and the control API."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._not_found)
        app.router.add_post("/_control/script", self._control_script)
        app.router.add_post("/_control/chat", self._control_chat)
        app.router.add_post("/_control/limits", self._control_limits)
        app.router.add_post("/_control/updates", self._control_updates)
        app.router.add_post("/_control/reset", self._control_reset)
        app.router.add_get("/_control/stats", self._control_stats)
        app.router.add_get("/_control/sent", self._control_sent)
        return app

    async def on_started(self) -> None:
        """Make the loop's objects: the update wake-up, the webhook sender."""
        self._closing = False
        self._updates_event = asyncio.Event()
        self._session = aiohttp.ClientSession()
        self._webhook_task = asyncio.create_task(self._webhook_worker())

    async def on_stopping(self) -> None:
        """End the long polls at once, so that shutting down does not wait for them."""
        self._closing = True
        self._wake()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None

    async def on_stopped(self) -> None:
        """Close the webhook sender's session and the log."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._log.close()

    def _wake(self) -> None:
        """Wake every long poll and the webhook sender (run on the server's loop)."""
        if self._updates_event is not None:
            self._updates_event.set()
            self._updates_event = asyncio.Event()

    async def _not_found(self, request: web.Request) -> web.Response:
        return _ApiError(404, "Not Found").response()

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        else:
            form = await request.post()
            for name, value in form.items():
                # Uploaded files are kept by name only: no method served here takes one.
                params[name] = value if isinstance(value, str) else getattr(value, "filename", "")
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _ApiError(401, "Unauthorized").response()
        method = request.match_info["method"].lower()  # Telegram ignores the case of methods
        handler = self._methods.get(method)
        if handler is None:
            return _ApiError(404, "Not Found").response()
        try:
            params = await self._read_params(request)
            result = await handler(self, params)
        except _ApiError as error:
            if method == "sendmessage":
                with self._lock:
                    self._answers[error.code] += 1
            return error.response()
        if method == "sendmessage":
            with self._lock:
                self._answers[200] += 1
        return json_response({"ok": True, "result": result})

    # -- Bot API methods --------------------------------------------------------------------------

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _send_message(self, params: JSONDict) -> JSONDict:
        answer = self.script.pop()
        if answer is not None:
            await self._play(answer)
        chat_id = _parse_chat_id(params.get("chat_id", ""))
        text = str(params.get("text") or "")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise _ApiError(400, "Bad Request: message is too long")
        reply_markup = _json_param(params, "reply_markup")
        now = time.monotonic()
        with self._sent_changed:
            status = self._chat_status.get(chat_id)
            if status == "blocked":
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            if status == "gone":
                raise _ApiError(400, "Bad Request: chat not found")
            wait = self._flood_wait(chat_id, now) if self.enforce_limits else 0
            if wait:
                self._too_many_requests += 1
                raise _ApiError(
                    429, f"Too Many Requests: retry after {wait}", {"retry_after": wait}
                )
            self._last_to_chat[chat_id] = now
            self._recent.append(now)
            message_id = next(self._message_ids)
            sent = SentMessage(message_id, chat_id, text, reply_markup, now, time.time())
            message: JSONDict = {
                "message_id": message_id,
                "from": self._bot_user(),
                "chat": self._chat(chat_id),
                "date": int(sent.wall),
                "text": text,
            }
            # Telegram echoes only inline keyboards in the Message it returns.
            if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
                message["reply_markup"] = reply_markup
            self._sent.append(sent)
            self._messages[(chat_id, message_id)] = message
            self._sent_changed.notify_all()
        self._log.write(sent.to_json())
        return message

    async def _play(self, answer: Answer) -> None:
        """Carry out a scripted answer (returning means: go on and process the request)."""
        if answer.kind == "429":
            with self._lock:
                self._too_many_requests += 1
            raise _ApiError(
                429,
                f"Too Many Requests: retry after {answer.retry_after}",
                {"retry_after": answer.retry_after},
            )
        if answer.kind == "500":
            raise _ApiError(500, "Internal Server Error")
        if answer.kind == "hang":
            await asyncio.sleep(answer.seconds)
            if not answer.deliver:
                raise _ApiError(500, "Internal Server Error")

    def _flood_wait(self, chat_id: ChatId, now: float) -> int:
        """Seconds to wait (0: send now) under Telegram's flood limits, called with the lock.

        Only accepted messages count, each at its monotonic receive time ``s``. A message at
        ``now`` is refused when an accepted message to the same chat has ``now - s < 1.0``
        (at most one a chat per second), or when 30 accepted messages in all have
        ``now - s < 1.0`` (at most 30 in any sliding window of one second). ``retry_after`` is
        the whole seconds until the window frees, at least 1, as Telegram gives integers.
        """
        last = self._last_to_chat.get(chat_id)
        if last is not None and now - last < PER_CHAT_INTERVAL:
            return max(1, math.ceil(last + PER_CHAT_INTERVAL - now))
        while self._recent and now - self._recent[0] >= GLOBAL_WINDOW:
            self._recent.popleft()
        if len(self._recent) >= GLOBAL_LIMIT:
            return max(1, math.ceil(self._recent[0] + GLOBAL_WINDOW - now))
        return 0

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        with self._lock:
            if query_id not in self._open_queries:
                raise _ApiError(400, _DESC_CALLBACK_INVALID)
            self._open_queries.discard(query_id)
            self._callback_answers.append(
                CallbackAnswer(
                    callback_query_id=query_id,
                    text=params.get("text") or None,
                    show_alert=_bool_param(params, "show_alert"),
                    t=time.monotonic(),
                )
            )
        return True

    async def _edit_message(self, params: JSONDict, *, method: str) -> JSONDict:
        chat_id = _parse_chat_id(params.get("chat_id", ""))
        message_id = _int_param(params, "message_id", 0)
        reply_markup = _json_param(params, "reply_markup")
        with self._lock:
            message = self._messages.get((chat_id, message_id))
            if message is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            updated = dict(message)
            if method == "editMessageText":
                updated["text"] = str(params.get("text") or "")
                if not updated["text"].strip():
                    raise _ApiError(400, "Bad Request: message text is empty")
            updated.pop("reply_markup", None)
            if isinstance(reply_markup, dict) and reply_markup.get("inline_keyboard"):
                updated["reply_markup"] = reply_markup
            if updated == message:
                # Telegram refuses edits that change nothing; callers must cope with it.
                raise _ApiError(
                    400,
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup "
                    "of the message",
                )
            updated["edit_date"] = int(time.time())
            self._messages[(chat_id, message_id)] = updated
            self._edits.append({"method": method, "chat_id": chat_id, **updated})
        return updated

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        return await self._edit_message(params, method="editMessageText")

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        return await self._edit_message(params, method="editMessageReplyMarkup")

    async def _delete_message(self, params: JSONDict) -> bool:
        chat_id = _parse_chat_id(params.get("chat_id", ""))
        message_id = _int_param(params, "message_id", 0)
        with self._lock:
            if self._messages.pop((chat_id, message_id), None) is None:
                raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _true(self, params: JSONDict) -> bool:
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return []

    async def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token") or None
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise _ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = _json_param(params, "allowed_updates")
        drop = _bool_param(params, "drop_pending_updates")
        with self._lock:
            if drop:
                self._updates.clear()
            if not url:
                # setWebhook with an empty url removes the webhook, as deleteWebhook does.
                self._webhook = None
            else:
                self._webhook = WebhookConfig(
                    url=url,
                    secret_token=str(secret) if secret is not None else None,
                    allowed_updates=list(allowed) if allowed else None,
                    max_connections=_int_param(params, "max_connections", 40),
                    drop_pending_updates=drop,
                )
                self._webhook_history.append(self._webhook)
                if allowed is not None:
                    self._allowed_updates = list(allowed) or None
        self._wake()
        return True

    async def _delete_webhook(self, params: JSONDict) -> bool:
        with self._lock:
            self._webhook = None
            if _bool_param(params, "drop_pending_updates"):
                self._updates.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        with self._lock:
            info: JSONDict = {
                "url": self._webhook.url if self._webhook else "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook is not None:
                info["max_connections"] = self._webhook.max_connections
                if self._webhook.allowed_updates:
                    info["allowed_updates"] = self._webhook.allowed_updates
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _take_updates(self, offset: int, limit: int) -> list[JSONDict]:
        """Confirm the updates before ``offset`` and return up to ``limit`` (with the lock)."""
        if offset < 0:
            # A negative offset keeps only the last -offset updates, as on Telegram.
            while len(self._updates) > -offset:
                self._updates.popleft()
        else:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        allowed = self._allowed_updates
        if allowed:
            # Telegram never queues updates of types the bot did not ask for.
            kept = [u for u in self._updates if _update_type(u) in allowed]
            self._updates = collections.deque(kept)
        return list(itertools.islice(self._updates, limit))

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = _json_param(params, "allowed_updates")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._lock:
            if self._webhook is not None:
                raise _ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if allowed is not None:
                self._allowed_updates = list(allowed) or None
            self._poll_generation += 1
            generation = self._poll_generation
        self._wake()  # a poll still waiting is now superseded: it ends with 409
        while True:
            event = self._updates_event
            with self._lock:
                updates = self._take_updates(offset, limit)
                superseded = generation != self._poll_generation
            if updates or self._closing:
                return updates
            if superseded:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            remaining = deadline - loop.time()
            if remaining <= 0 or event is None:
                return []
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _webhook_worker(self) -> None:
        """POST pushed updates to the webhook one at a time, in order, while one is set.

        A delivery that fails (no answer or not 2xx) is recorded, shown by getWebhookInfo and
        not retried, so that tests stay deterministic.
        """
        while True:
            event = self._updates_event
            with self._lock:
                config = self._webhook
                update = None
                if config is not None:
                    taken = self._take_updates(0, 1)
                    if taken:
                        update = self._updates.popleft()
            if update is None or config is None:
                if event is not None:
                    await event.wait()
                continue
            await self._deliver(config, update)

    async def _deliver(self, config: WebhookConfig, update: JSONDict) -> None:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                config.url,
                data=json.dumps(update, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=10),
            ) as response:
                status = response.status
                await response.read()
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as failure:
            error = f"Connection failed: {type(failure).__name__}"
        with self._lock:
            self._webhook_deliveries.append(
                WebhookDelivery(update["update_id"], config.url, status, error, time.monotonic())
            )
            if error is not None:
                self._webhook_last_error = (int(time.time()), error)

    # Method names lower-cased: Telegram ignores their case.
    _methods: ClassVar[dict[str, Any]] = {
        "getme": _get_me,
        "sendmessage": _send_message,
        "answercallbackquery": _answer_callback_query,
        "editmessagetext": _edit_message_text,
        "editmessagereplymarkup": _edit_message_reply_markup,
        "deletemessage": _delete_message,
        "sendchataction": _true,
        "setmycommands": _true,
        "deletemycommands": _true,
        "getmycommands": _get_my_commands,
        "setwebhook": _set_webhook,
        "deletewebhook": _delete_webhook,
        "getwebhookinfo": _get_webhook_info,
        "getupdates": _get_updates,
    }

    # -- control API ------------------------------------------------------------------------------

    async def _control_script(self, request: web.Request) -> web.Response:
        """``{"answers": ["500", {"kind": "429", "retry_after": 3}, {"kind": "hang",
        "seconds": 2}]}``: appended to the script."""
        body = await request.json()
        try:
            self.add_script(*body.get("answers", []))
        except ValueError as error:
            return json_response({"error": str(error)}, status=400)
        return json_response({"script_remaining": len(self.script)})

    async def _control_chat(self, request: web.Request) -> web.Response:
        """``{"chat_id": 42, "status": "blocked" | "gone" | "ok"}``."""
        body = await request.json()
        try:
            self.set_chat_status(_parse_chat_id(body["chat_id"]), body["status"])
        except (KeyError, ValueError, _ApiError) as error:
            return json_response({"error": str(error)}, status=400)
        return json_response({"ok": True})

    async def _control_limits(self, request: web.Request) -> web.Response:
        """``{"enabled": true}``: flood control on or off."""
        body = await request.json()
        self.enforce_limits = bool(body.get("enabled"))
        return json_response({"enforce_limits": self.enforce_limits})

    async def _control_updates(self, request: web.Request) -> web.Response:
        """``{"update": {...}}`` pushes an update as is; ``{"kind": "text", "chat_id": 42,
        "text": "moi"}`` builds one first (see ``build_update``). Answers the queued update."""
        body = await request.json()
        try:
            update = body["update"] if "update" in body else self.build_update(body)
        except (KeyError, TypeError, ValueError) as error:
            return json_response({"error": str(error)}, status=400)
        return json_response({"update": self.push_update(update)})

    async def _control_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return json_response({"ok": True})

    async def _control_stats(self, request: web.Request) -> web.Response:
        return json_response(self.stats())

    async def _control_sent(self, request: web.Request) -> web.Response:
        """``?since=N``: the accepted messages from the N-th on (0-based)."""
        since = int(request.query.get("since", "0"))
        return json_response({"sent": [message.to_json() for message in self.sent[since:]]})


def main(argv: Iterable[str] | None = None) -> None:
    """``python -m tests.fakes.telegram_api``: serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_common_arguments(parser)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="askel_test_bot")
    parser.add_argument("--enforce-limits", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    FakeTelegramApi(
        args.token,
        username=args.username,
        log_path=args.log,
        enforce_limits=args.enforce_limits,
        host=args.host,
        port=args.port,
    ).run_main()


if __name__ == "__main__":
    main()
