#!/usr/bin/env python3
"""openai-python 3.57.0 as a client of the test server: a Responses tool-call round trip with
`client.responses.stream(...)`. Usage: python responses_client.py BASE_URL. Prints one JSON line:
{"call": name, "arguments": ..., "text": the second response's output_text, "events": n}."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import openai  # noqa: E402

TOOLS = [{"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}]


def main(base_url: str) -> None:
    client = openai.OpenAI(api_key="sk-python", base_url=base_url, max_retries=0)
    events = 0
    with client.responses.stream(model="m", input="Weather in Paris?", tools=TOOLS) as stream:
        for _ in stream:
            events += 1
        first = stream.get_final_response()
    call = next(item for item in first.output if item.type == "function_call")
    with client.responses.stream(
        model="m",
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}],
        tools=TOOLS,
    ) as stream:
        for _ in stream:
            events += 1
        second = stream.get_final_response()
    print(json.dumps({"call": call.name, "arguments": call.arguments, "text": second.output_text, "events": events}))


if __name__ == "__main__":
    main(sys.argv[1])
