#!/usr/bin/env node
// openai-node 7.59.0 as a client of the test server: a Chat Completions tool round trip with
// `client.chat.completions.stream(...)`. Usage: node chat_client.mjs BASE_URL (run where
// `node_modules/openai` is). Prints one JSON line: {"call", "arguments", "text", "usage"}.
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { OpenAI } = require('openai');

const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
const client = new OpenAI({ apiKey: 'sk-node', baseURL: process.argv[2], maxRetries: 0 });
const messages = [{ role: 'user', content: 'Weather in Paris?' }];
const options = { model: 'm', tools, stream_options: { include_usage: true } };
const first = await client.chat.completions.stream({ ...options, messages }).finalChatCompletion();
const call = first.choices[0].message.tool_calls[0];
messages.push({ role: 'assistant', tool_calls: [{ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }] });
messages.push({ role: 'tool', tool_call_id: call.id, content: 'sunny' });
const second = await client.chat.completions.stream({ ...options, messages }).finalChatCompletion();
console.log(JSON.stringify({ call: call.function.name, arguments: call.function.arguments, text: second.choices[0].message.content, usage: second.usage.total_tokens }));
