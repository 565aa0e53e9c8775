#!/usr/bin/env python3
"""Regenerates the SYNTHETIC Responses stream bodies `responses_synthetic_*.sse` in
../recordings/responses/ (deterministic: same bytes every run).

Usage: python make_synthetic_responses.py [OUT_DIR]   (default: ../recordings/responses)

Standard library only. These bodies were NOT recorded from any server: they cover the event
families that no real recording there has (refusal, reasoning text, custom tool input,
file search / web search / image generation status events and partial images, shell command
and shell output events, a local shell call, a `keepalive`) so that `responses_sdk_differential.rs` checks
them against openai-node and openai-python too. They are shaped like the real recordings next
to them: `event:` + `data:` lines, compact JSON, `sequence_number` from 0, `output_index`,
`item_id`, `content_index`, `obfuscation` on delta events, `response.created` first and a
terminal event last. Two variants end on a terminal event without an `output` (null, or the
key absent), so that the accumulated items, not the terminal object's, make the final
response. Event and field shapes follow openai-python 3.57.0's event types and
`../shared/RESPONSES.md`.
"""
from __future__ import annotations

import json
import os
import random
import string
import sys

ALNUM = string.ascii_letters + string.digits
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "recordings", "responses")


def compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class Stream:
    def __init__(self, seed: int, model: str, tools: list, created_at: int):
        self.rng = random.Random(seed)
        self.seq = 0
        self.lines: list[str] = []
        self.model = model
        self.tools = tools
        self.created_at = created_at
        self.id = "resp_" + self.hex()

    def hex(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(50))

    def obfuscation(self, delta: str) -> str:
        # Real streams pad every delta event to a similar size.
        n = max(1, 16 - len(delta)) if len(delta) < 16 else self.rng.randint(2, 6)
        return "".join(self.rng.choice(ALNUM) for _ in range(n))

    def emit(self, kind: str, **fields) -> None:
        event = {"type": kind, "sequence_number": self.seq, **fields}
        self.seq += 1
        self.lines.append(f"event: {kind}\ndata: {compact(event)}\n\n")

    def response(self, status: str, output, usage=None, incomplete=None, **extra) -> dict:
        body = {
            "id": self.id,
            "object": "response",
            "created_at": self.created_at,
            "status": status,
            "background": False,
            "error": None,
            "incomplete_details": incomplete,
            "instructions": None,
            "max_output_tokens": extra.pop("max_output_tokens", None),
            "max_tool_calls": None,
            "model": self.model,
            "output": output,
            "parallel_tool_calls": True,
            "previous_response_id": None,
            "prompt_cache_key": None,
            "reasoning": extra.pop("reasoning", {"effort": None, "summary": None}),
            "safety_identifier": None,
            "service_tier": "auto" if status == "in_progress" else "default",
            "store": True,
            "temperature": 1.0,
            "text": {"format": {"type": "text"}, "verbosity": "medium"},
            "tool_choice": "auto",
            "tools": self.tools,
            "top_logprobs": 0,
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": usage,
            "user": None,
            "metadata": {},
        }
        if output is OMIT:
            del body["output"]
        return body

    def start(self, **extra) -> None:
        self.emit("response.created", response=self.response("in_progress", [], **dict(extra)))
        self.emit("response.in_progress", response=self.response("in_progress", [], **dict(extra)))

    def finish(self, kind: str, status: str, output, usage, **extra) -> None:
        self.emit(kind, response=self.response(status, output, usage, **extra))

    def body(self) -> str:
        return "".join(self.lines)


OMIT = object()


def usage(inp: int, out: int, reasoning: int = 0) -> dict:
    return {
        "input_tokens": inp,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": out,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": inp + out,
    }


def item_id(s: Stream, prefix: str) -> str:
    return f"{prefix}_" + s.hex()


def message(s: Stream, index: int, pieces: list[str], annotations=()) -> dict:
    """A message item with one output_text part streamed in `pieces`; annotations are added
    after the last delta, as the service does."""
    mid = item_id(s, "msg")
    s.emit(
        "response.output_item.added",
        output_index=index,
        item={"id": mid, "type": "message", "status": "in_progress", "content": [], "role": "assistant"},
    )
    empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    s.emit("response.content_part.added", item_id=mid, output_index=index, content_index=0, part=empty)
    for piece in pieces:
        s.emit(
            "response.output_text.delta",
            item_id=mid,
            output_index=index,
            content_index=0,
            delta=piece,
            logprobs=[],
            obfuscation=s.obfuscation(piece),
        )
    for k, annotation in enumerate(annotations):
        s.emit(
            "response.output_text.annotation.added",
            item_id=mid,
            output_index=index,
            content_index=0,
            annotation_index=k,
            annotation=annotation,
        )
    text = "".join(pieces)
    s.emit("response.output_text.done", item_id=mid, output_index=index, content_index=0, text=text, logprobs=[])
    part = {"type": "output_text", "annotations": list(annotations), "logprobs": [], "text": text}
    s.emit("response.content_part.done", item_id=mid, output_index=index, content_index=0, part=part)
    done = {"id": mid, "type": "message", "status": "completed", "content": [part], "role": "assistant"}
    s.emit("response.output_item.done", output_index=index, item=done)
    return done


def empty_reasoning(s: Stream, index: int) -> dict:
    rid = item_id(s, "rs")
    item = {"id": rid, "type": "reasoning", "summary": []}
    s.emit("response.output_item.added", output_index=index, item=item)
    s.emit("response.output_item.done", output_index=index, item=item)
    return item


REFUSAL = ["I'm", " sorry", ",", " but", " I", " can't", " help", " with", " that", "."]


def refusal() -> Stream:
    s = Stream(1, "gpt-4o-mini-2024-07-18", [], 1758070000)
    s.start()
    mid = item_id(s, "msg")
    s.emit(
        "response.output_item.added",
        output_index=0,
        item={"id": mid, "type": "message", "status": "in_progress", "content": [], "role": "assistant"},
    )
    s.emit(
        "response.content_part.added",
        item_id=mid,
        output_index=0,
        content_index=0,
        part={"type": "refusal", "refusal": ""},
    )
    for piece in REFUSAL:
        s.emit(
            "response.refusal.delta",
            item_id=mid,
            output_index=0,
            content_index=0,
            delta=piece,
            obfuscation=s.obfuscation(piece),
        )
    text = "".join(REFUSAL)
    s.emit("response.refusal.done", item_id=mid, output_index=0, content_index=0, refusal=text)
    part = {"type": "refusal", "refusal": text}
    s.emit("response.content_part.done", item_id=mid, output_index=0, content_index=0, part=part)
    done = {"id": mid, "type": "message", "status": "completed", "content": [part], "role": "assistant"}
    s.emit("response.output_item.done", output_index=0, item=done)
    s.finish("response.completed", "completed", [done], usage(14, 10))
    return s


REASONING = [
    "The", " user", " asks", " for", " 17", " *", " 23", ".", " 17", " *", " 20", " =", " 340", ",",
    " 17", " *", " 3", " =", " 51", ",", " total", " 391", ".",
]
ANSWER = ["17", " ×", " 23", " =", " **", "391", "**", "."]


def reasoning_item(s: Stream, index: int, pieces: list[str], finished: bool = True):
    """A reasoning item whose text streams as a `reasoning_text` content part (what
    open-weight reasoning models behind compatible servers send). The added item has no
    `content`: the first part creates it."""
    rid = item_id(s, "rs")
    s.emit("response.output_item.added", output_index=index, item={"id": rid, "type": "reasoning", "summary": []})
    s.emit(
        "response.content_part.added",
        item_id=rid,
        output_index=index,
        content_index=0,
        part={"type": "reasoning_text", "text": ""},
    )
    for piece in pieces:
        s.emit(
            "response.reasoning_text.delta",
            item_id=rid,
            output_index=index,
            content_index=0,
            delta=piece,
            obfuscation=s.obfuscation(piece),
        )
    if not finished:
        return None
    text = "".join(pieces)
    s.emit("response.reasoning_text.done", item_id=rid, output_index=index, content_index=0, text=text)
    part = {"type": "reasoning_text", "text": text}
    s.emit("response.content_part.done", item_id=rid, output_index=index, content_index=0, part=part)
    done = {"id": rid, "type": "reasoning", "summary": [], "content": [part], "status": "completed"}
    s.emit("response.output_item.done", output_index=index, item=done)
    return done


def reasoning_text(seed: int, terminal_output: str) -> Stream:
    s = Stream(seed, "gpt-oss-120b", [], 1758071000)
    effort = {"effort": "low", "summary": None}
    s.start(reasoning=effort)
    items = [reasoning_item(s, 0, REASONING), message(s, 1, ANSWER)]
    output = items if terminal_output == "present" else None
    s.finish("response.completed", "completed", output, usage(20, 38, 24), reasoning=effort)
    return s


def refusal_incomplete_without_output() -> Stream:
    """Cut by `max_output_tokens`: the reasoning item finished, the refusal did not; the
    `response.incomplete` has no `output` key at all."""
    s = Stream(3, "gpt-oss-120b", [], 1758072000)
    extra = {"reasoning": {"effort": "low", "summary": None}, "max_output_tokens": 32}
    s.start(**extra)
    reasoning_item(s, 0, REASONING[:12])
    mid = item_id(s, "msg")
    s.emit(
        "response.output_item.added",
        output_index=1,
        item={"id": mid, "type": "message", "status": "in_progress", "content": [], "role": "assistant"},
    )
    s.emit(
        "response.content_part.added",
        item_id=mid,
        output_index=1,
        content_index=0,
        part={"type": "refusal", "refusal": ""},
    )
    for piece in REFUSAL[:6]:
        s.emit(
            "response.refusal.delta",
            item_id=mid,
            output_index=1,
            content_index=0,
            delta=piece,
            obfuscation=s.obfuscation(piece),
        )
    s.finish(
        "response.incomplete",
        "incomplete",
        OMIT,
        usage(20, 32, 20),
        incomplete={"reason": "max_output_tokens"},
        **extra,
    )
    return s


CUSTOM_INPUT = ["import", " math", "\n", "print", "(", "math", ".", "factorial", "(", "12", "))", "\n"]


def custom_tool_call() -> Stream:
    tools = [{"type": "custom", "description": "Executes arbitrary Python code", "format": {"type": "text"}, "name": "code_exec"}]
    s = Stream(4, "gpt-5-2025-08-07", tools, 1758073000)
    effort = {"effort": "minimal", "summary": None}
    s.start(reasoning=effort)
    reasoning = empty_reasoning(s, 0)
    cid = item_id(s, "ctc")
    call_id = "call_" + "".join(s.rng.choice(ALNUM) for _ in range(24))
    s.emit(
        "response.output_item.added",
        output_index=1,
        item={"id": cid, "type": "custom_tool_call", "status": "in_progress", "call_id": call_id, "input": "", "name": "code_exec"},
    )
    for piece in CUSTOM_INPUT:
        s.emit(
            "response.custom_tool_call_input.delta",
            item_id=cid,
            output_index=1,
            delta=piece,
            obfuscation=s.obfuscation(piece),
        )
    text = "".join(CUSTOM_INPUT)
    s.emit("response.custom_tool_call_input.done", item_id=cid, output_index=1, input=text)
    done = {"id": cid, "type": "custom_tool_call", "status": "completed", "call_id": call_id, "input": text, "name": "code_exec"}
    s.emit("response.output_item.done", output_index=1, item=done)
    s.finish("response.completed", "completed", [reasoning, done], usage(80, 30, 0), reasoning=effort)
    return s


def status_events(s: Stream, family: str, index: int, iid: str, middle: str) -> None:
    for step in ("in_progress", middle):
        s.emit(f"response.{family}.{step}", output_index=index, item_id=iid)


def file_search() -> Stream:
    tools = [{"type": "file_search", "filters": None, "max_num_results": 20, "ranking_options": {"ranker": "auto", "score_threshold": 0.0}, "vector_store_ids": ["vs_68d5f1a2b3c4d5e6f7a8b9c0d1e2f3a4"]}]
    s = Stream(5, "gpt-4o-mini-2024-07-18", tools, 1758074000)
    s.start()
    fid = item_id(s, "fs")
    s.emit("response.output_item.added", output_index=0, item={"id": fid, "type": "file_search_call", "status": "in_progress", "queries": [], "results": None})
    status_events(s, "file_search_call", 0, fid, "searching")
    s.emit("response.file_search_call.completed", output_index=0, item_id=fid)
    done = {"id": fid, "type": "file_search_call", "status": "completed", "queries": ["deep research release date", "What is deep research?"], "results": None}
    s.emit("response.output_item.done", output_index=0, item=done)
    pieces = ["Deep", " research", " is", " an", " agent", " that", " browses", " the", " web", " for", " you", "."]
    citation = {"type": "file_citation", "file_id": "file-2dtbBZdjtDKS8eqWxqbgDi", "filename": "deep_research_blog.pdf", "index": len("".join(pieces)) - 1}
    msg = message(s, 1, pieces, [citation])
    s.finish("response.completed", "completed", [done, msg], usage(1290, 31))
    return s


def web_search() -> Stream:
    tools = [{"type": "web_search", "filters": None, "search_context_size": "medium", "user_location": {"type": "approximate", "city": None, "country": "US", "region": None, "timezone": None}}]
    s = Stream(6, "gpt-4.1-2025-04-14", tools, 1758075000)
    s.start()
    wid = item_id(s, "ws")
    s.emit("response.output_item.added", output_index=0, item={"id": wid, "type": "web_search_call", "status": "in_progress"})
    status_events(s, "web_search_call", 0, wid, "searching")
    s.emit("response.web_search_call.completed", output_index=0, item_id=wid)
    done = {"id": wid, "type": "web_search_call", "status": "completed", "action": {"type": "search", "query": "positive news story today"}}
    s.emit("response.output_item.done", output_index=0, item=done)
    pieces = ["A", " sea", " turtle", " nest", " hatched", " a", " record", " 180", " eggs", " ", "(", "example", ".com", ")", "."]
    text = "".join(pieces)
    start, end = text.index("("), text.index(")") + 1
    citation = {"type": "url_citation", "end_index": end, "start_index": start, "title": "Record turtle hatch", "url": "https://example.com/turtles?utm_source=openai"}
    msg = message(s, 1, pieces, [citation])
    s.finish("response.completed", "completed", [done, msg], usage(310, 25))
    return s


PNG = [
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
]


def image_generation() -> Stream:
    tools = [{"type": "image_generation", "background": "auto", "model": "gpt-image-1", "moderation": "auto", "output_compression": 100, "output_format": "png", "partial_images": 2, "quality": "low", "size": "1024x1024"}]
    s = Stream(7, "gpt-4.1-mini-2025-04-14", tools, 1758076000)
    s.start()
    gid = item_id(s, "ig")
    s.emit("response.output_item.added", output_index=0, item={"id": gid, "type": "image_generation_call", "status": "in_progress", "result": None})
    status_events(s, "image_generation_call", 0, gid, "generating")
    for k in range(2):
        s.emit(
            "response.image_generation_call.partial_image",
            item_id=gid,
            output_index=0,
            partial_image_index=k,
            partial_image_b64=PNG[k],
            background="opaque",
            output_format="png",
            quality="low",
            size="1024x1024",
        )
    s.emit("response.image_generation_call.completed", output_index=0, item_id=gid)
    done = {
        "id": gid,
        "type": "image_generation_call",
        "status": "completed",
        "background": "opaque",
        "output_format": "png",
        "quality": "low",
        "result": PNG[2],
        "revised_prompt": "A single grey pixel on a white background",
        "size": "1024x1024",
    }
    s.emit("response.output_item.done", output_index=0, item=done)
    msg = message(s, 1, ["Here", " is", " your", " pixel", "."])
    s.finish("response.completed", "completed", [done, msg], usage(2270, 88))
    return s


COMMANDS = [["ls", " -la", " /mnt", "/data"], ["wc", " -l", " /mnt", "/data", "/notes", ".txt"]]
STDOUT = [
    ["total 12\n", "drwxr-xr-x 2 root root 4096 .\n", "-rw-r--r-- 1 root root  318 notes.txt\n"],
    ["12 /mnt/data/notes.txt\n"],
]


def shell() -> Stream:
    tools = [{"type": "shell", "environment": {"type": "container_auto", "file_ids": [], "memory_limit": None}}]
    s = Stream(8, "gpt-5.1-2025-11-13", tools, 1758077000)
    effort = {"effort": "none", "summary": None}
    s.start(reasoning=effort)
    reasoning = empty_reasoning(s, 0)
    sid = item_id(s, "sh")
    call_id = "call_" + "".join(s.rng.choice(ALNUM) for _ in range(24))
    action = {"commands": [], "max_output_length": 4096, "timeout_ms": 60000}
    s.emit("response.output_item.added", output_index=1, item={"id": sid, "type": "shell_call", "status": "in_progress", "action": action, "call_id": call_id, "environment": None})
    for k, pieces in enumerate(COMMANDS):
        s.emit("response.shell_call_command.added", output_index=1, command_index=k, command="")
        for piece in pieces:
            s.emit(
                "response.shell_call_command.delta",
                output_index=1,
                command_index=k,
                delta=piece,
                obfuscation=s.obfuscation(piece),
            )
        s.emit("response.shell_call_command.done", output_index=1, command_index=k, command="".join(pieces))
    commands = ["".join(p) for p in COMMANDS]
    call = {"id": sid, "type": "shell_call", "status": "completed", "action": {**action, "commands": commands}, "call_id": call_id, "environment": None}
    s.emit("response.output_item.done", output_index=1, item=call)
    # The container runs the commands: a long wait, bridged by a heartbeat.
    s.emit("keepalive")
    oid = item_id(s, "sho")
    s.emit("response.output_item.added", output_index=2, item={"id": oid, "type": "shell_call_output", "status": "in_progress", "call_id": call_id, "output": [], "max_output_length": 4096})
    outputs = []
    for k, pieces in enumerate(STDOUT):
        for piece in pieces:
            s.emit("response.shell_call_output_content.delta", item_id=oid, output_index=2, command_index=k, delta={"stdout": piece})
        if k == 1:
            s.emit("response.shell_call_output_content.delta", item_id=oid, output_index=2, command_index=k, delta={"stderr": "wc: warning: 1 line without newline\n"})
        content = {"stdout": "".join(pieces), "stderr": "" if k == 0 else "wc: warning: 1 line without newline\n", "outcome": {"type": "exit", "exit_code": 0}}
        s.emit("response.shell_call_output_content.done", item_id=oid, output_index=2, command_index=k, output=[content])
        outputs.append(content)
    out = {"id": oid, "type": "shell_call_output", "status": "completed", "call_id": call_id, "output": outputs, "max_output_length": 4096}
    s.emit("response.output_item.done", output_index=2, item=out)
    msg = message(s, 3, ["notes", ".txt", " has", " 12", " lines", "."])
    s.finish("response.completed", "completed", [reasoning, call, out, msg], usage(410, 60, 0), reasoning=effort)
    return s


def shell_parallel_output() -> Stream:
    """Two commands run at once: the second one's output arrives before the first one's (the
    SDK pads the outputs of the commands before it with empty ones)."""
    tools = [{"type": "shell", "environment": {"type": "container_auto", "file_ids": [], "memory_limit": None}}]
    s = Stream(10, "gpt-5.1-2025-11-13", tools, 1758079000)
    effort = {"effort": "none", "summary": None}
    s.start(reasoning=effort)
    sid = item_id(s, "sh")
    call_id = "call_" + "".join(s.rng.choice(ALNUM) for _ in range(24))
    action = {"commands": [], "max_output_length": None, "timeout_ms": None}
    s.emit("response.output_item.added", output_index=0, item={"id": sid, "type": "shell_call", "status": "in_progress", "action": action, "call_id": call_id, "environment": None})
    commands = ["sleep 2 && echo slow", "echo fast"]
    for k, command in enumerate(commands):
        s.emit("response.shell_call_command.added", output_index=0, command_index=k, command=command)
        s.emit("response.shell_call_command.done", output_index=0, command_index=k, command=command)
    call = {"id": sid, "type": "shell_call", "status": "completed", "action": {**action, "commands": commands}, "call_id": call_id, "environment": None}
    s.emit("response.output_item.done", output_index=0, item=call)
    oid = item_id(s, "sho")
    s.emit("response.output_item.added", output_index=1, item={"id": oid, "type": "shell_call_output", "status": "in_progress", "call_id": call_id, "output": [], "max_output_length": None})
    exit0 = {"type": "exit", "exit_code": 0}
    outputs = [{"stdout": "slow\n", "stderr": "", "outcome": exit0}, {"stdout": "fast\n", "stderr": "", "outcome": exit0}]
    for k in (1, 0):
        s.emit("response.shell_call_output_content.delta", item_id=oid, output_index=1, command_index=k, delta={"stdout": outputs[k]["stdout"]})
    for k in (1, 0):
        s.emit("response.shell_call_output_content.done", item_id=oid, output_index=1, command_index=k, output=[outputs[k]])
    out = {"id": oid, "type": "shell_call_output", "status": "completed", "call_id": call_id, "output": outputs, "max_output_length": None}
    s.emit("response.output_item.done", output_index=1, item=out)
    msg = message(s, 2, ["Both", " commands", " ran", "."])
    s.finish("response.completed", "completed", [call, out, msg], usage(300, 40, 0), reasoning=effort)
    return s


def local_shell() -> Stream:
    tools = [{"type": "local_shell"}]
    s = Stream(9, "codex-mini-latest", tools, 1758078000)
    s.start()
    lid = item_id(s, "lsh")
    call_id = "call_" + "".join(s.rng.choice(ALNUM) for _ in range(24))
    action = {"type": "exec", "command": ["ls", "-la"], "env": {}, "timeout_ms": None, "user": None, "working_directory": None}
    s.emit("response.output_item.added", output_index=0, item={"id": lid, "type": "local_shell_call", "status": "in_progress", "action": action, "call_id": call_id})
    done = {"id": lid, "type": "local_shell_call", "status": "completed", "action": action, "call_id": call_id}
    s.emit("response.output_item.done", output_index=0, item=done)
    s.finish("response.completed", "completed", [done], usage(120, 18))
    return s


STREAMS = {
    "responses_synthetic_refusal.sse": refusal,
    "responses_synthetic_reasoning_text.sse": lambda: reasoning_text(2, "present"),
    "responses_synthetic_reasoning_text_null_output.sse": lambda: reasoning_text(2, "null"),
    "responses_synthetic_refusal_incomplete_no_output.sse": refusal_incomplete_without_output,
    "responses_synthetic_custom_tool_call.sse": custom_tool_call,
    "responses_synthetic_file_search.sse": file_search,
    "responses_synthetic_web_search.sse": web_search,
    "responses_synthetic_image_generation.sse": image_generation,
    "responses_synthetic_shell.sse": shell,
    "responses_synthetic_shell_parallel_output.sse": shell_parallel_output,
    "responses_synthetic_local_shell.sse": local_shell,
}


def main(argv: list[str]) -> int:
    out = argv[1] if len(argv) > 1 else OUT
    for name, make in STREAMS.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(make().body())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
