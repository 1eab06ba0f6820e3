import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	baseUrlOf,
	fiwanoApiRequest,
	fiwanoApiRequestFull,
	fiwanoDownloadMedia,
	isSendPath,
} from '../../nodes/Fiwano/transport';
import { resetRateGates } from '../../nodes/Fiwano/transport/rateGate';
import { UNIT_NODE } from '../helpers/unitNode';

/*
 * The request function with a hand-made `this`: n8n's httpRequestWithAuthentication is a stub
 * that records what it was asked and answers from a script, and the clock is jest's, so every
 * Retry-After, back-off and pacing wait is exact and takes no real time. transport.test.ts runs
 * the same function through n8n-core with nock and real sockets.
 */

const T0 = Date.UTC(2030, 0, 1);
const BASE = 'https://fiwano.com/api/v1';

beforeEach(() => {
	jest.useFakeTimers({ now: T0 });
	resetRateGates();
});
afterEach(() => jest.useRealTimers());

/** One scripted answer of the stub: an HTTP answer (optionally late), or a thrown error. */
type Reply =
	| { statusCode: number; headers?: IDataObject; body?: unknown; afterMs?: number }
	| { error: unknown; afterMs?: number };

interface Call {
	/** When the request started, in ms since the test began. */
	at: number;
	self: unknown;
	credentialType: string;
	request: IHttpRequestOptions;
	additional: unknown;
}

interface Setup {
	credentials?: IDataObject;
	node?: INode;
	signal?: AbortSignal;
}

const NODE_WITH_CREDENTIAL: INode = {
	...UNIT_NODE,
	credentials: { fiwanoApi: { id: 'cred-1', name: 'Fiwano account' } },
};

/**
 * A context whose HTTP answers come from `script`, keyed by "METHOD /path" (the path after
 * /api/v1, query not included). A request with no scripted answer left is recorded and fails
 * with an error that has no code, so the test's count of calls catches it.
 */
function fake(script: Record<string, Reply[]>, setup: Setup = {}) {
	const calls: Call[] = [];
	const credentials = setup.credentials ?? { apiKey: 'mip_live_k1' };
	const getCredentials = jest.fn(async () => credentials);
	const ctx = {
		getCredentials,
		getNode: () => setup.node ?? NODE_WITH_CREDENTIAL,
		helpers: {
			async httpRequestWithAuthentication(
				this: unknown,
				credentialType: string,
				request: IHttpRequestOptions,
				additional: unknown,
			) {
				calls.push({ at: Date.now() - T0, self: this, credentialType, request, additional });
				const path = request.url.replace(/^https?:\/\/[^/]+\/api\/v1/, '');
				const reply = script[`${request.method} ${path}`]?.shift();
				if (!reply) throw new Error(`unexpected request ${request.method} ${request.url}`);
				if (reply.afterMs) await sleep(reply.afterMs);
				if ('error' in reply) throw reply.error;
				return { statusCode: reply.statusCode, headers: reply.headers, body: reply.body };
			},
		},
		...(setup.signal ? { getExecutionCancelSignal: () => setup.signal } : {}),
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls, getCredentials };
}

/** What a promise comes to, caught at once so that a failure is never unhandled. */
async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: NodeApiError }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error: error as NodeApiError }),
	);
}

/** What a promise came to once every timer it waits on has run. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: NodeApiError }> {
	const result = outcome(promise);
	await jest.runAllTimersAsync();
	return await result;
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	const { error } = await settle(promise);
	if (!error) throw new Error('expected the request to fail');
	return error;
}

const ok = (body: unknown = {}, headers: IDataObject = {}): Reply => ({
	statusCode: 200,
	headers,
	body,
});
const status = (statusCode: number, headers: IDataObject = {}, body: unknown = {}): Reply => ({
	statusCode,
	headers,
	body,
});
/** A request that got no answer, with the error code Node gives it (if any). */
const netError = (code?: string, message = 'request failed'): Reply => ({
	error: Object.assign(new Error(message), code ? { code } : {}),
});

const sendBody = { channel_id: 'c1', recipient: '15550001', text: 'hi' };

describe('baseUrlOf', () => {
	it.each([
		[undefined, 'https://fiwano.com'],
		['', 'https://fiwano.com'],
		['   ', 'https://fiwano.com'],
		[' https://staging.fiwano.test// ', 'https://staging.fiwano.test'],
		['https://staging.fiwano.test/sub/', 'https://staging.fiwano.test/sub'],
		['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
	])('reads %p as %p', (baseUrl, expected) => {
		expect(baseUrlOf({ apiKey: 'k', baseUrl })).toBe(expected);
	});
});

describe('isSendPath', () => {
	it.each([
		['POST', '/messages/send', true],
		['POST', '/messages/send-media', true],
		['GET', '/messages/send', false],
		['PUT', '/messages/send', false],
		['POST', '/messages', false],
		['POST', '/redirects', false],
		['POST', '/channels/c1/messages/send', false],
	] as const)('%s %s is a send: %p', (method, path, expected) => {
		expect(isSendPath(method, path)).toBe(expected);
	});
});

describe('fiwanoApiRequestFull: the request', () => {
	it('asks n8n for a JSON GET at the base URL with the decrypted credential, once', async () => {
		const { ctx, calls, getCredentials } = fake({
			'GET /channels': [ok({ channels: [] }, { 'x-request-id': 'r1' })],
		});
		const { value } = await settle(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { qs: { limit: 5 }, itemIndex: 3 }),
		);
		expect(value).toStrictEqual({
			body: { channels: [] },
			headers: { 'x-request-id': 'r1' },
			statusCode: 200,
			attempts: 1,
		});
		expect(getCredentials.mock.calls).toEqual([['fiwanoApi', 3]]);
		expect(calls).toHaveLength(1);
		expect(calls[0].self).toBe(ctx);
		expect(calls[0].credentialType).toBe('fiwanoApi');
		expect(calls[0].request).toStrictEqual({
			method: 'GET',
			url: `${BASE}/channels`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
			qs: { limit: 5 },
		});
		expect(calls[0].additional).toStrictEqual({
			credentialsDecrypted: {
				id: 'cred-1',
				name: 'Fiwano account',
				type: 'fiwanoApi',
				data: { apiKey: 'mip_live_k1' },
			},
		});
	});

	it('hands n8n an unnamed credential when the node has none selected', async () => {
		const { ctx, calls } = fake({ 'GET /channels': [ok()] }, { node: UNIT_NODE });
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(calls[0].additional).toStrictEqual({
			credentialsDecrypted: {
				id: '',
				name: '',
				type: 'fiwanoApi',
				data: { apiKey: 'mip_live_k1' },
			},
		});
	});

	it('sends a message with a 35 s timeout and without following redirects', async () => {
		const { ctx, calls } = fake({ 'POST /messages/send': [ok({ success: true })] });
		const { value } = await settle(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(value?.body).toEqual({ success: true });
		expect(calls[0].request).toStrictEqual({
			method: 'POST',
			url: `${BASE}/messages/send`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 35_000,
			disableFollowRedirect: true,
			body: sendBody,
		});
	});

	it('posts other requests with the 30 s timeout, and any request with its own', async () => {
		const { ctx, calls } = fake({
			'POST /redirects': [ok()],
			'DELETE /redirects/r1': [ok()],
			'POST /messages/send': [ok()],
		});
		await settle(fiwanoApiRequestFull.call(ctx, 'POST', '/redirects', { body: { a: 1 } }));
		await settle(fiwanoApiRequestFull.call(ctx, 'DELETE', '/redirects/r1', { timeoutMs: 5000 }));
		await settle(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody, timeoutMs: 700 }),
		);
		expect(calls.map((c) => [c.request.method, c.request.timeout])).toEqual([
			['POST', 30_000],
			['DELETE', 5000],
			['POST', 700],
		]);
		expect(calls[0].request.disableFollowRedirect).toBe(true);
		expect('disableFollowRedirect' in calls[1].request).toBe(false);
	});

	it('uses the credential base URL without its trailing slashes', async () => {
		const { ctx, calls } = fake(
			{ 'GET /channels': [ok()] },
			{ credentials: { apiKey: 'k', baseUrl: 'https://staging.fiwano.test//' } },
		);
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(calls[0].request.url).toBe('https://staging.fiwano.test/api/v1/channels');
	});

	it('returns an answer without headers with empty headers', async () => {
		const { ctx } = fake({ 'GET /channels': [{ statusCode: 204 }] });
		const { value } = await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(value).toStrictEqual({ body: undefined, headers: {}, statusCode: 204, attempts: 1 });
	});

	it('fiwanoApiRequest returns only the body', async () => {
		const { ctx } = fake({ 'GET /channels': [ok({ channels: [1] })] });
		const { value } = await settle(fiwanoApiRequest.call(ctx, 'GET', '/channels'));
		expect(value).toStrictEqual({ channels: [1] });
	});
});

describe('fiwanoApiRequestFull: answers that are not 2xx', () => {
	it.each([199, 300, 400, 500])('fails on %i without retrying', async (code) => {
		const { ctx, calls } = fake({ 'GET /channels/c1': [status(code, {}, { detail: 'no' })] });
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/channels/c1'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`Fiwano ${code}: no`);
		expect(error.context.status).toBe(code);
		expect(error.context.request).toBe('GET /channels/c1');
		expect(calls).toHaveLength(1);
	});

	it.each([200, 201, 299])('succeeds on %i', async (code) => {
		const { ctx } = fake({ 'GET /channels': [status(code, {}, { n: code })] });
		const { value } = await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(value?.body).toEqual({ n: code });
		expect(value?.statusCode).toBe(code);
	});

	it('keeps the item index and the Location of a redirect it did not follow', async () => {
		const elsewhere = 'https://elsewhere.fiwano.test/api/v1/messages/send';
		const { ctx, calls } = fake({
			'POST /messages/send': [status(302, { location: elsewhere }, '')],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody, itemIndex: 2 }),
		);
		expect(error.httpCode).toBe('302');
		expect(error.context.location).toBe(elsewhere);
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toContain(`was not sent on to ${elsewhere}`);
		expect(calls).toHaveLength(1);
	});

	it('ignores a Location that is not one text', async () => {
		const { ctx } = fake({ 'GET /channels': [status(301, { location: ['a', 'b'] }, '')] });
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(error.context.location).toBeUndefined();
		expect(error.description).toContain('so the request was not sent on:');
	});

	it('reads an error body that came as bytes: JSON as JSON, anything else as text', async () => {
		const { ctx } = fake({
			'GET /media/m1': [status(410, {}, Buffer.from(JSON.stringify({ detail: 'Media expired' })))],
			'GET /media/m2': [status(500, {}, Buffer.from('Internal Server Error'))],
		});
		const json = await failure(fiwanoDownloadMedia.call(ctx, 'm1'));
		expect(json.message).toBe('Fiwano 410: Media expired');
		expect(json.context.detail).toBe('Media expired');
		const text = await failure(fiwanoDownloadMedia.call(ctx, 'm2'));
		expect(text.message).toBe('Fiwano 500: Internal Server Error');
		expect(text.context.detail).toBe('Internal Server Error');
	});
});

describe('fiwanoApiRequestFull: 429 and 503', () => {
	it('retries a 429 when Retry-After has passed, counting the attempts', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [status(429, { 'retry-after': '2' }), ok({ success: true })],
		});
		const { value } = await settle(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(value?.attempts).toBe(2);
		expect(calls.map((c) => c.at)).toEqual([0, 2000]);
		expect(calls[1].request).toStrictEqual(calls[0].request);
	});

	it('waits a second after a 429 or 503 without Retry-After', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(429), ok()],
			'GET /templates': [status(503), ok()],
		});
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/templates'));
		expect(calls.map((c) => c.at)).toEqual([0, 1000, 1000, 2000]);
	});

	it('retries a 503 after its Retry-After, and at once after Retry-After: 0', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [
				status(503, { 'Retry-After': '3' }),
				status(503, { 'Retry-After': '0' }),
				ok({ success: true }),
			],
		});
		const { value } = await settle(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(value?.attempts).toBe(3);
		// The third start waits only for the documented send pace (105 ms), not for a second.
		expect(calls.map((c) => c.at)).toEqual([0, 3000, 3105]);
	});

	it('uses the whole default budget of 60 s, and not more', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(429, { 'retry-after': '60' }), ok()],
			'GET /templates': [status(429, { 'retry-after': '61' })],
		});
		const { value } = await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(value?.attempts).toBe(2);
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/templates'));
		expect(error.httpCode).toBe('429');
		expect(error.context.retryAfter).toBe(61);
		expect(calls.map((c) => c.request.url)).toEqual([
			`${BASE}/channels`,
			`${BASE}/channels`,
			`${BASE}/templates`,
		]);
	});

	it('retries while the waits fit the budget exactly, then fails with the last answer', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [
				status(503, { 'retry-after': '2' }),
				status(503, { 'retry-after': '1' }),
				status(503, { 'retry-after': '1' }, { detail: 'Overloaded' }),
			],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 3000, itemIndex: 1 }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 2000, 3000]);
		expect(error.message).toBe('Fiwano 503: Overloaded');
		expect(error.context.retryAfter).toBe(1);
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toMatch(/Gave up after 3 attempts\.$/);
	});

	it('counts a second at least for each retry, however short Retry-After is', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [
				status(429, { 'retry-after': '0' }),
				status(429, { 'retry-after': '0' }),
				status(429, { 'retry-after': '0' }),
			],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 2000 }),
		);
		expect(calls).toHaveLength(3);
		expect(error.description).toMatch(/Gave up after 3 attempts/);
	});

	it('counts a longer Retry-After in full against the budget', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(429, { 'retry-after': '2' }), status(429, { 'retry-after': '2' })],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 3000 }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 2000]);
		expect(error.context.retryAfter).toBe(2);
	});
});

describe('fiwanoApiRequestFull: 502 and 504', () => {
	it('retries an idempotent request after 500 ms, 1 s and 2 s, then gives up', async () => {
		const { ctx, calls } = fake({
			'PUT /redirects/r1': [
				status(502),
				status(504),
				status(502),
				status(504, {}, { detail: 'x' }),
			],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'PUT', '/redirects/r1', { body: { a: 1 } }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500, 3500]);
		expect(error.message).toBe('Fiwano 504: x');
		expect(error.description).toMatch(/Gave up after 4 attempts\.$/);
	});

	it('succeeds on a retry after a 504', async () => {
		const { ctx, calls } = fake({ 'GET /channels': [status(504), ok({ id: 1 })] });
		const { value } = await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(value?.body).toEqual({ id: 1 });
		expect(value?.attempts).toBe(2);
		expect(calls.map((c) => c.at)).toEqual([0, 500]);
	});

	it('retries only while the back-off fits the budget', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(502), status(502), status(502)],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 1500 }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500]);
		expect(error.httpCode).toBe('502');
	});

	it('shares the budget between Retry-After and back-off', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(503, { 'retry-after': '1' }), status(502), status(502)],
		});
		await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 1500 }));
		expect(calls.map((c) => c.at)).toEqual([0, 1000, 1500]);
	});

	it.each([
		['POST', '/redirects'],
		['POST', '/messages/send'],
	] as const)('does not retry %s %s after a 502', async (method, path) => {
		const { ctx, calls } = fake({ [`${method} ${path}`]: [status(502), ok()] });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, method, path, { body: { channel_id: 'c1' } }),
		);
		expect(error.httpCode).toBe('502');
		expect(calls).toHaveLength(1);
	});
});

describe('fiwanoApiRequestFull: network errors', () => {
	it('retries a GET without an answer three times with back-off, then says why', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [
				netError('ECONNRESET'),
				netError(),
				netError('ETIMEDOUT'),
				netError('ECONNRESET', 'read ECONNRESET'),
			],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { itemIndex: 4 }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500, 3500]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Could not reach Fiwano (ECONNRESET) at https://fiwano.com.');
		expect(error.description).toBe('GET /channels after 4 attempts.');
		expect(error.context).toEqual({ code: 'ECONNRESET', maybeSent: false, itemIndex: 4 });
		expect(error.errorResponse).toEqual({ message: 'Error: read ECONNRESET' });
	});

	it('stops the back-off when the budget is spent', async () => {
		const { ctx, calls } = fake({ 'GET /channels': [netError(), netError(), netError()] });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { maxWaitMs: 1500 }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500]);
		expect(error.message).toBe('Could not reach Fiwano (network error) at https://fiwano.com.');
		expect(error.description).toBe('GET /channels after 3 attempts.');
	});

	it('shares the back-off steps with 502 answers', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [netError('ECONNRESET'), status(502), netError('ECONNRESET'), status(502)],
		});
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500, 3500]);
		expect(error.httpCode).toBe('502');
	});

	it('does not retry a send whose connection failed after it was written', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [netError('ECONNRESET', 'socket hang up'), ok()],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody, itemIndex: 0 }),
		);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe(
			"The connection to Fiwano failed (ECONNRESET) after the message was sent. Fiwano may have accepted it, so it was not sent again; check the recipient's conversation before resending.",
		);
		expect(error.description).toBe('POST /messages/send after 1 attempt.');
		expect(error.context).toEqual({ code: 'ECONNRESET', maybeSent: true, itemIndex: 0 });
	});

	it('retries a send whose connection was refused before it was written', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [netError('ECONNREFUSED'), netError('ENOTFOUND'), ok({ ok: 1 })],
		});
		const { value } = await settle(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(value?.body).toEqual({ ok: 1 });
		expect(value?.attempts).toBe(3);
		expect(calls.map((c) => c.at)).toEqual([0, 500, 1500]);
	});

	it('retries a non-send POST only when nothing was written', async () => {
		const { ctx, calls } = fake({
			'POST /redirects': [netError('EAI_AGAIN'), netError('ECONNRESET'), ok()],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/redirects', { body: { uri_pattern: 'x' } }),
		);
		expect(calls.map((c) => c.at)).toEqual([0, 500]);
		expect(error.message).toBe('Could not reach Fiwano (ECONNRESET) at https://fiwano.com.');
		expect(error.context).toEqual({ code: 'ECONNRESET', maybeSent: false, itemIndex: undefined });
	});

	it.each([
		['a send', 'POST', '/messages/send'],
		['a non-send POST', 'POST', '/redirects'],
		['a GET', 'GET', '/channels'],
	] as const)('does not retry %s after an unknown error code', async (_what, method, path) => {
		const { ctx, calls } = fake({ [`${method} ${path}`]: [netError('EPROTO'), ok()] });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, method, path, { body: { channel_id: 'c1' } }),
		);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe('Could not reach Fiwano (EPROTO) at https://fiwano.com.');
		expect(error.context.maybeSent).toBe(false);
	});

	it('does not retry a send that got no answer and no code, nor calls it maybe sent', async () => {
		const { ctx, calls } = fake({ 'POST /messages/send': [netError(), ok()] });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe('Could not reach Fiwano (network error) at https://fiwano.com.');
		expect(error.context).toEqual({ code: undefined, maybeSent: false, itemIndex: undefined });
	});

	it('keeps the NodeApiError n8n raised, with its context, and rewrites its message', async () => {
		const raised = new NodeApiError(UNIT_NODE, { message: 'n8n said so' });
		raised.context = { fromN8n: 1 };
		raised.cause = Object.assign(new Error('inner'), { code: 'ECONNRESET' });
		const { ctx } = fake({ 'POST /messages/send': [{ error: raised }] });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody, itemIndex: 7 }),
		);
		expect(error).toBe(raised);
		expect(error.message).toMatch(/^The connection to Fiwano failed \(ECONNRESET\)/);
		expect(error.context).toEqual({
			fromN8n: 1,
			code: 'ECONNRESET',
			maybeSent: true,
			itemIndex: 7,
		});
	});

	it('reports a bare throw as a network error', async () => {
		const { ctx } = fake({ 'POST /redirects': [{ error: undefined }] });
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'POST', '/redirects'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Could not reach Fiwano (network error) at https://fiwano.com.');
		expect(error.errorResponse).toEqual({ message: 'undefined' });
	});
});

describe('fiwanoApiRequestFull: the error code of a failed connection', () => {
	const nested = (depth: number, code: string) => {
		let error: Error & { code?: string } = Object.assign(new Error('outer'), { code });
		for (let i = 0; i < depth; i++) error = new Error(`wrap ${i}`, { cause: error });
		return error;
	};

	it.each([
		['on the error', nested(0, 'ECONNRESET'), 'ECONNRESET'],
		['four causes deep', nested(4, 'ECONNRESET'), 'ECONNRESET'],
		['five causes deep: not looked for', nested(5, 'ECONNRESET'), undefined],
		[
			'under a code that is not one',
			new Error('x', { cause: nested(0, 'ECONNRESET') }),
			'ECONNRESET',
		],
		[
			'under a lower-case code',
			Object.assign(new Error('x', { cause: nested(0, 'ETIMEDOUT') }), { code: 'econnreset' }),
			'ETIMEDOUT',
		],
		[
			'under a code ending in a digit',
			Object.assign(new Error('x', { cause: nested(0, 'ETIMEDOUT') }), { code: 'ERR_HTTP2_X' }),
			'ETIMEDOUT',
		],
		[
			'under a code with E in its middle',
			Object.assign(new Error('x', { cause: nested(0, 'ETIMEDOUT') }), { code: 'UND_ERR_SOCKET' }),
			'ETIMEDOUT',
		],
		['under a code of one letter', Object.assign(new Error('x'), { code: 'E' }), undefined],
		['on a cause chain that ends in null', new Error('x', { cause: null }), undefined],
		['named in the message', new Error('write EPROTO 127.0.0.1:443'), 'EPROTO'],
		['a message word with four capitals', new Error('connect EABC failed'), 'EABC'],
		['a message word with three capitals', new Error('connect EAB failed'), undefined],
		['capitals inside a message word', new Error('PIPELINE broke'), undefined],
		['a message code running into more letters', new Error('EPROTO_X'), undefined],
		['a socket hang-up', new Error('Socket Hang Up'), 'ECONNRESET'],
		['a time-out', new Error('Timeout of 30000ms exceeded'), 'ETIMEDOUT'],
		['nothing readable', new Error('weird'), undefined],
		[
			'a code ahead of the message',
			Object.assign(new Error('timeout'), { code: 'EPIPE' }),
			'EPIPE',
		],
		['the message ahead of the wording', new Error('EPIPE: socket hang up, timeout'), 'EPIPE'],
		['a hang-up ahead of a time-out', new Error('socket hang up after timeout'), 'ECONNRESET'],
	])('finds the code %s', async (_where, error, code) => {
		const { ctx } = fake({ 'POST /redirects': [{ error }] });
		const failed = await failure(fiwanoApiRequestFull.call(ctx, 'POST', '/redirects'));
		expect(failed.context.code).toBe(code);
	});
});

describe('fiwanoApiRequestFull: cancelling', () => {
	it('sends nothing once the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const { ctx, calls } = fake({ 'GET /channels': [ok()] }, { signal: controller.signal });
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'GET', '/channels', { itemIndex: 2 }),
		);
		expect(calls).toHaveLength(0);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The execution was cancelled before this request was sent');
		expect(error.description).toBe('GET /channels was not sent.');
		expect(error.context).toEqual({ itemIndex: 2, maybeSent: false });
	});

	it('does not retry once the execution was cancelled during the wait', async () => {
		const controller = new AbortController();
		const { ctx, calls } = fake(
			{ 'GET /channels': [status(503, { 'retry-after': '5' }), ok()] },
			{ signal: controller.signal },
		);
		const pending = outcome(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		await jest.advanceTimersByTimeAsync(1000);
		controller.abort();
		await jest.runAllTimersAsync();
		const { error } = await pending;
		expect(calls).toHaveLength(1);
		expect(error?.message).toBe('The execution was cancelled before this request was sent');
	});

	it('sends while the execution is not cancelled', async () => {
		const controller = new AbortController();
		const { ctx, calls } = fake({ 'GET /channels': [ok()] }, { signal: controller.signal });
		const { value } = await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(value?.statusCode).toBe(200);
		expect(calls).toHaveLength(1);
	});

	it('calls a send cancelled in flight maybe sent, and does not retry it', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [netError('ERR_CANCELED', 'canceled'), ok()],
		});
		const error = await failure(
			fiwanoApiRequestFull.call(ctx, 'POST', '/messages/send', { body: sendBody }),
		);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe(
			"The execution was cancelled while waiting for Fiwano's answer. Fiwano may have accepted the message; check the recipient's conversation before resending.",
		);
		expect(error.context).toEqual({ code: 'ERR_CANCELED', maybeSent: true, itemIndex: undefined });
	});

	it('does not retry a GET cancelled in flight', async () => {
		const { ctx, calls } = fake({ 'GET /channels': [netError('ERR_CANCELED', 'canceled'), ok()] });
		const error = await failure(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(calls).toHaveLength(1);
		expect(error.message).toBe("The execution was cancelled while waiting for Fiwano's answer.");
		expect(error.context.maybeSent).toBe(false);
	});
});

describe('fiwanoApiRequestFull: rate-limit buckets', () => {
	interface Started {
		ctx: IExecuteFunctions;
		method: 'GET' | 'POST';
		path: string;
		body?: IDataObject;
	}
	const run = (r: Started) =>
		outcome(fiwanoApiRequestFull.call(r.ctx, r.method, r.path, { body: r.body }));

	/** `first` starts at 0 ms, `second` at 100 ms; both must succeed. */
	async function oneThen(first: Started, second: Started) {
		const a = run(first);
		await jest.advanceTimersByTimeAsync(100);
		const b = run(second);
		await jest.runAllTimersAsync();
		expect(await a).toEqual({ value: expect.anything() });
		expect(await b).toEqual({ value: expect.anything() });
	}

	const throttled = (): Reply[] => [status(429, { 'retry-after': '2' }), ok()];
	const starts = (calls: Call[]) =>
		calls.map((c) => `${c.at} ${c.request.method} ${c.request.url}`);

	it('holds back other requests with the same API key until a 429 Retry-After has passed', async () => {
		const { ctx, calls } = fake({ 'GET /channels': throttled(), 'GET /templates': [ok()] });
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx, method: 'GET', path: '/templates' },
		);
		expect(starts(calls)).toEqual([
			`0 GET ${BASE}/channels`,
			`2000 GET ${BASE}/channels`,
			`2000 GET ${BASE}/templates`,
		]);
	});

	it.each([
		['a POST that is not a send, whatever its body', '/redirects', { channel_id: 'c1' }, 2000],
		// A send keeps the send pace: 105 ms after the retry that went at 2000 ms.
		['a send without a channel', '/messages/send', { channel_id: '' }, 2105],
		['a send whose channel is not text', '/messages/send', { channel_id: 5 }, 2105],
	])('counts %s against the API key', async (_what, path, body, at) => {
		const { ctx, calls } = fake({ 'GET /channels': throttled(), [`POST ${path}`]: [ok()] });
		const sameKey = fake({ [`POST ${path}`]: [ok()] });
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx: sameKey.ctx, method: 'POST', path, body },
		);
		expect(calls.map((c) => c.at)).toEqual([0, 2000]);
		expect(sameKey.calls.map((c) => c.at)).toEqual([at]);
	});

	it.each([
		['another API key', { apiKey: 'mip_live_k2' }],
		['the same key at another base URL', { apiKey: 'mip_live_k1', baseUrl: 'https://x.test' }],
	])('does not hold back %s', async (_what, credentials) => {
		const { ctx } = fake({ 'GET /channels': throttled() });
		const other = fake({ 'GET /templates': [ok()] }, { credentials });
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx: other.ctx, method: 'GET', path: '/templates' },
		);
		expect(other.calls.map((c) => c.at)).toEqual([100]);
	});

	it('does not hold back a send after a 429 on its API key', async () => {
		const { ctx } = fake({ 'GET /channels': throttled() });
		const sender = fake({ 'POST /messages/send': [ok()] });
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx: sender.ctx, method: 'POST', path: '/messages/send', body: sendBody },
		);
		expect(sender.calls.map((c) => c.at)).toEqual([100]);
	});

	it('does not hold back the API key after a 429 on a send', async () => {
		const { ctx } = fake({ 'POST /messages/send': throttled() });
		const reader = fake({ 'GET /templates': [ok()] });
		await oneThen(
			{ ctx, method: 'POST', path: '/messages/send', body: sendBody },
			{ ctx: reader.ctx, method: 'GET', path: '/templates' },
		);
		expect(reader.calls.map((c) => c.at)).toEqual([100]);
	});

	it('holds back sends on the same channel from every API key, in the order they started', async () => {
		const { ctx, calls } = fake({ 'POST /messages/send': throttled() });
		const otherKey = fake({ 'POST /messages/send': [ok()] }, { credentials: { apiKey: 'k2' } });
		await oneThen(
			{ ctx, method: 'POST', path: '/messages/send', body: sendBody },
			{ ctx: otherKey.ctx, method: 'POST', path: '/messages/send', body: sendBody },
		);
		expect(calls.map((c) => c.at)).toEqual([0, 2000]);
		// The retry goes first, the other key at the documented send pace after it.
		expect(otherKey.calls.map((c) => c.at)).toEqual([2105]);
	});

	it('counts a credential without an API key against the empty key', async () => {
		const { ctx } = fake({ 'GET /channels': throttled() }, { credentials: {} });
		const emptyKey = fake({ 'GET /templates': [ok()] }, { credentials: { apiKey: '' } });
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx: emptyKey.ctx, method: 'GET', path: '/templates' },
		);
		expect(emptyKey.calls.map((c) => c.at)).toEqual([2000]);
	});

	it('counts a send without a body against the API key', async () => {
		const { ctx } = fake({ 'GET /channels': throttled() });
		const sender = fake({ 'POST /messages/send': [status(422, {}, { detail: 'channel_id' })] });
		const a = run({ ctx, method: 'GET', path: '/channels' });
		await jest.advanceTimersByTimeAsync(100);
		const b = outcome(fiwanoApiRequestFull.call(sender.ctx, 'POST', '/messages/send'));
		await jest.runAllTimersAsync();
		expect((await a).error).toBeUndefined();
		expect((await b).error?.httpCode).toBe('422');
		expect(sender.calls.map((c) => c.at)).toEqual([2105]);
		expect('body' in sender.calls[0].request).toBe(false);
	});

	it('does not hold back sends on another channel', async () => {
		const { ctx } = fake({ 'POST /messages/send': throttled() });
		const otherChannel = fake({ 'POST /messages/send': [ok()] });
		await oneThen(
			{ ctx, method: 'POST', path: '/messages/send', body: { ...sendBody, channel_id: 'c9' } },
			{ ctx: otherChannel.ctx, method: 'POST', path: '/messages/send', body: sendBody },
		);
		expect(otherChannel.calls.map((c) => c.at)).toEqual([100]);
	});

	it('lets a retry go before a request that started after it', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [{ ...status(429, { 'retry-after': '1' }), afterMs: 50 }, ok()],
		});
		const later = fake({ 'POST /messages/send': [ok()] });
		const a = run({ ctx, method: 'POST', path: '/messages/send', body: sendBody });
		await jest.advanceTimersByTimeAsync(10);
		const b = run({ ctx: later.ctx, method: 'POST', path: '/messages/send', body: sendBody });
		await jest.runAllTimersAsync();
		expect((await a).value?.attempts).toBe(2);
		expect((await b).value?.attempts).toBe(1);
		expect(calls.map((c) => c.at)).toEqual([0, 1050]);
		expect(later.calls.map((c) => c.at)).toEqual([1155]);
	});

	it('does not hold back other requests during a 503 Retry-After', async () => {
		const { ctx, calls } = fake({
			'GET /channels': [status(503, { 'retry-after': '2' }), ok()],
			'GET /templates': [ok()],
		});
		await oneThen(
			{ ctx, method: 'GET', path: '/channels' },
			{ ctx, method: 'GET', path: '/templates' },
		);
		expect(starts(calls)).toEqual([
			`0 GET ${BASE}/channels`,
			`100 GET ${BASE}/templates`,
			`2000 GET ${BASE}/channels`,
		]);
	});

	it('paces sends on a channel to the documented allowance while the server says nothing', async () => {
		const { ctx, calls } = fake({
			'POST /messages/send': [ok(), ok(), ok()],
			'GET /channels': [ok(), ok(), ok()],
		});
		const all = [
			...[1, 2, 3].map(() => run({ ctx, method: 'POST', path: '/messages/send', body: sendBody })),
			...[1, 2, 3].map(() => run({ ctx, method: 'GET', path: '/channels' })),
		];
		await jest.runAllTimersAsync();
		for (const result of await Promise.all(all)) expect(result.error).toBeUndefined();
		expect(starts(calls)).toEqual([
			`0 POST ${BASE}/messages/send`,
			`0 GET ${BASE}/channels`,
			`0 GET ${BASE}/channels`,
			`0 GET ${BASE}/channels`,
			`105 POST ${BASE}/messages/send`,
			`210 POST ${BASE}/messages/send`,
		]);
	});

	it("paces by the server's rate-limit headers", async () => {
		const limits = {
			'x-ratelimit-limit': '1',
			'x-ratelimit-remaining': '0',
			'x-ratelimit-reset': '3',
		};
		const { ctx, calls } = fake({ 'GET /channels': [ok({}, limits), ok()] });
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		await settle(fiwanoApiRequestFull.call(ctx, 'GET', '/channels'));
		expect(calls.map((c) => c.at)).toEqual([0, 3000]);
	});
});

describe('fiwanoDownloadMedia', () => {
	it('asks for the bytes of the media file and returns them with type and name', async () => {
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
		const { ctx, calls } = fake({
			'GET /media/m%2F1%20x': [
				ok(bytes, {
					'content-type': 'image/jpeg; charset=binary',
					'content-disposition': 'attachment; filename="photo.jpg"',
				}),
			],
		});
		const { value } = await settle(fiwanoDownloadMedia.call(ctx, 'm/1 x', 6));
		expect(value).toStrictEqual({ data: bytes, mimeType: 'image/jpeg', fileName: 'photo.jpg' });
		expect(calls[0].request).toStrictEqual({
			method: 'GET',
			url: `${BASE}/media/m%2F1%20x`,
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
			encoding: 'arraybuffer',
		});
	});

	it.each([
		[undefined, 'application/octet-stream'],
		['', 'application/octet-stream'],
		[' ; charset=x', 'application/octet-stream'],
		['  audio/ogg  ', 'audio/ogg'],
	])('reads the content type %p as %p', async (contentType, mimeType) => {
		const headers = contentType === undefined ? {} : { 'content-type': contentType };
		const { ctx } = fake({ 'GET /media/m': [ok(Buffer.from('x'), headers)] });
		const { value } = await settle(fiwanoDownloadMedia.call(ctx, 'm'));
		expect(value?.mimeType).toBe(mimeType);
		expect(value?.fileName).toBeUndefined();
	});

	it.each([
		["attachment; filename*=UTF-8''na%C3%AFve%20file.txt", 'naïve file.txt'],
		["attachment; filename*=utf-8''a.txt; size=3", 'a.txt'],
		['attachment; filename*="quoted%20name.txt"', 'quoted name.txt'],
		['attachment;filename*  =  spaced.txt ', 'spaced.txt'],
		["attachment; filename*=UTF-8''bad%E0%A4%A.txt", 'bad%E0%A4%A.txt'],
		["attachment; filename*=UTF-8''bad%E0%A4%A.txt ; size=3", 'bad%E0%A4%A.txt'],
		['attachment; filename*="say "hi" now.txt"', 'say "hi" now.txt'],
		['attachment; filename="plain name.pdf"; size=3', 'plain name.pdf'],
		['attachment; filename = bare.pdf ', 'bare.pdf'],
		['attachment; FILENAME=upper.pdf', 'upper.pdf'],
		['attachment; filename="a.pdf"; filename*=UTF-8\'\'b.pdf', 'b.pdf'],
		['attachment', undefined],
		['attachment; filename=', undefined],
		['attachment; filename=""', undefined],
	])('reads the file name of %p as %p', async (disposition, fileName) => {
		const { ctx } = fake({
			'GET /media/m': [ok(Buffer.from('x'), { 'content-disposition': disposition })],
		});
		const { value } = await settle(fiwanoDownloadMedia.call(ctx, 'm'));
		expect(value?.fileName).toBe(fileName);
	});

	it('reads no file name from a disposition that is not one text', async () => {
		const { ctx } = fake({
			'GET /media/m': [ok(Buffer.from('x'), { 'content-disposition': ['filename=a.txt'] })],
		});
		const { value } = await settle(fiwanoDownloadMedia.call(ctx, 'm'));
		expect(value?.fileName).toBeUndefined();
	});
});
