#!/usr/bin/env python3
"""Drives the test server with the official openai SDK (openai==3.57.0), as a user would.

Usage: python client.py BASE_URL

Creates an assistant with one function tool, a thread and a message, streams a run with an
event handler, answers the tool call with submit_tool_outputs_stream, then prints one JSON
object: what the SDK accumulated and what the server returns afterwards.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import openai  # noqa: E402
from openai import AssistantEventHandler  # noqa: E402


class Handler(AssistantEventHandler):
    def __init__(self):
        super().__init__()
        self.text = ""
        self.events = []

    def on_event(self, event):
        self.events.append(event.event)

    def on_text_delta(self, delta, snapshot):
        self.text += delta.value or ""


def main():
    client = openai.OpenAI(api_key="sk-test", base_url=sys.argv[1], max_retries=0)
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="Weather in Paris?")

    first = Handler()
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=first) as stream:
        stream.until_done()
    run = first.current_run
    calls = run.required_action.submit_tool_outputs.tool_calls

    second = Handler()
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": c.id, "output": "sunny, 21C"} for c in calls],
        event_handler=second,
    ) as stream:
        stream.until_done()
    final_messages = second.get_final_messages()
    final_run = second.get_final_run()

    listed = client.beta.threads.messages.list(thread.id, order="desc", limit=1)
    retrieved = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    print(json.dumps({
        "first_status": run.status,
        "calls": [{"name": c.function.name, "arguments": c.function.arguments} for c in calls],
        "first_events": first.events,
        "text_deltas": second.text,
        "final_text": final_messages[0].content[0].text.value,
        "final_citation": final_messages[0].content[0].text.annotations[0].file_citation.file_id,
        "final_run_status": final_run.status,
        "listed_text": listed.data[0].content[0].text.value,
        "listed_id": listed.data[0].id,
        "final_id": final_messages[0].id,
        "retrieved_status": retrieved.status,
        "retrieved_usage": retrieved.usage.total_tokens,
        "final_usage": final_run.usage.total_tokens,
    }, ensure_ascii=False))


main()
