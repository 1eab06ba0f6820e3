// A scripted, OpenAI-compatible chat model for tests and demos: no real model, no network.
// n8n's OpenAI credential takes a Base URL, so the real AI Agent with the OpenAI Chat Model node
// (typeVersion 1.2: Chat Completions; 1.3 defaults to the Responses API) runs against it.
// What the node calls (n8n 2.41, @n8n/n8n-nodes-langchain LmChatOpenAi and the openAiApi
// credential): GET <base>/models for the credential test and the model picker, and
// POST <base>/chat/completions for every model turn. Both are served here under /v1.
//
// The script: rules matched against the latest user message. A rule's tool calls are answered
// first; once the request carries the tool results for that user message, the rule's final
// text. Every request is recorded, so a test can check what the model was sent (e.g. which
// conversation history a memory gave it).
//
//   const model = createScriptedModel();
//   model.script([{ match: 'opening hours', tool: { name: 'Reply_with_text',
//     arguments: { text: 'We open at 9.' } }, reply: 'Done.' }]);
//   // in a server: if (await model.handle(req, res, url)) return;

export const MODEL_ID = 'fiwano-scripted';
const BODY_LIMIT = 5 * 1024 * 1024;

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > BODY_LIMIT) {
				reject(Object.assign(new Error('body too large'), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendJson(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** The text of a chat message's content: a string, or the text parts of a parts array. */
export function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => (typeof part === 'string' ? part : part?.type === 'text' ? part.text : ''))
			.join('');
	}
	return '';
}

/**
 * Where a conversation stands: the latest user message, and whether tool results followed it
 * (then the tool calls of this turn have run and the final answer is due).
 */
export function turnOf(messages = []) {
	let last = -1;
	for (let i = messages.length - 1; i >= 0; i--) {
		if (messages[i]?.role === 'user') {
			last = i;
			break;
		}
	}
	const after = last >= 0 ? messages.slice(last + 1) : [];
	return {
		userText: last >= 0 ? contentText(messages[last].content) : '',
		toolResults: after.filter((m) => m?.role === 'tool'),
	};
}

function ruleMatches(rule, text) {
	if (rule.match instanceof RegExp) return rule.match.test(text);
	if (typeof rule.matchRegex === 'string') return new RegExp(rule.matchRegex).test(text);
	if (typeof rule.match === 'string') return text.includes(rule.match);
	return true; // a rule without a match answers everything
}

/** A rule's tool calls, each `{ name, arguments }` (arguments an object or a function of the request). */
function toolCallsOf(rule) {
	if (Array.isArray(rule.tools)) return rule.tools;
	return rule.tool ? [rule.tool] : [];
}

export function createScriptedModel({ rules = [] } = {}) {
	let script = [...rules];
	let seq = 0;
	const requests = [];

	function completion(body) {
		const messages = Array.isArray(body?.messages) ? body.messages : [];
		const offered = (Array.isArray(body?.tools) ? body.tools : [])
			.map((t) => t?.function?.name)
			.filter(Boolean);
		const { userText, toolResults } = turnOf(messages);
		const rule = script.find((r) => ruleMatches(r, userText));
		const calls = rule ? toolCallsOf(rule) : [];
		const request = { seq: ++seq, userText, offered, messages, toolResults: toolResults.length };
		if (rule && calls.length && toolResults.length === 0) {
			const missing = calls.map((c) => c.name).filter((name) => !offered.includes(name));
			if (missing.length) {
				const content = `(scripted model) the script calls ${missing.join(', ')}, but the request offers ${offered.join(', ') || 'no tools'}`;
				return { request: { ...request, answered: 'error', content }, message: { content } };
			}
			const toolCalls = calls.map((call, index) => {
				const args =
					typeof call.arguments === 'function' ? call.arguments(request) : call.arguments;
				return {
					id: `call_${seq}_${index + 1}`,
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(args ?? {}) },
				};
			});
			return {
				request: { ...request, answered: 'tool_calls', toolCalls },
				message: { content: null, tool_calls: toolCalls },
			};
		}
		const reply = rule?.reply;
		const content =
			typeof reply === 'function'
				? reply(request)
				: (reply ?? `(scripted model) no rule for: ${userText}`);
		return { request: { ...request, answered: 'text', content }, message: { content } };
	}

	function completionBody(model, message) {
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		return {
			id: `chatcmpl-scripted-${seq}`,
			object: 'chat.completion',
			created: 1_700_000_000 + seq,
			model,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', ...message },
					logprobs: null,
					finish_reason: finish,
				},
			],
			usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
		};
	}

	/** The same answer as server-sent chunks, for a client that asked for `stream: true`. */
	function streamChunks(model, message) {
		const base = {
			id: `chatcmpl-scripted-${seq}`,
			object: 'chat.completion.chunk',
			created: 1_700_000_000 + seq,
			model,
		};
		const chunk = (delta, finish = null) => ({
			...base,
			choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
		});
		const chunks = [chunk({ role: 'assistant', content: message.tool_calls ? null : '' })];
		if (message.tool_calls) {
			message.tool_calls.forEach((call, index) =>
				chunks.push(chunk({ tool_calls: [{ index, ...call }] })),
			);
			chunks.push(chunk({}, 'tool_calls'));
		} else {
			chunks.push(chunk({ content: message.content }));
			chunks.push(chunk({}, 'stop'));
		}
		chunks.push({
			...base,
			choices: [],
			usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
		});
		return chunks;
	}

	async function handle(req, res, url) {
		const path = url.pathname;
		if (path.startsWith('/_sandbox/model')) {
			const sub = path.slice('/_sandbox/model'.length) || '/';
			if (req.method === 'GET' && sub === '/requests') {
				sendJson(res, 200, requests);
			} else if (req.method === 'POST' && sub === '/script') {
				const body = JSON.parse((await readBody(req)) || '{}');
				script = Array.isArray(body.rules) ? body.rules : [];
				sendJson(res, 200, { rules: script.length });
			} else if (req.method === 'POST' && sub === '/reset') {
				api.reset();
				sendJson(res, 200, { ok: true });
			} else {
				sendJson(res, 404, { detail: 'Not Found' });
			}
			return true;
		}
		if (!path.startsWith('/v1/')) return false;
		const auth = req.headers.authorization ?? '';
		if (!/^Bearer \S+/.test(auth)) {
			sendJson(res, 401, {
				error: {
					message: 'Missing bearer authentication in header',
					type: 'invalid_request_error',
					code: null,
				},
			});
			return true;
		}
		if (req.method === 'GET' && path === '/v1/models') {
			sendJson(res, 200, {
				object: 'list',
				data: [
					{ id: MODEL_ID, object: 'model', created: 1_700_000_000, owned_by: 'fiwano-sandbox' },
				],
			});
			return true;
		}
		if (req.method === 'POST' && path === '/v1/chat/completions') {
			let body;
			try {
				body = JSON.parse((await readBody(req)) || '{}');
			} catch {
				sendJson(res, 400, {
					error: { message: 'Invalid JSON body', type: 'invalid_request_error' },
				});
				return true;
			}
			const { request, message } = completion(body);
			requests.push({
				...request,
				model: body.model,
				stream: body.stream === true,
				at: new Date().toISOString(),
			});
			const model = typeof body.model === 'string' ? body.model : MODEL_ID;
			if (body.stream === true) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const chunk of streamChunks(model, message))
					res.write(`data: ${JSON.stringify(chunk)}\n\n`);
				res.end('data: [DONE]\n\n');
				return true;
			}
			sendJson(res, 200, completionBody(model, message));
			return true;
		}
		sendJson(res, 404, {
			error: { message: `Unknown path ${path}`, type: 'invalid_request_error' },
		});
		return true;
	}

	const api = {
		/** Replaces the script. */
		script(next) {
			script = [...next];
		},
		/** Every chat completion request, oldest first: userText, offered tools, messages, answer. */
		requests,
		reset() {
			script = [...rules];
			requests.length = 0;
			seq = 0;
		},
		/** Serves /v1/* and /_sandbox/model/*; false for any other path. */
		handle,
		/** One answer without HTTP (for unit tests): `{ request, message }`. */
		complete: completion,
	};
	return api;
}
