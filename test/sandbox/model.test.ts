/**
 * The scripted OpenAI-compatible model the sandbox serves (test/sandbox/model.mjs): what n8n's
 * OpenAI Chat Model node calls (GET /v1/models, POST /v1/chat/completions), answered from a
 * script: a tool call first, the final text once the tool result is in the request.
 */
import { type SandboxProcess, startSandboxProcess } from './harness';

let sandbox: SandboxProcess;

beforeAll(async () => {
	sandbox = await startSandboxProcess();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await post('/_sandbox/reset', {});
});

const AUTH = { authorization: 'Bearer sk-test' };

interface Message {
	role: string;
	content: string | null;
	tool_calls?: unknown[];
}
interface Choice {
	index: number;
	message: Message;
	delta?: { tool_calls?: unknown[] };
	finish_reason: string | null;
}
/** The fields of the answers these tests read: completions, chunks, errors, recorded requests. */
interface Json {
	choices: Choice[];
	error: { message: string };
	messages: unknown[];
	length: number;
	[index: number]: Json;
}

async function post(path: string, body: unknown, headers: Record<string, string> = AUTH) {
	const response = await fetch(`${sandbox.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		text,
		json: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : {}) as Json,
	};
}

async function get(path: string, headers: Record<string, string> = AUTH) {
	const response = await fetch(`${sandbox.url}${path}`, { headers });
	return { status: response.status, json: (await response.json()) as Json };
}

const TOOLS = ['Reply_with_text', 'Get_sender_profile'].map((name) => ({
	type: 'function',
	function: {
		name,
		description: `${name} in Fiwano`,
		parameters: { type: 'object', properties: {} },
	},
}));

const HOURS_RULE = {
	match: 'opening hours',
	tool: { name: 'Reply_with_text', arguments: { text: 'We open at 9.' } },
	reply: 'Answered the customer.',
};

function firstTurn(user: string | Array<{ type: string; text: string }>) {
	return {
		model: 'fiwano-scripted',
		messages: [
			{ role: 'system', content: 'You are a helpful assistant' },
			{ role: 'user', content: user },
		],
		tools: TOOLS,
	};
}

describe('scripted model', () => {
	it('lists a model for the credential test and the model picker, and wants a bearer key', async () => {
		expect((await get('/v1/models', {})).status).toBe(401);
		const models = await get('/v1/models');
		expect(models.status).toBe(200);
		expect(models.json).toEqual({
			object: 'list',
			data: [
				{ id: 'fiwano-scripted', object: 'model', created: 1700000000, owned_by: 'fiwano-sandbox' },
			],
		});
	});

	it('calls the scripted tool with its arguments, then gives the final text after the tool result', async () => {
		await post('/_sandbox/model/script', { rules: [HOURS_RULE] });
		const first = await post('/v1/chat/completions', firstTurn('What are your opening hours?'));
		expect(first.status).toBe(200);
		const choice = first.json.choices[0];
		expect(choice.finish_reason).toBe('tool_calls');
		expect(choice.message.role).toBe('assistant');
		expect(choice.message.content).toBeNull();
		expect(choice.message.tool_calls).toEqual([
			{
				id: 'call_1_1',
				type: 'function',
				function: { name: 'Reply_with_text', arguments: '{"text":"We open at 9."}' },
			},
		]);

		const second = await post('/v1/chat/completions', {
			...firstTurn('What are your opening hours?'),
			messages: [
				...firstTurn('What are your opening hours?').messages,
				{ role: 'assistant', content: null, tool_calls: choice.message.tool_calls },
				{
					role: 'tool',
					tool_call_id: 'call_1_1',
					content: '[{"message_id":"m1","status":"sent"}]',
				},
			],
		});
		expect(second.json.choices[0]).toEqual({
			index: 0,
			message: { role: 'assistant', content: 'Answered the customer.' },
			logprobs: null,
			finish_reason: 'stop',
		});
	});

	it('answers the latest user message: an earlier turn’s tool results do not count', async () => {
		await post('/_sandbox/model/script', { rules: [HOURS_RULE] });
		const body = firstTurn('opening hours again');
		body.messages.splice(
			1,
			0,
			{ role: 'user', content: 'opening hours?' },
			{ role: 'tool', content: 'old result' } as never,
			{ role: 'assistant', content: 'old answer' },
		);
		const r = await post('/v1/chat/completions', body);
		expect(r.json.choices[0].finish_reason).toBe('tool_calls');
	});

	it('reads text from content parts, and matches a regular expression', async () => {
		await post('/_sandbox/model/script', {
			rules: [{ matchRegex: '^order \\d+$', reply: 'Order found.' }],
		});
		const r = await post(
			'/v1/chat/completions',
			firstTurn([
				{ type: 'text', text: 'order ' },
				{ type: 'text', text: '42' },
			]),
		);
		expect(r.json.choices[0].message.content).toBe('Order found.');
	});

	it('says so in the text when the script calls a tool the request does not offer, or nothing matches', async () => {
		await post('/_sandbox/model/script', {
			rules: [{ match: 'refund', tool: { name: 'Delete_channel', arguments: {} }, reply: 'x' }],
		});
		const missing = await post('/v1/chat/completions', firstTurn('refund please'));
		expect(missing.json.choices[0].message.content).toBe(
			'(scripted model) the script calls Delete_channel, but the request offers Reply_with_text, Get_sender_profile',
		);
		const none = await post('/v1/chat/completions', firstTurn('hello'));
		expect(none.json.choices[0].message.content).toBe('(scripted model) no rule for: hello');
	});

	it('streams the same answer as chunks when asked to', async () => {
		await post('/_sandbox/model/script', { rules: [HOURS_RULE] });
		const r = await post('/v1/chat/completions', { ...firstTurn('opening hours'), stream: true });
		const events = r.text
			.split('\n\n')
			.filter(Boolean)
			.map((e) => e.replace(/^data: /, ''));
		expect(events.at(-1)).toBe('[DONE]');
		const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Json);
		const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
		expect(calls).toEqual([
			{
				index: 0,
				id: 'call_1_1',
				type: 'function',
				function: { name: 'Reply_with_text', arguments: '{"text":"We open at 9."}' },
			},
		]);
		expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['tool_calls']);
	});

	it('records every request (what the model was sent) until reset, and answers the same after a reset', async () => {
		await post('/_sandbox/model/script', { rules: [HOURS_RULE] });
		const a = await post('/v1/chat/completions', firstTurn('opening hours'));
		const recorded = await get('/_sandbox/model/requests');
		expect(recorded.json).toHaveLength(1);
		expect(recorded.json[0]).toMatchObject({
			seq: 1,
			userText: 'opening hours',
			offered: ['Reply_with_text', 'Get_sender_profile'],
			answered: 'tool_calls',
			model: 'fiwano-scripted',
			stream: false,
		});
		expect(recorded.json[0].messages).toEqual(firstTurn('opening hours').messages);

		await post('/_sandbox/model/reset', {});
		expect((await get('/_sandbox/model/requests')).json).toEqual([]);
		await post('/_sandbox/model/script', { rules: [HOURS_RULE] });
		const b = await post('/v1/chat/completions', firstTurn('opening hours'));
		expect(b.json).toEqual(a.json);
	});

	it('refuses a chat request without a key, as OpenAI does', async () => {
		const r = await post('/v1/chat/completions', firstTurn('hi'), {});
		expect(r.status).toBe(401);
		expect(r.json.error.message).toMatch(/bearer/i);
	});
});
