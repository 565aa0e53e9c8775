#!/usr/bin/env python3
"""Differential oracle: run Responses stream recordings through openai-python 3.57.0's
`client.responses.stream(...)` and print the final response it accumulated.

Usage: python responses_accumulate.py FILE.sse [FILE2.sse ...]

No network: an in-process mock transport answers with the recording's bytes as an event
stream. Output: one JSON line per file, in argument order:

    {"response": <final response|null>, "output_text": "...", "sdk_error": "..."?}

The response is `model_dump(mode="json")` of the SDK's final snapshot, with the fields the SDK
adds of its own (`output_parsed`, and `parsed` on text parts) taken out. openai-python only
accumulates output text and function arguments mid-stream, so only finished streams compare.
A stream that does not start with `response.created` (a resumed replay) is refused by the SDK:
`sdk_error` says so.
"""
from __future__ import annotations

import json
import sys
import warnings

warnings.simplefilter("ignore")

import httpx2  # noqa: E402  (installed with openai==3.57.0)
import openai  # noqa: E402

_SDK_ADDED = {"output_parsed", "parsed"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _SDK_ADDED}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def run(body: bytes) -> dict:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    client = openai.OpenAI(
        api_key="sk-oracle",
        base_url="http://oracle.invalid/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    out = {"response": None, "output_text": None}
    try:
        with client.responses.stream(model="m", input="x") as stream:
            final = stream.get_final_response()
        out["response"] = _strip(final.model_dump(mode="json", warnings=False))
        out["output_text"] = final.output_text
    except Exception as exc:  # the SDK raised
        out["sdk_error"] = f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return out


def main(argv: list[str]) -> int:
    for path in argv[1:]:
        with open(path, "rb") as f:
            body = f.read()
        sys.stdout.write(json.dumps(run(body), ensure_ascii=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main(sys.argv))
