#!/usr/bin/env node
// Differential oracle: run Chat Completions recordings through openai-node 7.59.0's
// `client.chat.completions.stream(...)` and print its `finalChatCompletion()`.
//
// Usage (where `node_modules/openai` is): node chat_accumulate.mjs FILE.sse [FILE2.sse ...]
// No network: the client's `fetch` answers with the recording's bytes. One JSON line per file:
// {"completion": <ChatCompletion|null>, "snapshots": [<the stream's snapshot after each chunk>],
// "sdk_error": "..."?}, with the fields the SDK adds of
// its own (`parsed`, `parsed_arguments`) taken out.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { OpenAI } = require('openai');

const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'parsed' && k !== 'parsed_arguments')
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
};

for (const file of process.argv.slice(2)) {
  const body = readFileSync(file);
  const client = new OpenAI({
    apiKey: 'sk-oracle',
    baseURL: 'http://oracle.invalid/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  const out = { completion: null, snapshots: [] };
  try {
    const stream = client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    stream.on('chunk', (_chunk, snapshot) => out.snapshots.push(JSON.parse(JSON.stringify(snapshot))));
    out.completion = strip(await stream.finalChatCompletion());
  } catch (err) {
    out.sdk_error = `${err.constructor.name}: ${err.message}`;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
