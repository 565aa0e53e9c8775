#!/usr/bin/env python3
"""Differential oracle: feed Chat Completions streams to openai-python 3.57.0's
`ChatCompletionStreamState`, with a structured response format (any JSON) and every function
tool named in the stream strict, and print its high-level events.

Usage: python chat_parsed.py FILE.sse [FILE2.sse ...]. No network. One JSON line per file:
{"events": [...]}; each event is the SDK's event model dumped (`chunk` events left out) with
"choice", the index of the choice that fired it; where the SDK raises, the list ends with
{"error": "length" | "content_filter" | "invalid_json"}."""
import json
import sys
import warnings
from typing import Any

warnings.simplefilter("ignore")

import pydantic  # noqa: E402
from openai._models import construct_type  # noqa: E402
from openai._exceptions import ContentFilterFinishReasonError, LengthFinishReasonError  # noqa: E402
from openai.lib.streaming.chat import ChatCompletionStreamState  # noqa: E402
from openai.lib.streaming.chat import _completions  # noqa: E402
from openai.types.chat import ChatCompletionChunk  # noqa: E402


class AnyJson(pydantic.RootModel[Any]):
    """A response format that takes any JSON: the content treated as structured output."""


# Which choice fired each event: the state looks up a choice's event state before it builds
# that choice's events.
_current = {"choice": None}
_fired_by = {}
_get_choice_state = ChatCompletionStreamState._get_choice_state
_build = _completions.build


def _tracking_get_choice_state(self, choice):
    _current["choice"] = choice.index
    return _get_choice_state(self, choice)


def _tracking_build(type_, **kwargs):
    event = _build(type_, **kwargs)
    _fired_by[id(event)] = _current["choice"]
    return event


ChatCompletionStreamState._get_choice_state = _tracking_get_choice_state
_completions.build = _tracking_build


def chunks(body: bytes):
    for line in body.decode("utf-8").splitlines():
        if line.startswith("data:"):
            data = line[5:].strip()
            if data and data != "[DONE]":
                yield json.loads(data)


def tool_names(objs):
    """Every tool name the stream gives, as the SDK accumulates it: the pieces of one call's
    name (by choice and tool index) joined."""
    names = {}
    for obj in objs:
        for choice in obj.get("choices") or []:
            for call in ((choice.get("delta") or {}).get("tool_calls")) or []:
                piece = (call.get("function") or {}).get("name")
                if isinstance(piece, str):
                    key = (choice.get("index"), call.get("index"))
                    names[key] = names.get(key, "") + piece
    return {name for name in names.values() if name}


def run(body: bytes) -> dict:
    objs = list(chunks(body))
    tools = [
        {"type": "function", "function": {"name": name, "parameters": {}, "strict": True}}
        for name in sorted(tool_names(objs))
    ]
    state = ChatCompletionStreamState(input_tools=tools, response_format=AnyJson)
    events = []
    try:
        for obj in objs:
            chunk = construct_type(type_=ChatCompletionChunk, value=obj)
            for event in state.handle_chunk(chunk):
                if event.type == "chunk":
                    continue
                dumped = event.model_dump(mode="json", warnings=False)
                dumped["choice"] = _fired_by.get(id(event))
                events.append(dumped)
    except LengthFinishReasonError:
        events.append({"error": "length"})
    except ContentFilterFinishReasonError:
        events.append({"error": "content_filter"})
    except (ValueError, pydantic.ValidationError):
        events.append({"error": "invalid_json"})
    return {"events": events}


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        print(json.dumps(run(f.read())))
