#!/usr/bin/env python3
"""Differential oracle: run stream captures through the official openai SDK's Assistants
stream helpers and print what the SDK accumulated.

Usage: python accumulate.py FILE.sse [FILE2.sse ...]

Needs only `openai==3.57.0` (which brings `httpx2`). No network: every request is answered by
an in-process mock transport with status 200, `content-type: text/event-stream` and the
capture's bytes as the body.

Output: one line per file, in argument order, a JSON object (keys sorted, UTF-8):

    {"run": <run|null>, "run_steps": [<step>...], "messages": [<message>...]}

plus `"sdk_error": "<exception class name>"` when the SDK raised while consuming the stream
(the snapshots accumulated up to that point are still printed). Steps and messages are in
order of first appearance. Objects are `model_dump(mode="json", exclude_unset=True)` of the
SDK's own snapshots, normalized recursively: keys whose value is null are dropped, keys named
"index" are dropped.

One SDK gap is patched on the SDK side (see on_event below): a full RunStep sent with
`thread.run.step.in_progress/.completed/.failed/.cancelled/.expired` replaces (or inserts) that
step's snapshot, and a full Message sent with `thread.message.in_progress` replaces (or
inserts) that message's snapshot and makes it the current message, as `.completed` /
`.incomplete` already do in the SDK.

Exit status: 0; 2 if a file could not be read (nothing is printed for that file).
"""
from __future__ import annotations

import json
import sys
import warnings

warnings.simplefilter("ignore")

import httpx2  # noqa: E402  (installed with openai==3.57.0)
import openai  # noqa: E402
from openai import AssistantEventHandler  # noqa: E402
from openai._compat import model_dump  # noqa: E402

_STEP_REPLACING = {
    "thread.run.step.in_progress",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
}
_MESSAGE_REPLACING = {"thread.message.in_progress"}


class Handler(AssistantEventHandler):
    """The SDK's handler, with the step/message replacement gap patched."""

    def on_event(self, event) -> None:  # called by the SDK before it accumulates the event
        name = getattr(event, "event", None)
        if name in _STEP_REPLACING:
            self._AssistantEventHandler__run_step_snapshots[event.data.id] = event.data
        elif name in _MESSAGE_REPLACING:
            self._AssistantEventHandler__current_message_snapshot = event.data
            self._AssistantEventHandler__message_snapshots[event.data.id] = event.data


def _dump(obj):
    if obj is None:
        return None
    if hasattr(obj, "model_dump"):
        return model_dump(obj, mode="json", exclude_unset=True, warnings=False)
    return obj


def _normalize(value):
    if isinstance(value, dict):
        return {
            k: _normalize(v)
            for k, v in value.items()
            if v is not None and k != "index"
        }
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    return value


def run_capture(body: bytes) -> dict:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=body
        )

    client = openai.OpenAI(
        api_key="sk-test",
        base_url="http://sdk.test/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    event_handler = Handler()
    error = None
    try:
        with client.beta.threads.runs.stream(
            thread_id="thread_x", assistant_id="asst_x", event_handler=event_handler
        ) as stream:
            stream.until_done()
    except Exception as exc:  # the SDK raised: keep what it accumulated
        error = type(exc).__name__
    finally:
        client.close()

    run = event_handler._AssistantEventHandler__current_run
    steps = event_handler._AssistantEventHandler__run_step_snapshots
    messages = event_handler._AssistantEventHandler__message_snapshots
    out = {
        "run": _normalize(_dump(run)),
        "run_steps": [_normalize(_dump(s)) for s in steps.values()],
        "messages": [_normalize(_dump(m)) for m in messages.values()],
    }
    if error is not None:
        out["sdk_error"] = error
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python accumulate.py FILE.sse [FILE2.sse ...]", file=sys.stderr)
        return 2
    status = 0
    out = sys.stdout
    for path in argv[1:]:
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError as exc:
            print(f"accumulate.py: cannot read {path}: {exc}", file=sys.stderr)
            status = 2
            continue
        result = run_capture(body)
        out.write(json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        out.flush()
    return status


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main(sys.argv))
