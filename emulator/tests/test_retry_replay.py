"""RetryReplay (emulator/retry_replay.py): an SDK retry of an answered call gets the first answer, nothing else does."""

from __future__ import annotations

from typing import Any

from retry_replay import RetryReplay


class CountingApp:
    """A WSGI app that creates one thing per call and answers with its number (409 after `conflict_after` calls)."""

    def __init__(self, status: str = "200 OK") -> None:
        self.calls = 0
        self.status = status

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        start_response(self.status, [("Content-Type", "application/json")])
        return [f'{{"created": {self.calls}}}'.encode()]


def call(app: Any, invocation: str | None, attempt: int) -> tuple[str, bytes]:
    environ: dict[str, Any] = {"PATH_INFO": "/", "HTTP_X_AMZ_TARGET": "AWSWAF_20190729.CreateWebACL"}
    if invocation is not None:
        environ["HTTP_AMZ_SDK_INVOCATION_ID"] = invocation
        environ["HTTP_AMZ_SDK_REQUEST"] = f"attempt={attempt}; max=25"
    seen: dict[str, str] = {}
    body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.setdefault("status", status)))
    return seen["status"], body


def test_a_retry_of_an_answered_call_gets_the_first_answer_without_running_again() -> None:
    inner = CountingApp()
    logged: list[str] = []
    app = RetryReplay(inner, log=logged.append)
    assert call(app, "inv-1", 1) == ("200 OK", b'{"created": 1}')
    assert call(app, "inv-1", 2) == ("200 OK", b'{"created": 1}')
    assert inner.calls == 1
    assert len(logged) == 1 and "attempt 2 of inv-1" in logged[0]


def test_new_invocations_first_attempts_and_calls_without_an_invocation_id_always_run() -> None:
    inner = CountingApp()
    app = RetryReplay(inner, log=lambda m: None)
    assert call(app, "inv-1", 1)[1] == b'{"created": 1}'
    assert call(app, "inv-2", 1)[1] == b'{"created": 2}'
    assert call(app, "inv-1", 1)[1] == b'{"created": 3}'
    assert call(app, None, 1)[1] == b'{"created": 4}'
    assert call(app, "inv-3", 2)[1] == b'{"created": 5}'
    assert inner.calls == 5


def test_a_retry_after_a_failed_answer_runs_again() -> None:
    inner = CountingApp(status="500 Internal Server Error")
    app = RetryReplay(inner, log=lambda m: None)
    assert call(app, "inv-1", 1)[0] == "500 Internal Server Error"
    assert call(app, "inv-1", 2) == ("500 Internal Server Error", b'{"created": 2}')
    assert inner.calls == 2
