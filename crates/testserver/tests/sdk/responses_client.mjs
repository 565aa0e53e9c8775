#!/usr/bin/env node
// openai-node 7.59.0 as a client of the test server: a Responses tool-call round trip with
// `client.responses.stream(...)`. Usage: node responses_client.mjs BASE_URL (run where
// `node_modules/openai` is). Prints one JSON line: {"call", "arguments", "text", "events"}.
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { OpenAI } = require('openai');

const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }];
const client = new OpenAI({ apiKey: 'sk-node', baseURL: process.argv[2], maxRetries: 0 });
let events = 0;
const first = client.responses.stream({ model: 'm', input: 'Weather in Paris?', tools });
for await (const _ of first) events += 1;
const firstResponse = await first.finalResponse();
const call = firstResponse.output.find((item) => item.type === 'function_call');
const second = client.responses.stream({
  model: 'm',
  previous_response_id: firstResponse.id,
  input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
  tools,
});
for await (const _ of second) events += 1;
const secondResponse = await second.finalResponse();
console.log(JSON.stringify({ call: call.name, arguments: call.arguments, text: secondResponse.output_text, events }));
