#!/usr/bin/env node
// Differential oracle: run Responses stream recordings through the official openai-node SDK
// (npm `openai@7.59.0`) and print the snapshot its `accumulateResponse` builds after every event.
//
// Usage: node responses_accumulate.mjs FILE.sse [FILE2.sse ...]
// (NODE_PATH or a node_modules with `openai` next to the workspace: see `.ci/run`.)
//
// No network: the client's `fetch` answers with the recording's bytes as an event stream, so the
// SDK's own SSE decoder frames it. Output: one JSON line per file, in argument order:
//
//   {"snapshots": [<snapshot after event 0>, ...], "output_text": "...", "sdk_error": "..."?,
//    "final": <final response|null>, "final_output_text": "...", "final_error": "..."?}
//
// A snapshot is the SDK's object with its derived `output_text` taken out (it is printed once,
// for the last snapshot). `final` is what `client.responses.stream(...).finalResponse()` (the
// SDK's `ResponseStream`) gives for the whole body, with the fields it adds of its own
// (`output_text`, `output_parsed`, `parsed` on message parts, `parsed_arguments` on function
// calls) taken out: unlike `accumulateResponse`, it fills a terminal event whose `output` is
// null or absent from the items the stream built (where `accumulateResponse` throws, and
// `snapshots` stops before that event). Where a stream does not start with `response.created` (a resumed
// replay), the SDK refuses it; as `docs/responses.md` says, we start from the first lifecycle
// event instead, and so does this oracle, by handing the SDK that event as `response.created`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { OpenAI } = require('openai');
const { accumulateResponse } = require('openai/lib/responses/ResponseAccumulator');

const lifecycle = new Set([
  'response.created', 'response.queued', 'response.in_progress',
  'response.completed', 'response.failed', 'response.incomplete',
]);

async function run(file) {
  const body = readFileSync(file);
  const client = new OpenAI({
    apiKey: 'sk-oracle',
    baseURL: 'http://oracle.invalid/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  const out = { snapshots: [], output_text: null, final: null, final_output_text: null };
  let snapshot;
  try {
    const stream = await client.responses.create({ model: 'm', input: 'x', stream: true });
    for await (const event of stream) {
      let given = event;
      if (!snapshot && event.type !== 'response.created' && lifecycle.has(event.type)) {
        given = { ...event, type: 'response.created' };
      }
      if (snapshot || given.type === 'response.created') {
        snapshot = accumulateResponse(given, snapshot);
      }
      const copy = snapshot ? structuredClone(snapshot) : null;
      if (copy) {
        out.output_text = copy.output_text ?? null;
        delete copy.output_text;
      }
      out.snapshots.push(copy);
    }
  } catch (err) {
    out.sdk_error = `${err.constructor.name}: ${err.message}`;
  }
  try {
    const final = await client.responses.stream({ model: 'm', input: 'x' }).finalResponse();
    out.final_output_text = final.output_text ?? null;
    out.final = withoutSdkFields(structuredClone(final));
    delete out.final.output_text;
  } catch (err) {
    out.final_error = `${err.constructor.name}: ${err.message}`;
  }
  return out;
}

const sdkAdded = new Set(['output_parsed', 'parsed', 'parsed_arguments']);

function withoutSdkFields(value) {
  if (Array.isArray(value)) return value.map(withoutSdkFields);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !sdkAdded.has(key))
        .map(([key, v]) => [key, withoutSdkFields(v)]),
    );
  }
  return value;
}

for (const file of process.argv.slice(2)) {
  process.stdout.write(JSON.stringify(await run(file)) + '\n');
}
