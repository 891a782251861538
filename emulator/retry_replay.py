"""Answers an SDK's retry of a request the emulator has already carried out with the answer it gave, once.

AWS SDKs retry a call whose response they did not receive (a reset connection, a read cut short) with the same
`amz-sdk-invocation-id` header and `amz-sdk-request: attempt=N`. Where the first attempt reached moto and succeeded,
running it again turns one create into a duplicate (WafV2DuplicateItem, InvalidPermission.Duplicate, a DynamoDB lock
refused because of its own earlier PutItem). Seen on the 2-core machine when the werkzeug server is busy: the first
attempt is in moto's log as answered, the client retried anyway.

So a retry (attempt 2 or later) of an invocation whose earlier attempt was answered 2xx gets that answer again instead
of a second execution; any other retry runs normally. Each replay is logged to stderr. Answers are kept for the last
MAX_KEPT invocations, bodies up to MAX_BODY bytes (larger ones are not kept, and their retries run again).
"""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from typing import Any, Callable, Iterable

MAX_KEPT = 20_000
MAX_BODY = 1 << 20
_ATTEMPT = re.compile(r"attempt=(\d+)")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class RetryReplay:
    def __init__(self, app: WsgiApp, log: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.kept: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
        self.lock = threading.Lock()
        self.log = log or (lambda m: print(m, file=sys.stderr, flush=True))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation:
            return self.app(environ, start_response)
        attempt = _ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
        if attempt and int(attempt.group(1)) > 1:
            with self.lock:
                kept = self.kept.get(invocation)
            if kept is not None:
                status, headers, body = kept
                self.log(f"retry-replay: attempt {attempt.group(1)} of {invocation} ({environ.get('HTTP_X_AMZ_TARGET') or environ.get('PATH_INFO')}) answered as the first was: {status}")
                start_response(status, headers)
                return [body]
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        answer = self.app(environ, capture)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        status = str(captured.get("status", ""))
        if status[:1] == "2" and len(body) <= MAX_BODY:
            with self.lock:
                self.kept[invocation] = (status, captured["headers"], body)
                while len(self.kept) > MAX_KEPT:
                    self.kept.popitem(last=False)
        return [body]
