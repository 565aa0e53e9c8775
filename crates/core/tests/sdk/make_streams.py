#!/usr/bin/env python3
"""Regenerates the stream captures in ../streams/ (deterministic: same bytes every run).

Usage: python make_streams.py [OUT_DIR]   (default: ../streams next to this file)

Standard library only. Each capture is modelled on what OpenAI's v2 Assistants API (or, for
the `astra-*` files, DataStax Astra) puts on the wire; see ../streams/README.md for what each
one covers. Objects use only fields of the v2 objects of the OpenAI OpenAPI spec (a source
named at the top of docs/protocol.md; its "Events" section lists the events).
"""
from __future__ import annotations

import json
import os
import random
import string
import sys

ALNUM = string.ascii_letters + string.digits
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "streams")


def compact(obj) -> str:  # OpenAI: compact JSON, raw UTF-8
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def spaced(obj) -> str:  # Astra (pydantic v1 `.json()`): json.dumps defaults
    return json.dumps(obj)


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
        "strict": False,
    },
}
TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_local_time",
        "description": "Get the local time in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
        "strict": False,
    },
}
CODE_TOOL = {"type": "code_interpreter"}
SEARCH_TOOL = {
    "type": "file_search",
    "file_search": {
        "max_num_results": 20,
        "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
    },
}


class Stream:
    """Builds one capture: a list of (event name, data object) plus wire details."""

    def __init__(self, seed: int, t0: int, *, model="gpt-4o-2024-08-06", tools=(),
                 instructions="You are a helpful assistant.", astra=False, thread_id=None,
                 assistant_id=None, run_id=None, max_completion_tokens=None):
        self.rnd = random.Random(seed)
        self.t = t0
        self.astra = astra
        self.model = model
        self.tools = list(tools)
        self.instructions = instructions
        self.max_completion_tokens = max_completion_tokens
        self.frames: list[tuple[str, object]] = []
        self.thread_id = thread_id or self.gid("thread_")
        self.assistant_id = assistant_id or self.gid("asst_")
        self.run_id = run_id or self.gid("run_")
        self.run_created_at = t0
        self.run_started_at = None

    # ids and time -----------------------------------------------------------------------
    def gid(self, prefix: str, n: int = 24) -> str:
        if self.astra:  # Astra: uuid1 strings, no prefix
            h = "".join(self.rnd.choice("0123456789abcdef") for _ in range(32))
            variant = "89ab"[int(h[16], 16) % 4]
            return f"{h[:8]}-{h[8:12]}-11ef-{variant}{h[17:20]}-{h[20:32]}"
        return prefix + "".join(self.rnd.choice(ALNUM) for _ in range(n))

    def file_id(self) -> str:
        return "file-" + "".join(self.rnd.choice(ALNUM) for _ in range(22))

    def tick(self, s: int = 1) -> int:
        self.t += s
        return self.ts(self.t)

    def ts(self, t: int) -> int:
        return t * 1000 if self.astra else t

    # objects ----------------------------------------------------------------------------
    def _obj(self, d: dict, over: dict) -> dict:
        d.update(over)
        return drop_nulls(d) if self.astra else d

    def run(self, status: str, **over) -> dict:
        return self._obj({
            "id": self.run_id,
            "object": "thread.run",
            "created_at": self.ts(self.run_created_at),
            "assistant_id": self.assistant_id,
            "thread_id": self.thread_id,
            "status": status,
            "started_at": self.run_started_at,
            "expires_at": self.ts(self.run_created_at + 600),
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "required_action": None,
            "last_error": None,
            "model": self.model,
            "instructions": self.instructions,
            "tools": self.tools,
            "metadata": {},
            "temperature": 1.0,
            "top_p": 1.0,
            "max_completion_tokens": self.max_completion_tokens,
            "max_prompt_tokens": None,
            "truncation_strategy": {"type": "auto", "last_messages": None},
            "incomplete_details": None,
            "usage": None,
            "response_format": "auto",
            "tool_choice": "auto",
            "parallel_tool_calls": True,
        }, over)

    def step(self, step_id: str, kind: str, details: dict, status: str = "in_progress",
             created_at: int | None = None, **over) -> dict:
        return self._obj({
            "id": step_id,
            "object": "thread.run.step",
            "created_at": created_at if created_at is not None else self.ts(self.t),
            "run_id": self.run_id,
            "assistant_id": self.assistant_id,
            "thread_id": self.thread_id,
            "type": kind,
            "status": status,
            "cancelled_at": None,
            "completed_at": None,
            "expired_at": None,
            "failed_at": None,
            "last_error": None,
            "step_details": details,
            "usage": None,
        }, over)

    def message(self, msg_id: str, content: list, status: str = "in_progress",
                created_at: int | None = None, **over) -> dict:
        return self._obj({
            "id": msg_id,
            "object": "thread.message",
            "created_at": created_at if created_at is not None else self.ts(self.t),
            "assistant_id": self.assistant_id,
            "thread_id": self.thread_id,
            "run_id": self.run_id,
            "status": status,
            "incomplete_details": None,
            "incomplete_at": None,
            "completed_at": None,
            "role": "assistant",
            "content": content,
            "attachments": [],
            "metadata": {},
        }, over)

    # events: runs -----------------------------------------------------------------------
    def ev(self, name: str, data) -> None:
        self.frames.append((name, data))

    def run_start(self, created=True):
        if created:
            self.ev("thread.run.created", self.run("queued"))
        self.ev("thread.run.queued", self.run("queued"))
        self.tick()
        self.run_started_at = self.ts(self.t)
        self.ev("thread.run.in_progress", self.run("in_progress"))

    def run_end(self, status: str, usage: tuple, **over):
        """`thread.run.<status>` for a run that has stopped (no `expires_at` any more)."""
        self.ev(f"thread.run.{status}", self.run(status, expires_at=None,
                                                  usage=usage_obj(*usage), **over))

    def run_completed(self, usage=(812, 64)):
        self.run_end("completed", usage, completed_at=self.tick())

    def requires_action(self, *calls):
        """Ticks, then `thread.run.requires_action` for function `calls` (id, name, arguments)."""
        self.tick()
        ra = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [
            tool_call(call_id, "function", {"name": name, "arguments": args})
            for call_id, name, args in calls]}}
        self.ev("thread.run.requires_action", self.run("requires_action", required_action=ra))

    # events: steps ----------------------------------------------------------------------
    def open_step(self, step: dict, in_progress=True) -> dict:
        self.ev("thread.run.step.created", step)
        if in_progress:
            self.ev("thread.run.step.in_progress", step)
        return step

    def open_tool_step(self, n_calls: int = 1):
        """A tool_calls step (created + in_progress); returns (step, call ids)."""
        step_id = self.gid("step_")
        call_ids = [self.gid("call_") for _ in range(n_calls)]
        self.tick()
        step = self.open_step(self.step(step_id, "tool_calls",
                                        {"type": "tool_calls", "tool_calls": []}))
        return step, call_ids

    def end_step(self, step: dict, status="completed", details=None, usage=None, **over):
        """`thread.run.step.<status>` for `step`, stamped `<status>_at` now."""
        if usage is not None:
            over["usage"] = usage_obj(*usage)
        over[f"{status}_at"] = self.ts(self.t)
        self.ev(f"thread.run.step.{status}", self.step(
            step["id"], step["type"], details or step["step_details"], status,
            created_at=step["created_at"], **over))

    def step_delta(self, step_id: str, *tool_calls) -> None:
        self.ev("thread.run.step.delta", {"id": step_id, "object": "thread.run.step.delta",
                                          "delta": {"step_details": tool_details(*tool_calls)}})

    def function_call(self, step_id: str, index: int, call_id: str, name: str, args: list[str]):
        """Opens a function call at `index`, then streams its `arguments` one fragment a delta."""
        self.step_delta(step_id, fn_open(index, call_id, name))
        for a in args:
            self.step_delta(step_id, fn_args(index, a))

    def code_call(self, step_id: str, call_id: str, pieces: list[str], outputs: list[dict]):
        """A code_interpreter call at index 0: opened, `input` in `pieces`, then each output."""
        self.step_delta(step_id, call_delta(0, "code_interpreter", {"input": "", "outputs": []},
                                            call_id))
        for p in pieces:
            self.step_delta(step_id, call_delta(0, "code_interpreter", {"input": p}))
        for i, out in enumerate(outputs):
            self.step_delta(step_id, call_delta(0, "code_interpreter",
                                                {"outputs": [dict(index=i, **out)]}))

    # events: messages -------------------------------------------------------------------
    def open_message(self, step_id=None, *, tick=True, created_at=None, in_progress=True):
        """A message_creation step and its empty message: `created` (and `in_progress`) events
        for both. Returns (step, message)."""
        step_id = step_id or self.gid("step_")
        msg_id = self.gid("msg_")
        if tick:
            self.tick()
        details = {"type": "message_creation", "message_creation": {"message_id": msg_id}}
        step = self.open_step(self.step(step_id, "message_creation", details,
                                        created_at=created_at), in_progress)
        msg = self.message(msg_id, [])
        self.ev("thread.message.created", msg)
        if in_progress:
            self.ev("thread.message.in_progress", msg)
        return step, msg

    def end_message(self, msg: dict, content: list, status="completed", emit=True, **over):
        """`thread.message.<status>` for `msg` with its final `content`, stamped `<status>_at`
        now (emitted unless `emit` is false); returns the message object."""
        over[f"{status}_at"] = self.ts(self.t)
        final = self.message(msg["id"], content, status, created_at=msg["created_at"], **over)
        if emit:
            self.ev(f"thread.message.{status}", final)
        return final

    def msg_delta(self, msg_id: str, parts: list, role=None) -> None:
        delta = {"role": role, "content": parts} if role else {"content": parts}
        self.ev("thread.message.delta", {"id": msg_id, "object": "thread.message.delta",
                                         "delta": delta})

    def text_deltas(self, msg_id: str, pieces: list[str], *, index=0,
                    annotations: dict | None = None) -> dict:
        """Streams content part `index` as text deltas, one a piece; returns the final part.

        `annotations` maps a piece position to a list of annotation objects (without index)
        that arrive in that piece's delta."""
        text, anns = "", []
        for i, piece in enumerate(pieces):
            t = {"value": piece}
            if i == 0:
                t["annotations"] = []
            new = []
            for a in (annotations or {}).get(i, []):
                a = dict(a)
                a["start_index"] = len(text) + piece.index(a["text"])
                a["end_index"] = a["start_index"] + len(a["text"])
                new.append(a)
            if new:
                t["annotations"] = [dict(index=len(anns) + k, **a) for k, a in enumerate(new)]
                anns.extend(new)
            text += piece
            self.msg_delta(msg_id, [{"index": index, "type": "text", "text": t}])
        return text_part(text, anns)

    def text_message(self, pieces: list[str], *, annotations: dict | None = None,
                     complete=True, step_complete=True, usage=(812, 64)):
        """A message_creation step and a one-part text message streamed in `pieces`."""
        step, msg = self.open_message()
        part = self.text_deltas(msg["id"], pieces, annotations=annotations)
        self.tick()
        self.end_message(msg, [part], emit=complete)
        if step_complete:
            self.end_step(step, usage=usage)

    # wire -------------------------------------------------------------------------------
    def render(self, *, done=True, framing="openai", eol="\n", nospace=False,
               pings: dict | None = None) -> str:
        out = []
        sep = ":" if nospace else ": "
        for i, (name, data) in enumerate(self.frames):
            for comment in (pings or {}).get(i, []):
                out.append(comment + eol)
            if framing == "astra":
                out.append("data" + sep + spaced({"event": name, "data": data}) + eol + eol)
            else:
                payload = data if isinstance(data, str) else compact(data)
                out.append("event" + sep + name + eol + "data" + sep + payload + eol + eol)
        if done:
            out.append("event" + sep + "done" + eol + "data" + sep + "[DONE]" + eol + eol)
        return "".join(out)


def drop_nulls(value):
    """Astra serializes with exclude_none: null fields are absent, at every depth."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def usage_obj(p: int, c: int) -> dict:
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def text_part(value: str, annotations=()) -> dict:
    return {"type": "text", "text": {"value": value, "annotations": list(annotations)}}


def astra_text_delta(s: Stream, msg_id: str, index: int, value: str) -> None:
    """Astra's deltas carry `role` and no `annotations`."""
    s.msg_delta(msg_id, [{"index": index, "type": "text", "text": {"value": value}}],
                role="assistant")


def call_delta(index: int, kind: str, body: dict, call_id: str | None = None) -> dict:
    """One entry of a step delta's `tool_calls` (`id` only on the entry that opens the call)."""
    d = {"index": index, "id": call_id} if call_id else {"index": index}
    d["type"] = kind
    d[kind] = body
    return d


def fn_open(index: int, call_id: str, name: str) -> dict:
    return call_delta(index, "function", {"name": name, "arguments": "", "output": None}, call_id)


def fn_args(index: int, args: str) -> dict:
    return call_delta(index, "function", {"arguments": args})


def tool_call(call_id: str, kind: str, body: dict) -> dict:
    """A whole tool call, as in a finished step or `required_action`."""
    return {"id": call_id, "type": kind, kind: body}


def tool_details(*calls) -> dict:
    return {"type": "tool_calls", "tool_calls": list(calls)}


def words(text: str, rnd: random.Random, lo=1, hi=3) -> list[str]:
    """Split text into token-like pieces (each starting at a word boundary, sometimes split)."""
    toks, cur = [], ""
    for ch in text:
        if ch == " " and cur:
            toks.append(cur)
            cur = ""
        cur += ch
    if cur:
        toks.append(cur)
    out = []
    for t in toks:
        while len(t) > 6 and rnd.random() < 0.5:
            cut = rnd.randint(2, len(t) - 2)
            out.append(t[:cut])
            t = t[cut:]
        out.append(t)
    return out


def citation(text: str, file_id: str) -> dict:
    return {"type": "file_citation", "text": text, "file_citation": {"file_id": file_id}}


# ---------------------------------------------------------------------------------------
# The captures
# ---------------------------------------------------------------------------------------

def s01_text_annotations():
    s = Stream(101, 1718035200, tools=[SEARCH_TOOL],
               instructions="Answer questions about the uploaded financial reports. Cite sources.")
    s.run_start()
    cit_file, path_file = s.file_id(), s.file_id()
    pieces = ["The", " Q3", " report", " shows", " revenue", " of", " $4.2M", ",", " up", " 12%",
              " year", " over", " year", "【4:0†report.pdf】", ".", " I", "'ve", " exported",
              " the", " quarterly", " breakdown", ":", " [Download", " q3_breakdown.csv",
              "](", "sandbox:/mnt/data/q3_breakdown.csv", ")", " — it", " has", " one",
              " row", " per", " region", "."]
    anns = {
        13: [citation("【4:0†report.pdf】", cit_file)],
        25: [{"type": "file_path", "text": "sandbox:/mnt/data/q3_breakdown.csv",
              "file_path": {"file_id": path_file}}],
    }
    s.text_message(pieces, annotations=anns, usage=(2114, 48))
    s.run_completed(usage=(2114, 48))
    return s.render()


def s02_multi_part_text():
    s = Stream(102, 1718038800)
    s.ev("thread.created", {"id": s.thread_id, "object": "thread", "created_at": s.t - 1,
                            "metadata": {}, "tool_resources": {}})
    s.run_start()
    step, msg = s.open_message()
    part0 = s.text_deltas(msg["id"], ["Here", " is", " the", " haiku", " you", " asked", " for",
                                      ":"])
    part1 = s.text_deltas(msg["id"], ["An", " old", " silent", " pond", "\n", "A", " frog",
                                      " jumps", " into", " the", " pond", "\n", "Splash", "!",
                                      " Silence", " again", "."], index=1)
    s.tick()
    s.end_message(msg, [part0, part1])
    s.end_step(step, usage=(95, 31))
    s.run_completed(usage=(95, 31))
    return s.render()


def s03_image_file():
    s = Stream(103, 1718042400, tools=[CODE_TOOL])
    s.run_start()
    step, msg = s.open_message()
    img = s.file_id()
    s.msg_delta(msg["id"], [{"index": 0, "type": "image_file", "image_file": {"file_id": img}}])
    text = s.text_deltas(msg["id"], ["The", " chart", " above", " plots", " monthly", " sign-ups",
                                     " for", " 2024", ";", " March", " is", " the", " peak", "."],
                         index=1)
    s.tick()
    s.end_message(msg, [{"type": "image_file", "image_file": {"file_id": img, "detail": "auto"}},
                        text])
    s.end_step(step, usage=(1520, 22))
    s.run_completed(usage=(1520, 22))
    return s.render()


def s04_refusal():
    s = Stream(104, 1718046000, instructions="Extract the fields as JSON.")
    s.run_start()
    step, msg = s.open_message()
    pieces = ["I'm", " sorry", ",", " but", " I", " can't", " help", " with", " that",
              " request", "."]
    for p in pieces:
        s.msg_delta(msg["id"], [{"index": 0, "type": "refusal", "refusal": p}])
    s.tick()
    s.end_message(msg, [{"type": "refusal", "refusal": "".join(pieces)}])
    s.end_step(step, usage=(233, 11))
    s.run_completed(usage=(233, 11))
    return s.render()


# The function-call run (05) and its continuation (07) share ids.
_FN = {}


def s05_function_call():
    s = Stream(105, 1718049600, tools=[WEATHER_TOOL])
    s.run_start()
    step, (call_id,) = s.open_tool_step()
    args = ['{"', 'city', '":"', 'Paris', '",', '"', 'unit', '":"', 'cel', 'sius', '"}']
    s.function_call(step["id"], 0, call_id, "get_weather", args)
    _FN.update(thread=s.thread_id, asst=s.assistant_id, run=s.run_id, step=step, call=call_id,
               t0=s.run_created_at, started=s.run_started_at, args="".join(args))
    s.requires_action((call_id, "get_weather", _FN["args"]))
    return s.render()


def s06_parallel_function_calls():
    s = Stream(106, 1718053200, tools=[WEATHER_TOOL, TIME_TOOL])
    s.run_start()
    step, (c0, c1) = s.open_tool_step(2)
    # the first delta opens both calls
    s.step_delta(step["id"], fn_open(0, c0, "get_weather"), fn_open(1, c1, "get_local_time"))
    a0 = ['{"', 'city', '":', ' "', 'Tok', 'yo', '"', '}']
    a1 = ['{"', 'city', '":', ' "', 'Tok', 'yo', '"}']
    seq = []
    for i in range(max(len(a0), len(a1))):
        if i < len(a0):
            seq.append((0, a0[i]))
        if i < len(a1):
            seq.append((1, a1[i]))
    # interleave: one fragment per delta, except one delta (the 7th) carrying both indexes
    groups = [[f] for f in seq[:6]] + [seq[6:8]] + [[f] for f in seq[8:]]
    for group in groups:
        s.step_delta(step["id"], *(fn_args(idx, a) for idx, a in group))
    s.requires_action((c0, "get_weather", "".join(a0)), (c1, "get_local_time", "".join(a1)))
    return s.render()


def s07_submit_tool_outputs_continuation():
    assert _FN, "05 must be built first"
    s = Stream(107, _FN["t0"] + 9, tools=[WEATHER_TOOL], thread_id=_FN["thread"],
               assistant_id=_FN["asst"], run_id=_FN["run"])
    s.run_created_at = _FN["t0"]
    s.run_started_at = _FN["started"]
    s.run_start(created=False)
    output = '{"city":"Paris","temperature":18,"unit":"celsius","conditions":"light rain"}'
    s.end_step(_FN["step"], details=tool_details(tool_call(_FN["call"], "function", {
        "name": "get_weather", "arguments": _FN["args"], "output": output})), usage=(187, 19))
    pieces = ["It's", " currently", " 18", " °C", " in", " Paris", " with", " light", " rain",
              " —", " bring", " an", " umbrella", " ☔", "."]
    s.text_message(pieces, usage=(264, 17))
    s.run_completed(usage=(451, 36))
    return s.render()


def s08_code_interpreter():
    s = Stream(108, 1718056800, tools=[CODE_TOOL],
               instructions="You are a data analyst. Use code to answer.")
    s.run_start()
    step, (call_id,) = s.open_tool_step()
    code = ("import matplotlib.pyplot as plt\nxs = list(range(1, 11))\nys = [x**2 for x in xs]\n"
            "print(sum(ys))\nplt.plot(xs, ys)\nplt.savefig('/mnt/data/squares.png')")
    pieces = words(code, s.rnd)
    outputs = [{"type": "logs", "logs": "385\n"},
               {"type": "image", "image": {"file_id": s.file_id()}}]
    s.code_call(step["id"], call_id, pieces, outputs)
    s.tick(3)
    s.end_step(step, details=tool_details(tool_call(call_id, "code_interpreter",
                                                    {"input": code, "outputs": outputs})),
               usage=(402, 61))
    s.text_message(["The", " sum", " of", " the", " first", " ten", " squares", " is", " 385",
                    ";", " the", " plot", " is", " saved", " as", " squares.png", "."],
                   usage=(530, 17))
    s.run_completed(usage=(932, 78))
    return s.render()


def s09_file_search():
    s = Stream(109, 1718060400, tools=[SEARCH_TOOL],
               instructions="Answer from the product manual.")
    s.run_start()
    step, (call_id,) = s.open_tool_step()
    s.step_delta(step["id"], call_delta(0, "file_search", {}, call_id))
    s.tick(2)
    s.end_step(step, details=tool_details(tool_call(call_id, "file_search", {
        "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
        "results": []})), usage=(1210, 18))
    manual = s.file_id()
    pieces = ["Hold", " the", " reset", " button", " for", " 10", " seconds", " until", " the",
              " LED", " blinks", " amber", "【6:2†manual.pdf】", "."]
    s.text_message(pieces, annotations={12: [citation("【6:2†manual.pdf】", manual)]},
                   usage=(3311, 29))
    s.run_completed(usage=(4521, 47))
    return s.render()


def s10_run_failed():
    s = Stream(110, 1718064000)
    s.run_start()
    step, msg = s.open_message()
    s.text_deltas(msg["id"], ["Let", " me", " look", " into", " that"])
    err = {"code": "server_error", "message": "Sorry, something went wrong."}
    s.tick(4)
    s.end_step(step, "failed", last_error=err)
    s.run_end("failed", (48, 5), failed_at=s.ts(s.t), last_error=err)
    return s.render()


def s11_run_incomplete():
    s = Stream(111, 1718067600, max_completion_tokens=16)  # on every run object
    s.run_start()
    step, msg = s.open_message()
    text = s.text_deltas(msg["id"], ["Photosynthesis", " is", " the", " process", " by", " which",
                                     " green", " plants", " convert", " light", " energy", " into",
                                     " chemical", " energy", ",", " storing"])
    s.tick()
    s.end_message(msg, [text], "incomplete", incomplete_details={"reason": "max_tokens"})
    s.end_step(step, usage=(40, 16))
    s.run_end("incomplete", (40, 16), incomplete_details={"reason": "max_completion_tokens"})
    return s.render()


def s12_run_cancelled():
    s = Stream(112, 1718071200)
    s.run_start()
    step, msg = s.open_message()
    text = s.text_deltas(msg["id"], ["Chapter", " 1", ".", " It", " was", " a", " dark", " and",
                                     " stormy", " night"])
    s.tick()
    s.ev("thread.run.cancelling", s.run("cancelling"))
    s.tick()
    s.end_message(msg, [text], "incomplete", incomplete_details={"reason": "run_cancelled"})
    s.end_step(step, "cancelled")
    s.run_end("cancelled", (120, 10), cancelled_at=s.ts(s.t))
    return s.render()


def s13_error_event():
    s = Stream(113, 1718074800)
    s.run_start()
    s.text_message(["Sure", ",", " here", " are", " three", " ideas", ":", "\n\n1", "."],
                   complete=False, step_complete=False)
    s.frames.append(("error", compact({"code": "server_error",
                                       "message": "The server had an error while processing your request. Sorry about that!",
                                       "param": None, "type": "server_error"})))
    return s.render(done=False)


def s14_unknown_event():
    s = Stream(114, 1718078400)
    s.run_start()
    s.text_message(["Hello", "!", " How", " can", " I", " help", " you", " today", "?"],
                   usage=(22, 9))
    # an event name this client has never heard of, right before the step completes
    step_id = s.frames[3][1]["id"]
    s.frames.insert(len(s.frames) - 1, ("thread.run.step.frobnicated",
                                        {"id": step_id, "object": "thread.run.step.frobnication",
                                         "frob_level": 3, "notes": ["a", "b"]}))
    s.run_completed(usage=(22, 9))
    return s.render()


def s15_astra_json_framing():
    s = Stream(115, 1718082000, model="gpt-4o-mini", astra=True,
               instructions="You are a concise assistant.")
    # Astra's run_event_stream: thread.run.created carries Astra's own status "created"
    s.ev("thread.run.created", s.run("created"))
    s.run_start(created=False)
    s.ev("thread.run.in_progress", s.run("in_progress"))  # Astra repeats it
    step, msg = s.open_message()
    # polled once a second: chunks of many tokens, all at index 0
    chunks = ["Cassandra is a distributed", " wide-column database built for",
              " high write throughput and no single point", " of failure — ideal for time-series data."]
    for c in chunks:
        astra_text_delta(s, msg["id"], 0, c)
    s.tick(2)
    s.end_message(msg, [text_part("".join(chunks))])
    s.end_step(step)
    s.ev("thread.run.completed", s.run("completed", completed_at=s.ts(s.t)))
    return s.render(framing="astra", done=False)


def _plain_text_run(seed, t0, text):
    s = Stream(seed, t0)
    s.run_start()
    s.text_message(words(text, s.rnd), usage=(57, 21))
    s.run_completed(usage=(57, 21))
    return s


def s16_crlf_comments_nospace():
    s = _plain_text_run(116, 1718085600,
                        "Line endings are CRLF here, with keep-alive comments between events.")
    pings = {0: [": ping"], 3: [": ping"], 7: [": ping", ": keep-alive"], len(s.frames) - 1: [":"]}
    return s.render(eol="\r\n", nospace=True, pings=pings)


def s17_lone_cr():
    s = _plain_text_run(117, 1718089200, "Every line in this stream ends with a lone carriage return.")
    return s.render(eol="\r", pings={5: [": ping"]})


def s18_cut_mid_deltas():
    s = Stream(118, 1718092800, tools=[SEARCH_TOOL])
    s.run_start()
    guide = s.file_id()
    pieces = ["Per", " the", " onboarding", " guide", "【3:1†guide.md】", ",", " new", " hires",
              " get", " a", " laptop", " on", " day", " one", " and", " ..."]
    s.text_message(pieces, annotations={4: [citation("【3:1†guide.md】", guide)]},
                   complete=False, step_complete=False)
    full = s.render(done=False)
    # cut after the 10th text delta: its event and data lines are there, the blank line is not
    frames = full.split("\n\n")
    n_before = [i for i, f in enumerate(frames) if f.startswith("event: thread.message.delta")][9]
    return "\n\n".join(frames[:n_before]) + "\n\n" + frames[n_before] + "\n"


def s19_cut_after_message_created():
    s = Stream(119, 1718096400, tools=[CODE_TOOL])
    s.run_start()
    step, (call_id,) = s.open_tool_step()
    s.code_call(step["id"], call_id, ["import", " math", "\n", "print", "(math", ".factorial",
                                      "(20", "))"],
                [{"type": "logs", "logs": "2432902008176640000\n"}])
    # step never completed here; a message starts and the connection drops right after
    s.open_message(in_progress=False)
    return s.render(done=False)


def s20_cut_inside_data_line():
    s = Stream(120, 1718100000, tools=[WEATHER_TOOL, TIME_TOOL])
    s.run_start()
    step, (c0, c1) = s.open_tool_step(2)
    s.function_call(step["id"], 0, c0, "get_weather", ['{"', 'city', '":"', 'Lima', '"}'])
    s.function_call(step["id"], 1, c1, "get_local_time", ['{"', 'city', '":"', 'Li', 'ma"}'])
    full = s.render(done=False)
    # drop the connection in the middle of the last data line
    cut = full.rindex('"arguments":"ma') + len('"arguments":"m')
    return full[:cut]


def s21_many_tiny_deltas():
    s = Stream(121, 1718103600, instructions="Tell long stories.")
    s.run_start()
    text = ("Once upon a time, in a village tucked between two rivers, there lived a clockmaker "
            "named Ilse who could mend anything that ticked. Travellers brought her pocket "
            "watches, tower bells and once, improbably, a mechanical heron that had forgotten "
            "how to fly. She worked by lamplight, humming, and every repaired thing left her "
            "shop a little truer than it came in. One winter a child arrived with a broken "
            "music box that played no tune at all — only silence, carefully wound. Ilse "
            "listened to it for a long while before she understood that it was not broken; "
            "it was waiting for someone to remember the song. So she sang. ✨ The end.")
    pieces = []
    i = 0
    while i < len(text):
        n = s.rnd.choice([1, 1, 2, 2, 3])
        pieces.append(text[i:i + n])
        i += n
    assert len(pieces) >= 200, len(pieces)
    s.text_message(pieces, usage=(31, 148))
    s.run_completed(usage=(31, 148))
    return s.render()


def s22_astra_index_per_delta():
    s = Stream(122, 1718107200, model="gpt-4o-mini", astra=True, tools=[WEATHER_TOOL],
               instructions="Use tools when needed.")
    # Astra's message_delta_streamer (submit_tool_outputs, stream=true)
    s.tick(6)
    s.run_started_at = None
    s.ev("thread.run.queued", s.run("queued"))
    s.ev("thread.run.in_progress", s.run("in_progress"))
    # Astra reuses the run id as the step id and the run's created_at
    _, msg = s.open_message(s.run_id, tick=False, created_at=s.ts(s.run_created_at))
    for i, tok in enumerate(["The", " weather", " in", " Oslo", " is", " 4", "°C", " and",
                             " cloudy", "."]):
        astra_text_delta(s, msg["id"], i, tok)
    # the body just ends: no message/step/run completion, no done
    return s.render(framing="astra", done=False)


CAPTURES = [
    ("01-text-annotations", s01_text_annotations),
    ("02-multi-part-text", s02_multi_part_text),
    ("03-image-file", s03_image_file),
    ("04-refusal", s04_refusal),
    ("05-function-call-requires-action", s05_function_call),
    ("06-parallel-function-calls", s06_parallel_function_calls),
    ("07-submit-tool-outputs-continuation", s07_submit_tool_outputs_continuation),
    ("08-code-interpreter", s08_code_interpreter),
    ("09-file-search", s09_file_search),
    ("10-run-failed", s10_run_failed),
    ("11-run-incomplete", s11_run_incomplete),
    ("12-run-cancelled", s12_run_cancelled),
    ("13-error-event", s13_error_event),
    ("14-unknown-event", s14_unknown_event),
    ("15-astra-json-framing", s15_astra_json_framing),
    ("16-crlf-comments-nospace", s16_crlf_comments_nospace),
    ("17-lone-cr", s17_lone_cr),
    ("18-cut-mid-deltas", s18_cut_mid_deltas),
    ("19-cut-after-message-created", s19_cut_after_message_created),
    ("20-cut-inside-data-line", s20_cut_inside_data_line),
    ("21-many-tiny-deltas", s21_many_tiny_deltas),
    ("22-astra-index-per-delta", s22_astra_index_per_delta),
]


def main(argv):
    out = argv[1] if len(argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    for name, build in CAPTURES:
        body = build().encode("utf-8")
        with open(os.path.join(out, name + ".sse"), "wb") as f:
            f.write(body)
        print(f"{name}.sse {len(body)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
