#!/usr/bin/env python3
"""Differential oracle: run Chat Completions recordings through openai-python 3.57.0's
`client.chat.completions.stream(...)` and print `get_final_completion()`, and the stream's
snapshot after each chunk.

Usage: python chat_accumulate.py FILE.sse [FILE2.sse ...]. No network (a mock transport).
One JSON line per file: {"completion": <ChatCompletion|null>, "snapshots": [...],
"sdk_error": "..."?}, without
the fields the SDK adds of its own (`parsed`, `parsed_arguments`, a tool call's `index`)."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import httpx2  # noqa: E402
import openai  # noqa: E402

_SDK_ADDED = {"parsed", "parsed_arguments"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _SDK_ADDED}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _without_call_index(completion: dict) -> dict:
    # The SDK keeps each tool call's stream `index` in its message; the API's `ChatCompletion`
    # (and openai-node's, final or mid-stream) has none.
    for choice in completion.get("choices") or []:
        for call in (choice.get("message") or {}).get("tool_calls") or []:
            call.pop("index", None)
    return completion


def _dump(model) -> dict:
    return _without_call_index(_strip(model.model_dump(mode="json", warnings=False, exclude_unset=True)))


def run(body: bytes) -> dict:
    def handler(request):
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    client = openai.OpenAI(api_key="sk-oracle", base_url="http://oracle.invalid/v1", max_retries=0,
                           http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    out = {"completion": None, "snapshots": []}
    try:
        with client.chat.completions.stream(model="m", messages=[{"role": "user", "content": "x"}]) as stream:
            for event in stream:
                if event.type == "chunk":
                    out["snapshots"].append(_dump(event.snapshot))
            final = stream.get_final_completion()
        out["completion"] = _without_call_index(_strip(final.model_dump(mode="json", warnings=False)))
    except Exception as exc:
        out["sdk_error"] = f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return out


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        sys.stdout.write(json.dumps(run(f.read()), ensure_ascii=False) + "\n")
