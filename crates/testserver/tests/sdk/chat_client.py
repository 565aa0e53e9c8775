#!/usr/bin/env python3
"""openai-python 3.57.0 as a client of the test server: a Chat Completions tool round trip with
`client.chat.completions.stream(...)`. Usage: python chat_client.py BASE_URL. Prints one JSON
line: {"call": name, "arguments": ..., "text": the final answer, "usage": total tokens}."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import openai  # noqa: E402

TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}}]


def main(base_url: str) -> None:
    client = openai.OpenAI(api_key="sk-python", base_url=base_url, max_retries=0)
    messages = [{"role": "user", "content": "Weather in Paris?"}]
    with client.chat.completions.stream(model="m", messages=messages, tools=TOOLS,
                                        stream_options={"include_usage": True}) as stream:
        first = stream.get_final_completion()
    call = first.choices[0].message.tool_calls[0]
    messages.append({"role": "assistant", "tool_calls": [{"id": call.id, "type": "function",
                     "function": {"name": call.function.name, "arguments": call.function.arguments}}]})
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "sunny"})
    with client.chat.completions.stream(model="m", messages=messages, tools=TOOLS,
                                        stream_options={"include_usage": True}) as stream:
        second = stream.get_final_completion()
    print(json.dumps({"call": call.function.name, "arguments": call.function.arguments,
                      "text": second.choices[0].message.content, "usage": second.usage.total_tokens}))


if __name__ == "__main__":
    main(sys.argv[1])
