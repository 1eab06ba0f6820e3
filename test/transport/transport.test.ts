import type { NodeApiError } from 'n8n-workflow';
import nock from 'nock';

import { fiwanoApiRequest, fiwanoDownloadMedia } from '../../nodes/Fiwano/transport';
import {
	API_KEY,
	fiwanoApi,
	loadOptionsContext,
	setupHttp,
	TestCredentialsHelper,
} from '../helpers/harness';
import { delay, later, type LocalServer, startHttpServer } from '../helpers/node';

setupHttp();

const ctx = () => loadOptionsContext({ resource: 'channel', operation: 'getAll' });

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the request to fail');
}

describe('fiwanoApiRequest', () => {
	it('sends JSON with the API key to the configured base URL and returns the body', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb' })
			.matchHeader('content-type', /application\/json/)
			.reply(201, { id: 'redir_1', uri_pattern: 'https://app.example.com/cb' });
		const body = await fiwanoApiRequest.call(ctx(), 'POST', '/redirects', {
			body: { uri_pattern: 'https://app.example.com/cb' },
		});
		expect(body).toEqual({ id: 'redir_1', uri_pattern: 'https://app.example.com/cb' });
		expect(scope.isDone()).toBe(true);
	});

	it('reads and decrypts the credential once per request, not again for the authentication', async () => {
		const decrypt = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		try {
			const scope = fiwanoApi().get('/api/v1/channels').reply(200, { channels: [] });
			await fiwanoApiRequest.call(ctx(), 'GET', '/channels');
			expect(scope.isDone()).toBe(true);
			expect(decrypt).toHaveBeenCalledTimes(1);
		} finally {
			decrypt.mockRestore();
		}
	});

	it('strips a trailing slash from the base URL and passes the query string', async () => {
		const scope = nock('https://staging.fiwano.test', { reqheaders: { 'x-api-key': 'k2' } })
			.get('/api/v1/channels/abc/templates')
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: [] });
		const c = loadOptionsContext(
			{},
			{ credentials: { fiwanoApi: { apiKey: 'k2', baseUrl: 'https://staging.fiwano.test/' } } },
		);
		await fiwanoApiRequest.call(c, 'GET', '/channels/abc/templates', {
			qs: { sync: 'false', status: 'APPROVED' },
		});
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[400, { detail: 'Channel is inactive' }, 'Channel is inactive', /check the fields/i],
		[401, { detail: 'Invalid API key' }, 'Invalid API key', /API Key in the Fiwano credential/],
		[402, { detail: 'Pro license required' }, 'Pro license required', /Pro licence/],
		[404, { detail: 'Channel not found' }, 'Channel not found', /wrong or belongs to another/],
		[
			409,
			{
				detail: {
					code: 'no_free_slot',
					message: 'No free whatsapp slot',
					occupied_by: [{ id: 'c1' }],
				},
			},
			'No free whatsapp slot',
			/release a slot/,
		],
		[410, { detail: 'Media expired' }, 'Media expired', /60 minutes/],
		[
			422,
			{ detail: [{ loc: ['body', 'media_url'], msg: 'must be https' }] },
			'body.media_url: must be https',
			/Validation failed/,
		],
	])('keeps status %i, detail and adds a hint', async (status, body, detailText, hint) => {
		const scope = fiwanoApi().get('/api/v1/channels/c1').reply(status, body);
		const error = await failure(fiwanoApiRequest.call(ctx(), 'GET', '/channels/c1'));
		expect(error.httpCode).toBe(String(status));
		expect(error.message).toBe(`Fiwano ${status}: ${detailText}`);
		expect(error.description).toMatch(hint);
		expect(error.context.status).toBe(status);
		expect(error.context.detail).toEqual(body.detail);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps a structured text_too_long detail and its own hint first', async () => {
		const detail = {
			code: 'text_too_long',
			message: 'Text exceeds instagram limit of 1000 characters (got 1234).',
			actual_length: 1234,
			max_length: 1000,
			channel_type: 'instagram',
			hint: 'Split the text on your side and send as multiple messages.',
		};
		const scope = fiwanoApi().post('/api/v1/messages/send').once().reply(400, { detail });
		const error = await failure(
			fiwanoApiRequest.call(ctx(), 'POST', '/messages/send', {
				body: { channel_id: 'c1', recipient: '1', text: 'x' },
			}),
		);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe(
			'Fiwano 400: Text exceeds instagram limit of 1000 characters (got 1234).',
		);
		expect(error.context.detail).toEqual(detail);
		expect(error.context.code).toBe('text_too_long');
		expect(error.description).toContain('The instagram limit is 1000 characters');
		expect(error.description).toContain('Split the text on your side');
		expect(scope.isDone()).toBe(true);
	});

	it('waits for Retry-After on 429 and then succeeds', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.reply(429, { detail: 'Rate limit exceeded' }, { 'Retry-After': '1' })
			.get('/api/v1/channels')
			.reply(200, { channels: [], total: 0 });
		await expect(fiwanoApiRequest.call(ctx(), 'GET', '/channels')).resolves.toEqual({
			channels: [],
			total: 0,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('retries a send answered 503 with Retry-After: the server did not process it', async () => {
		const body = { channel_id: 'c1', recipient: '15550001', text: 'hi' };
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', body)
			.reply(503, { detail: 'Temporarily overloaded' }, { 'Retry-After': '0' })
			.post('/api/v1/messages/send', body)
			.reply(200, { success: true, message_id: 'm-1', status: 'sent' });
		await expect(fiwanoApiRequest.call(ctx(), 'POST', '/messages/send', { body })).resolves.toEqual(
			{
				success: true,
				message_id: 'm-1',
				status: 'sent',
			},
		);
		expect(scope.isDone()).toBe(true);
	});

	it('does not retry a send answered 500: it may have gone out', async () => {
		const body = { channel_id: 'c1', recipient: '15550001', text: 'hi' };
		const scope = fiwanoApi().post('/api/v1/messages/send', body).reply(500, { detail: 'boom' });
		const extra = fiwanoApi().post('/api/v1/messages/send').reply(200, { success: true });
		const error = await failure(fiwanoApiRequest.call(ctx(), 'POST', '/messages/send', { body }));
		expect(error.httpCode).toBe('500');
		expect(scope.isDone()).toBe(true);
		expect(extra.isDone()).toBe(false);
	});

	describe('over a real socket', () => {
		let local: LocalServer;
		let behaviour: 'reset' | 'hang';
		beforeAll(() => nock.enableNetConnect('127.0.0.1'));
		afterAll(() => nock.disableNetConnect());
		beforeEach(async () => {
			local = await startHttpServer((req, res) => {
				// The request reached the server whole: from here on it may have been processed.
				if (behaviour === 'reset') req.socket.destroy();
				else later(5000, () => res.end('{}'));
			});
		});
		afterEach(async () => await local.close());
		const ctxAt = (url: string) =>
			loadOptionsContext({}, { credentials: { fiwanoApi: { apiKey: API_KEY, baseUrl: url } } });
		const body = { channel_id: 'c1', recipient: '15550001', text: 'hi' };
		const seen = () =>
			local.requests.map((r) => `${r.method} ${r.url} ${String(r.headers['x-api-key'])} ${r.body}`);

		it('does not retry a send whose connection was reset after it was written', async () => {
			behaviour = 'reset';
			const error = await failure(
				fiwanoApiRequest.call(ctxAt(local.url), 'POST', '/messages/send', { body }),
			);
			expect(error.message).toMatch(/was not sent again/);
			expect(error.context.maybeSent).toBe(true);
			expect(seen()).toEqual([`POST /api/v1/messages/send ${API_KEY} ${JSON.stringify(body)}`]);
		});

		it('does not retry a send that timed out', async () => {
			behaviour = 'hang';
			const error = await failure(
				fiwanoApiRequest.call(ctxAt(local.url), 'POST', '/messages/send', { body, timeoutMs: 300 }),
			);
			expect(error.context.maybeSent).toBe(true);
			expect(seen()).toHaveLength(1);
		});

		it('flags a send cancelled while in flight as maybe sent, and sends nothing once cancelled', async () => {
			behaviour = 'hang';
			const controller = new AbortController();
			// The execution's cancel signal, as n8n hands it to a running node.
			const cancellable = Object.create(ctxAt(local.url), {
				getExecutionCancelSignal: { value: () => controller.signal },
			}) as ReturnType<typeof ctxAt>;
			const inFlight = failure(
				fiwanoApiRequest.call(cancellable, 'POST', '/messages/send', { body }),
			);
			while (local.requests.length === 0) await delay(10);
			controller.abort();
			const error = await inFlight;
			expect(error.message).toMatch(/cancelled while waiting.*may have accepted the message/);
			expect(error.context.maybeSent).toBe(true);
			const after = await failure(
				fiwanoApiRequest.call(cancellable, 'POST', '/messages/send', { body }),
			);
			expect(after.message).toBe('The execution was cancelled before this request was sent');
			expect(after.context.maybeSent).toBe(false);
			expect(seen()).toEqual([`POST /api/v1/messages/send ${API_KEY} ${JSON.stringify(body)}`]);
		});

		it('retries a GET whose connection was reset', async () => {
			behaviour = 'reset';
			const error = await failure(fiwanoApiRequest.call(ctxAt(local.url), 'GET', '/channels'));
			expect(error.context.maybeSent).toBe(false);
			// the first attempt and three back-off retries
			expect(seen()).toHaveLength(4);
		});

		it('retries a send whose connection was refused before anything was written', async () => {
			const { port, url } = local;
			await local.close();
			const refused = fiwanoApiRequest.call(ctxAt(url), 'POST', '/messages/send', { body });
			// A server comes up on the same port while the node backs off: the retry reaches it.
			await delay(100);
			local = await startHttpServer((_req, res) => {
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ success: true, message_id: 'm-2', status: 'sent' }));
			}, port);
			await expect(refused).resolves.toMatchObject({ message_id: 'm-2' });
			expect(local.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
				'POST /api/v1/messages/send',
			]);
		});
	});

	it('retries a GET answered 502', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c1')
			.reply(502, { detail: 'Meta API error' })
			.get('/api/v1/channels/c1')
			.reply(200, { id: 'c1' });
		await expect(fiwanoApiRequest.call(ctx(), 'GET', '/channels/c1')).resolves.toEqual({
			id: 'c1',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('bounds the total wait: a Retry-After beyond the budget fails at once with it', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.reply(429, { detail: 'Too many requests' }, { 'Retry-After': '120' });
		const error = await failure(
			fiwanoApiRequest.call(ctx(), 'GET', '/channels', { maxWaitMs: 5000 }),
		);
		expect(error.httpCode).toBe('429');
		expect(error.context.retryAfter).toBe(120);
		expect(error.description).toMatch(/Retry-After: 120 s/);
		expect(scope.isDone()).toBe(true);
	});

	it('reads a Retry-After given as an HTTP date', async () => {
		const retryAt = new Date(Date.now() + 120_000).toUTCString();
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.reply(429, { detail: 'Too many requests' }, { 'Retry-After': retryAt });
		const error = await failure(
			fiwanoApiRequest.call(ctx(), 'GET', '/channels', { maxWaitMs: 5000 }),
		);
		expect(error.httpCode).toBe('429');
		// The date has whole seconds: 119 or 120 s from now, far beyond the 5 s budget.
		expect(error.context.retryAfter).toBeGreaterThanOrEqual(118);
		expect(error.context.retryAfter).toBeLessThanOrEqual(120);
		expect(scope.isDone()).toBe(true);
	});

	it.each([301, 302, 307, 308])(
		'does not follow a %i on a send: the message is neither re-posted nor turned into a GET',
		async (status) => {
			const body = { channel_id: 'c1', recipient: '15550001', text: 'hi' };
			const elsewhere = 'https://elsewhere.fiwano.test/api/v1/messages/send';
			const scope = fiwanoApi()
				.post('/api/v1/messages/send', body)
				.reply(status, '', { Location: elsewhere });
			const followedGet = fiwanoApi().get('/api/v1/messages/send').reply(200, { success: true });
			const followedElsewhere = nock('https://elsewhere.fiwano.test')
				.post('/api/v1/messages/send')
				.reply(200, { success: true, message_id: 'm-dup', status: 'sent' })
				.get('/api/v1/messages/send')
				.reply(200, { success: true });
			const error = await failure(fiwanoApiRequest.call(ctx(), 'POST', '/messages/send', { body }));
			expect(error.httpCode).toBe(String(status));
			expect(error.description).toContain(`was not sent on to ${elsewhere}`);
			expect(error.description).toMatch(/Base URL in the Fiwano credential/);
			expect(error.context.location).toBe(elsewhere);
			expect(scope.isDone()).toBe(true);
			expect(followedGet.isDone()).toBe(false);
			expect(followedElsewhere.pendingMocks()).toHaveLength(2);
		},
	);

	it('bounds the retries when every 429 says Retry-After: 0', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.times(5)
			.reply(429, { detail: 'Too many requests' }, { 'Retry-After': '0' });
		const error = await failure(
			fiwanoApiRequest.call(ctx(), 'GET', '/channels', { maxWaitMs: 3000 }),
		);
		expect(error.httpCode).toBe('429');
		// Each retry counts a second against the 3 s budget: the first attempt and three retries.
		expect(error.description).toMatch(/Gave up after 4 attempts/);
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	it('gives up on repeated 429s once the wait budget is spent', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.times(3)
			.reply(429, { detail: 'Too many requests' }, { 'Retry-After': '1' });
		const error = await failure(
			fiwanoApiRequest.call(ctx(), 'GET', '/channels', { maxWaitMs: 2000 }),
		);
		expect(error.httpCode).toBe('429');
		expect(error.description).toMatch(/Gave up after 3 attempts/);
		expect(scope.isDone()).toBe(true);
	});
});

describe('fiwanoDownloadMedia', () => {
	it('returns the bytes with MIME type and file name', async () => {
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
		const scope = fiwanoApi().get('/api/v1/media/m1').reply(200, bytes, {
			'Content-Type': 'image/jpeg',
			'Content-Disposition': 'attachment; filename="photo.jpg"',
		});
		const media = await fiwanoDownloadMedia.call(ctx(), 'm1');
		expect(media.data.equals(bytes)).toBe(true);
		expect(media.mimeType).toBe('image/jpeg');
		expect(media.fileName).toBe('photo.jpg');
		expect(scope.isDone()).toBe(true);
	});

	it('says that media lives 60 minutes when it is gone (410)', async () => {
		const scope = fiwanoApi().get('/api/v1/media/m2').reply(410, { detail: 'Media expired' });
		const error = await failure(fiwanoDownloadMedia.call(ctx(), 'm2'));
		expect(error.httpCode).toBe('410');
		expect(error.message).toBe('Fiwano 410: Media expired');
		expect(error.description).toMatch(/60 minutes/);
		expect(scope.isDone()).toBe(true);
	});
});
