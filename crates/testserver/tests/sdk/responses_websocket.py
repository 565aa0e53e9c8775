#!/usr/bin/env python3
"""openai-python 3.57.0's WebSocket mode (`client.responses.connect()` with a
`ResponsesWebSocketSession`) as a client of the test server. Usage: python
responses_websocket.py BASE_URL. On one connection: a create streamed to its final response on
the default lane; a tool loop of four turns on lane "tools", each turn sending only new input
with `previous_response_id`; two lanes at once. Then, on a second connection, a `store: false`
response of the first is not found. Prints one JSON line of what it saw."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import openai  # noqa: E402
from openai.lib.responses_websocket import (  # noqa: E402
    ResponsesWebSocketError,
    ResponsesWebSocketLimits,
    ResponsesWebSocketSession,
)

LIMITS = ResponsesWebSocketLimits(
    max_lanes=8, max_events_per_lane=256, max_events=1024, max_bytes_per_lane=1 << 24, max_bytes=1 << 25
)

TOOLS = [{"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}]


def final(lane, body):
    lane.send({"type": "response.create", **body})
    return lane.get_final_response()


def main(base_url: str) -> None:
    client = openai.OpenAI(api_key="sk-python-ws", base_url=base_url, max_retries=0)
    seen = {}
    with client.responses.connect() as connection:
        with ResponsesWebSocketSession(connection, limits=LIMITS) as session:
            hello = final(session.default, {"model": "m", "input": "Say hello.", "store": False})
            seen["hello"] = hello.output_text
            seen["hello_status"] = hello.status

            tools = session.lane("tools")
            turns, previous, texts, calls = 0, None, [], 0
            pending = [{"type": "message", "role": "user", "content": "Weather in Paris?"}]
            while turns < 4:
                body = {"model": "m", "input": pending, "tools": TOOLS, "store": False}
                if previous is not None:
                    body["previous_response_id"] = previous
                response = final(tools, body)
                turns += 1
                previous = response.id
                call = next((i for i in response.output if i.type == "function_call"), None)
                if call is not None:
                    calls += 1
                    pending = [{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}]
                else:
                    texts.append(response.output_text)
                    pending = [{"type": "message", "role": "user", "content": "And tomorrow?"}]
            seen["tool_turns"] = turns
            seen["tool_calls"] = calls
            seen["tool_texts"] = texts
            seen["last_id"] = previous

            a, b = session.lane("a"), session.lane("b")
            a.send({"type": "response.create", "model": "m", "input": "First lane."})
            b.send({"type": "response.create", "model": "m", "input": "Second lane."})
            ra, rb = b.get_final_response(), a.get_final_response()
            seen["lanes"] = [ra.output_text, rb.output_text]
            seen["lanes_distinct"] = ra.id != rb.id

    with client.responses.connect() as connection:
        with ResponsesWebSocketSession(connection, limits=LIMITS) as session:
            try:
                final(session.default, {"model": "m", "input": "x", "previous_response_id": seen["last_id"]})
                seen["not_found"] = None
            except ResponsesWebSocketError as err:
                seen["not_found"] = err.event.error.code
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1])
