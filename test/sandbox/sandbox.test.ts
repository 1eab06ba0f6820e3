/**
 * The local Fiwano sandbox (test/sandbox/server.mjs) behaves like the documented API: these
 * tests pin what the e2e, demo and benchmark rely on. The sandbox runs as a child process
 * (it is ESM; jest runs CommonJS) with timeScale 1000, so the 30 s … 2 min webhook retry
 * schedule takes well under a second.
 */
import {
	delay,
	type Receiver,
	type SandboxProcess,
	signature,
	startReceiver,
	startSandboxProcess,
	waitFor,
} from './harness';

const KEY = 'mip_live_sandbox_demo_key';
const WA = 'a0a0a0a0a0a0a001';
const IG = 'b0b0b0b0b0b0b002';
const FB = 'c0c0c0c0c0c0c003';
const WA_CUSTOMER = '15551234567';
const IG_CUSTOMER = '6543217890123456';
const FB_CUSTOMER = '7890123456789012';

interface Reply {
	status: number;
	headers: Headers;
	// The sandbox answers JSON objects and arrays; tests read them field by field.
	body: Record<string, unknown> & { detail?: unknown };
	list: Array<Record<string, unknown>>;
	text: string;
}

interface ChannelOut {
	id: string;
	channel_type: string;
	name: string;
	is_active: boolean;
	webhook_url: string | null;
	has_webhook_secret: boolean;
	webhook_events: string[];
	echo_statuses: boolean;
	phone_number?: string | null;
	ig_username?: string | null;
	page_id?: string | null;
	subscription: { tier: string | null; status: string };
}

interface Delivery {
	delivery_id: string;
	event: string;
	url: string;
	attempt: number;
	status: number | null;
	outcome: string;
	error?: string;
	next_retry_ms?: number;
	ts: number;
}

interface Message {
	message_id: string;
	channel_id: string;
	recipient: string;
	kind: string;
	text?: string;
	status: string;
	reset?: boolean;
}

interface WebhookEvent {
	event: string;
	channel_id: string;
	channel_type: string;
	timestamp: string;
	data: Record<string, unknown> & { message_id: string };
}

let sandbox: SandboxProcess;
let receiver: Receiver;

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { 'x-api-key': KEY },
): Promise<Reply> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Media bytes and other non-JSON answers stay text.
	}
	return {
		status: response.status,
		headers: response.headers,
		body: (parsed && typeof parsed === 'object' ? parsed : {}) as Reply['body'],
		list: (Array.isArray(parsed) ? parsed : []) as Reply['list'],
		text,
	};
}

const control = (path: string, body?: unknown) =>
	call(body === undefined ? 'GET' : 'POST', `/_sandbox/${path}`, body, {});
const config = (patch: Record<string, unknown>) => control('config', patch);

async function deliveries(): Promise<Delivery[]> {
	return (await control('deliveries')).list as unknown[] as Delivery[];
}

async function messages(): Promise<Message[]> {
	return (await control('messages')).list as unknown[] as Message[];
}

/** Points a channel's webhook at the test receiver and returns the secret revealed by PATCH. */
async function connect(channelId: string, events: string[]): Promise<string> {
	const reply = await call('PATCH', `/api/v1/channels/${channelId}`, {
		webhook_url: receiver.url,
		webhook_events: events,
	});
	expect(reply.status).toBe(200);
	return reply.body.webhook_secret as string;
}

function eventsOf(requests: Receiver['requests']): WebhookEvent[] {
	return requests.map((r) => JSON.parse(r.raw) as WebhookEvent);
}

beforeAll(async () => {
	sandbox = await startSandboxProcess(['--time-scale', '1000']);
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await control('reset', {});
	receiver = await startReceiver();
});

afterEach(async () => {
	await receiver.close();
});

describe('authentication', () => {
	it('answers 401 with a detail without a key or with an unknown key', async () => {
		const missing = await call('GET', '/api/v1/channels', undefined, {});
		expect(missing.status).toBe(401);
		expect(missing.body.detail).toMatch(/X-API-Key/);
		const wrong = await call('GET', '/api/v1/channels', undefined, {
			'x-api-key': 'mip_live_nope',
		});
		expect(wrong.status).toBe(401);
		expect(wrong.body).toEqual({ detail: 'Invalid API key' });
	});

	it('accepts Authorization: Bearer, and X-API-Key wins when both are sent', async () => {
		expect(
			(await call('GET', '/api/v1/channels', undefined, { authorization: `Bearer ${KEY}` })).status,
		).toBe(200);
		expect(
			(
				await call('GET', '/api/v1/channels', undefined, {
					'x-api-key': KEY,
					authorization: 'Bearer mip_live_nope',
				})
			).status,
		).toBe(200);
		expect(
			(
				await call('GET', '/api/v1/channels', undefined, {
					'x-api-key': 'mip_live_nope',
					authorization: `Bearer ${KEY}`,
				})
			).status,
		).toBe(401);
	});

	it('logs every API request with its key, status and body', async () => {
		await call('POST', '/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb' });
		await call('GET', '/api/v1/channels', undefined, {});
		const log = (await control('log')).list;
		expect(log).toHaveLength(2);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: '/api/v1/redirects',
			status: 201,
			body: { uri_pattern: 'https://app.example.com/cb' },
			key: KEY,
		});
		expect(log[1]).toMatchObject({
			method: 'GET',
			path: '/api/v1/channels',
			status: 401,
			key: null,
		});
		expect(typeof log[0].seq).toBe('number');
		expect(typeof log[0].ts).toBe('number');
	});
});

describe('channels', () => {
	it('lists the seeded channels, active, Pro, without a webhook', async () => {
		const reply = await call('GET', '/api/v1/channels');
		const channels = reply.body.channels as ChannelOut[];
		expect(reply.body.total).toBe(3);
		expect(channels.map((c) => [c.id, c.channel_type, c.name])).toEqual([
			[WA, 'whatsapp', 'Sandbox WhatsApp'],
			[IG, 'instagram', 'sandbox_shop'],
			[FB, 'facebook', 'Sandbox Page'],
		]);
		expect(channels[0].phone_number).toBe('+15550000001');
		expect(channels[1].ig_username).toBe('sandbox_shop');
		expect(channels[2].page_id).toBe('100000000000003');
		for (const channel of channels) {
			expect(channel).toMatchObject({
				is_active: true,
				webhook_url: null,
				has_webhook_secret: false,
				webhook_events: [],
				echo_statuses: false,
			});
			expect(channel.subscription).toMatchObject({ status: 'active', tier: 'pro' });
			expect(channel).not.toHaveProperty('webhook_secret');
		}
		expect((await call('GET', '/api/v1/channels/ffffffffffffffff')).status).toBe(404);
	});

	it('generates a secret only when a URL is set and none exists, and shows it only in that response', async () => {
		const first = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_url: receiver.url,
			webhook_events: ['message.received'],
		});
		expect(first.body.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
		expect(first.body).toMatchObject({
			id: WA,
			webhook_url: receiver.url,
			webhook_events: ['message.received'],
		});

		const got = (await call('GET', `/api/v1/channels/${WA}`)).body as unknown as ChannelOut;
		expect(got.has_webhook_secret).toBe(true);
		expect(got).not.toHaveProperty('webhook_secret');

		const again = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_url: `${receiver.url}/v2`,
		});
		expect(again.body.webhook_secret).toBeNull();
		expect(again.body.webhook_events).toEqual(['message.received']);

		const ownSecret = 'k'.repeat(40);
		const own = await call('PATCH', `/api/v1/channels/${WA}`, { webhook_secret: ownSecret });
		expect(own.body.webhook_secret).toBe(ownSecret);

		const events = await call('PATCH', `/api/v1/channels/${IG}`, {
			webhook_events: ['message.received', 'message.read'],
		});
		expect(events.body.webhook_secret).toBeNull();
		expect(
			((await call('GET', `/api/v1/channels/${IG}`)).body as unknown as ChannelOut)
				.has_webhook_secret,
		).toBe(false);
	});

	it('keeps only the events valid for the channel type, sets echo_statuses and clears with ""', async () => {
		const ig = await call('PATCH', `/api/v1/channels/${IG}`, {
			webhook_url: receiver.url,
			webhook_events: ['message.received', 'message.sent', 'message.read', 'no.such.event'],
			echo_statuses: true,
		});
		expect(ig.body).toMatchObject({
			webhook_events: ['message.received', 'message.read'],
			echo_statuses: true,
		});
		const wa = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_events: ['message.sent', 'message.failed'],
		});
		expect(wa.body.webhook_events).toEqual(['message.sent', 'message.failed']);

		const cleared = await call('PATCH', `/api/v1/channels/${IG}`, {
			webhook_url: '',
			webhook_events: [],
		});
		expect(cleared.body).toMatchObject({ webhook_url: null, webhook_events: [] });
	});

	it('answers 422 lists for a bad webhook URL, an overlong secret or events that are not a list', async () => {
		const url = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_url: 'ftp://example.com/x',
		});
		expect(url.status).toBe(422);
		expect(url.body.detail).toEqual([
			expect.objectContaining({ type: 'value_error', loc: ['body', 'webhook_url'] }),
		]);
		const secret = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_secret: 'x'.repeat(65),
		});
		expect(secret.status).toBe(422);
		expect(secret.body.detail).toEqual([
			expect.objectContaining({ type: 'string_too_long', loc: ['body', 'webhook_secret'] }),
		]);
		const events = await call('PATCH', `/api/v1/channels/${WA}`, {
			webhook_events: 'message.received',
		});
		expect(events.status).toBe(422);
		expect(events.body.detail).toEqual([
			expect.objectContaining({ type: 'list_type', loc: ['body', 'webhook_events'] }),
		]);
	});

	it('deactivates on DELETE; sends to an inactive channel are refused', async () => {
		const del = await call('DELETE', `/api/v1/channels/${FB}`);
		expect(del.status).toBe(200);
		const got = (await call('GET', `/api/v1/channels/${FB}`)).body as unknown as ChannelOut;
		expect(got.is_active).toBe(false);
		const send = await call('POST', '/api/v1/messages/send', {
			channel_id: FB,
			recipient: FB_CUSTOMER,
			text: 'hi',
		});
		expect(send.status).toBe(400);
		expect(send.body.detail).toMatch(/inactive/);
	});

	it('connects a channel through setup-url, the stand-in OAuth page and exchange-code', async () => {
		const redirectUri = 'https://app.example.com/callback?state=abc';
		expect(
			(
				await call('POST', '/api/v1/channels/setup-url', {
					channel_type: 'whatsapp',
					redirect_uri: redirectUri,
				})
			).status,
		).toBe(400);
		const added = await call('POST', '/api/v1/redirects', {
			uri_pattern: 'https://app.example.com/callback?state=*',
		});
		expect(added.status).toBe(201);
		expect((await call('GET', '/api/v1/redirects')).body.redirects).toEqual([
			expect.objectContaining({
				id: added.body.id,
				uri_pattern: 'https://app.example.com/callback?state=*',
			}),
		]);

		const setup = await call('POST', '/api/v1/channels/setup-url', {
			channel_type: 'whatsapp',
			redirect_uri: redirectUri,
		});
		expect(setup.status).toBe(200);
		expect(setup.body).toEqual({
			setup_url: expect.stringContaining('/setup/start?session='),
			session_id: expect.any(String),
			expires_at: expect.any(String),
		});
		const page = await fetch(setup.body.setup_url as string);
		expect(await page.text()).toContain('Connect WhatsApp');
		const done = await fetch(
			`${sandbox.url}/setup/complete?session=${setup.body.session_id}&action=approve`,
			{ redirect: 'manual' },
		);
		expect(done.status).toBe(302);
		const location = new URL(done.headers.get('location') as string);
		expect(location.searchParams.get('state')).toBe('abc');
		expect(location.searchParams.get('status')).toBe('success');
		const code = location.searchParams.get('code') as string;

		const exchanged = await call('POST', '/api/v1/channels/exchange-code', {
			code,
			webhook_url: receiver.url,
			webhook_events: ['message.received'],
		});
		expect(exchanged.status).toBe(200);
		expect(exchanged.body).toMatchObject({
			channel_type: 'whatsapp',
			webhook_url: receiver.url,
			webhook_events: ['message.received'],
		});
		expect(exchanged.body.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
		expect((await call('GET', `/api/v1/channels/${exchanged.body.channel_id}`)).status).toBe(200);
		expect((await call('POST', '/api/v1/channels/exchange-code', { code })).status).toBe(400);
	});

	it('answers 409 no_free_slot when the slots of a type are configured full', async () => {
		await config({ freeSlots: { instagram: 0 } });
		await call('POST', '/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb' });
		const reply = await call('POST', '/api/v1/channels/setup-url', {
			channel_type: 'instagram',
			redirect_uri: 'https://app.example.com/cb',
		});
		expect(reply.status).toBe(409);
		expect(reply.body.detail).toMatchObject({ code: 'no_free_slot', occupied_by: [IG] });
		const subs = await call('GET', '/api/v1/subscriptions');
		expect(subs.body.available_slots).toMatchObject({
			instagram: { total: 0 },
			whatsapp: { total: 1 },
		});
	});
});

describe('sending', () => {
	it('accepts a text send and records it', async () => {
		const reply = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: 'Hello',
		});
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			success: true,
			message_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			error: null,
			error_code: null,
			status: 'sent',
		});
		expect(await messages()).toEqual([
			expect.objectContaining({
				message_id: reply.body.message_id,
				channel_id: WA,
				recipient: WA_CUSTOMER,
				kind: 'text',
				text: 'Hello',
			}),
		]);
	});

	it('measures text_too_long in code points, per channel type', async () => {
		const emoji = '\u{1F600}';
		const ok = await call('POST', '/api/v1/messages/send', {
			channel_id: IG,
			recipient: IG_CUSTOMER,
			text: emoji.repeat(1000),
		});
		expect(ok.status).toBe(200);
		const long = await call('POST', '/api/v1/messages/send', {
			channel_id: IG,
			recipient: IG_CUSTOMER,
			text: emoji.repeat(1001),
		});
		expect(long.status).toBe(400);
		expect(long.body.detail).toEqual({
			code: 'text_too_long',
			message: 'Text exceeds instagram limit of 1000 characters (got 1001).',
			actual_length: 1001,
			max_length: 1000,
			channel_type: 'instagram',
			hint: expect.any(String),
		});
		expect(
			(
				await call('POST', '/api/v1/messages/send', {
					channel_id: FB,
					recipient: FB_CUSTOMER,
					text: 'x'.repeat(2001),
				})
			).body.detail,
		).toMatchObject({ max_length: 2000 });
		expect(
			(
				await call('POST', '/api/v1/messages/send', {
					channel_id: WA,
					recipient: WA_CUSTOMER,
					text: 'x'.repeat(4096),
				})
			).status,
		).toBe(200);
	});

	it('answers 422 lists for blank text and missing fields', async () => {
		const blank = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: ' \n ',
		});
		expect(blank.status).toBe(422);
		expect(blank.body.detail).toEqual([
			expect.objectContaining({
				type: 'value_error',
				loc: ['body', 'text'],
				msg: expect.stringMatching(/non-whitespace/),
			}),
		]);
		const missing = await call('POST', '/api/v1/messages/send', { channel_id: WA });
		expect(missing.status).toBe(422);
		expect((missing.body.detail as Array<{ loc: unknown[] }>).map((e) => e.loc)).toEqual([
			['body', 'recipient'],
			['body', 'text'],
		]);
		expect((await call('POST', '/api/v1/messages/send', '{not json')).status).toBe(422);
		expect(await messages()).toEqual([]);
	});

	it('rejects invalid recipients and sends to the channel itself with structured 400s', async () => {
		const cases: Array<[string, string, string]> = [
			[WA, '   ', 'empty'],
			[WA, '[object Object]', 'no_digits'],
			[IG, 'alex.ig1', 'not_numeric'],
			[FB, '+7890123456789012', 'not_numeric'],
		];
		for (const [channel, recipient, reason] of cases) {
			const reply = await call('POST', '/api/v1/messages/send', {
				channel_id: channel,
				recipient,
				text: 'hi',
			});
			expect(reply.status).toBe(400);
			expect(reply.body.detail).toMatchObject({
				code: 'invalid_recipient',
				reason,
				hint: expect.any(String),
			});
		}
		const self = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: '+1 555 000 0001',
			text: 'hi',
		});
		expect(self.status).toBe(400);
		expect(self.body.detail).toMatchObject({ code: 'recipient_equals_sender' });
		const trimmed = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: `  ${WA_CUSTOMER} `,
			text: 'hi',
		});
		expect(trimmed.status).toBe(200);
		expect((await messages()).map((m) => m.recipient)).toEqual([WA_CUSTOMER]);
	});

	it('answers success:false with the Meta error code for the failing recipient', async () => {
		const reply = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: '15550000000',
			text: 'hi',
		});
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({
			success: false,
			status: 'failed',
			error_code: 131026,
			error: expect.stringContaining('131026'),
		});
		await config({ failingRecipients: { [IG_CUSTOMER]: 551 } });
		expect(
			(
				await call('POST', '/api/v1/messages/send', {
					channel_id: IG,
					recipient: IG_CUSTOMER,
					text: 'hi',
				})
			).body,
		).toMatchObject({ success: false, error_code: 551 });
	});

	it('validates media sends: HTTPS URLs (422) and sticker fields per channel (400)', async () => {
		const http = await call('POST', '/api/v1/messages/send-media', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			media_type: 'image',
			media_url: 'http://cdn.example.com/a.jpg',
		});
		expect(http.status).toBe(422);
		expect(http.body.detail).toEqual([
			expect.objectContaining({ type: 'value_error', loc: ['body', 'media_url'] }),
		]);
		const sticker = (channel: string, recipient: string, extra: Record<string, string>) =>
			call('POST', '/api/v1/messages/send-media', {
				channel_id: channel,
				recipient,
				media_type: 'sticker',
				...extra,
			});
		expect(
			(await sticker(IG, IG_CUSTOMER, { media_url: 'https://cdn.example.com/s.webp' })).body.detail,
		).toMatchObject({ code: 'invalid_media_request', reason: 'sticker_unsupported' });
		expect(
			(await sticker(WA, WA_CUSTOMER, { sticker_id: '369239263222822' })).body.detail,
		).toMatchObject({ code: 'invalid_media_request', reason: 'media_url_required' });
		expect(
			(await sticker(FB, FB_CUSTOMER, { media_url: 'https://cdn.example.com/s.webp' })).body.detail,
		).toMatchObject({ code: 'invalid_media_request', reason: 'sticker_id_required' });
		const ok = await sticker(FB, FB_CUSTOMER, { sticker_id: '369239263222822' });
		expect(ok.body).toMatchObject({ success: true, status: 'sent' });
		const image = await call('POST', '/api/v1/messages/send-media', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			media_type: 'image',
			media_url: 'https://cdn.example.com/a.jpg',
			caption: 'Look',
		});
		expect(image.body).toMatchObject({ success: true });
		expect((await messages()).map((m) => m.kind)).toEqual(['media', 'media']);
	});

	it('answers 402 for media and templates on a Starter channel, text still works', async () => {
		await control('channels', { id: WA, tier: 'starter' });
		const media = await call('POST', '/api/v1/messages/send-media', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			media_type: 'image',
			media_url: 'https://cdn.example.com/a.jpg',
		});
		expect(media.status).toBe(402);
		expect(media.body.detail).toMatch(/Pro/);
		const template = await call('POST', '/api/v1/messages/send-template', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			template_name: 'order_update',
			language: 'en_US',
		});
		expect(template.status).toBe(402);
		expect((await call('GET', `/api/v1/channels/${WA}/templates`)).status).toBe(402);
		expect(
			(
				await call('POST', '/api/v1/messages/send', {
					channel_id: WA,
					recipient: WA_CUSTOMER,
					text: 'hi',
				})
			).status,
		).toBe(200);
	});

	it('sends approved templates with matching variables and refuses the others', async () => {
		const send = (body: Record<string, unknown>) =>
			call('POST', '/api/v1/messages/send-template', {
				channel_id: WA,
				recipient: WA_CUSTOMER,
				language: 'en_US',
				...body,
			});
		const ok = await send({
			template_name: 'order_update',
			variables: { body: ['Alex', 'ORD-7'], buttons: [{ index: 0, value: 'ORD-7' }] },
		});
		expect(ok.body).toMatchObject({ success: true, status: 'sent' });
		const named = await send({
			template_name: 'welcome_named',
			variables: { body: { customer_name: 'Alex' } },
		});
		expect(named.body).toMatchObject({ success: true });
		const wrongCount = await send({ template_name: 'order_update', variables: { body: ['Alex'] } });
		expect(wrongCount.body).toMatchObject({ success: false, status: 'failed', error_code: 132000 });
		expect(
			(await send({ template_name: 'promo_pending', variables: { body: ['25%'] } })).status,
		).toBe(400);
		expect((await send({ template_name: 'nope' })).status).toBe(404);
		expect(
			(
				await call('POST', '/api/v1/messages/send-template', {
					channel_id: IG,
					recipient: IG_CUSTOMER,
					template_name: 'order_update',
					language: 'en_US',
				})
			).status,
		).toBe(400);
		const sent = await messages();
		expect(sent[0]).toMatchObject({
			kind: 'template',
			text: 'Hi Alex, your order ORD-7 is ready.',
		});
	});
});

describe('templates, profiles and redirects', () => {
	it('creates, filters, updates and deletes templates', async () => {
		const base = `/api/v1/channels/${WA}/templates`;
		const body = {
			name: 'shipping_note',
			category: 'UTILITY',
			language: 'en_US',
			components: [{ type: 'BODY', text: 'Shipped {{1}}', example: { body_text: [['ORD-1']] } }],
		};
		const created = await call('POST', base, body);
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			name: 'shipping_note',
			status: 'PENDING',
			parameter_format: 'positional',
			variables: { total_count: 1 },
		});
		expect((await call('POST', base, body)).status).toBe(400);
		expect((await call('POST', base, { ...body, name: 'Bad Name' })).status).toBe(422);
		expect(
			(
				await call('POST', base, {
					...body,
					name: 'no_body',
					components: [{ type: 'FOOTER', text: 'x' }],
				})
			).status,
		).toBe(422);

		const pending = await call('GET', `${base}?status=PENDING&sync=false`);
		expect((pending.body.templates as Array<{ name: string }>).map((t) => t.name)).toEqual([
			'promo_pending',
			'shipping_note',
		]);
		expect(pending.body.synced).toBe(false);
		expect((await call('GET', base)).body).toMatchObject({ total: 4, synced: true });
		expect((await call('GET', `${base}/tpl_order_update`)).body).toMatchObject({
			name: 'order_update',
			status: 'APPROVED',
		});

		expect(
			(await call('PUT', `${base}/${created.body.id}`, { components: body.components })).status,
		).toBe(400);
		const edited = await call('PUT', `${base}/tpl_order_update`, {
			components: [{ type: 'BODY', text: 'Order {{1}} ready' }],
		});
		expect(edited.body).toMatchObject({ status: 'PENDING' });

		expect((await call('DELETE', `${base}/${created.body.id}`)).status).toBe(200);
		expect((await call('GET', `${base}/${created.body.id}`)).status).toBe(404);
		expect((await call('GET', `/api/v1/channels/${IG}/templates`)).status).toBe(400);
	});

	it('returns Instagram and Messenger profiles, null for unknown users, 400 on WhatsApp', async () => {
		const ig = await call('GET', `/api/v1/channels/${IG}/profile/${IG_CUSTOMER}`);
		expect(ig.body).toMatchObject({
			channel_id: IG,
			channel_type: 'instagram',
			user_id: IG_CUSTOMER,
			profile: { username: 'alex.ig', name: 'Alex Insta' },
			cached: false,
		});
		expect((await call('GET', `/api/v1/channels/${IG}/profile/${IG_CUSTOMER}`)).body.cached).toBe(
			true,
		);
		const fb = await call('GET', `/api/v1/channels/${FB}/profile/${FB_CUSTOMER}`);
		expect(fb.body.profile).toMatchObject({ first_name: 'Alex', last_name: 'Messenger' });
		expect((await call('GET', `/api/v1/channels/${FB}/profile/1234`)).body).toMatchObject({
			profile: null,
		});
		expect((await call('GET', `/api/v1/channels/${WA}/profile/${WA_CUSTOMER}`)).status).toBe(400);
	});

	it('validates and deletes redirect URIs', async () => {
		expect(
			(await call('POST', '/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb#x' }))
				.status,
		).toBe(422);
		expect(
			(
				await call('POST', '/api/v1/redirects', {
					uri_pattern: 'https://app.example.com/cb?code=1',
				})
			).status,
		).toBe(422);
		const added = await call('POST', '/api/v1/redirects', {
			uri_pattern: 'https://*.example.com/cb',
		});
		expect(added.status).toBe(201);
		expect((await call('DELETE', `/api/v1/redirects/${added.body.id}`)).status).toBe(200);
		expect((await call('DELETE', `/api/v1/redirects/${added.body.id}`)).status).toBe(404);
	});
});

describe('webhooks', () => {
	it('signs message.received with HMAC-SHA256 over the exact bytes sent', async () => {
		const secret = await connect(WA, ['message.received']);
		const inbound = await control('inbound', { channel_id: WA, text: 'Hi there' });
		expect(inbound.body.delivery_id).toEqual(expect.any(String));
		await waitFor(() => receiver.requests.length === 1, 'the delivery');
		const [request] = receiver.requests;
		expect(request.headers['x-webhook-signature']).toBe(signature(secret, request.raw));
		expect(request.headers['content-type']).toBe('application/json');
		expect(JSON.parse(request.raw)).toEqual(inbound.body.event);
		expect(JSON.parse(request.raw)).toMatchObject({
			event: 'message.received',
			channel_id: WA,
			channel_type: 'whatsapp',
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			data: {
				from: WA_CUSTOMER,
				from_name: 'Alex Doe',
				type: 'text',
				text: 'Hi there',
				message_id: expect.stringMatching(/^wamid\./),
			},
		});
		const [attempt] = await waitFor(
			async () => ((await deliveries()).length ? deliveries() : undefined),
			'the record',
		);
		expect(attempt).toMatchObject({
			delivery_id: inbound.body.delivery_id,
			event: 'message.received',
			url: receiver.url,
			attempt: 1,
			status: 200,
			outcome: 'delivered',
		});
	});

	it('delivers nothing when the event is not enabled, and unsigned when there is no secret', async () => {
		await connect(WA, ['message.delivered']);
		const skipped = await control('inbound', { channel_id: WA, text: 'x' });
		expect(skipped.body).toMatchObject({ delivery_id: null, skipped: expect.any(String) });
		await control('channels', {
			id: FB,
			webhook_url: receiver.url,
			webhook_events: ['message.received'],
		});
		await control('inbound', { channel_id: FB, text: 'unsigned' });
		await waitFor(() => receiver.requests.length === 1, 'the delivery');
		expect(receiver.requests[0].headers).not.toHaveProperty('x-webhook-signature');
		expect(eventsOf(receiver.requests)[0].data).toMatchObject({
			from: FB_CUSTOMER,
			from_name: null,
			text: 'unsigned',
		});
	});

	it('retries a failing endpoint on the documented schedule (divided by timeScale), then gives up', async () => {
		// timeScale 500: the 12.5 minutes of retries take 1.4 s, well inside the (scaled) 20-minute
		// deadline of 2.4 s even on a busy machine.
		await config({ timeScale: 500 });
		receiver.setResponder(() => 500);
		const secret = await connect(IG, ['message.received']);
		const { body } = await control('inbound', { channel_id: IG, text: 'retry me' });
		const attempts = await waitFor(async () => {
			const list = (await deliveries()).filter((d) => d.delivery_id === body.delivery_id);
			return list.length === 8 ? list : undefined;
		}, 'eight attempts');
		expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(attempts.map((a) => a.next_retry_ms)).toEqual([
			60,
			120,
			240,
			240,
			240,
			240,
			240,
			undefined,
		]);
		expect(attempts.map((a) => a.outcome)).toEqual([...Array(7).fill('retrying'), 'failed']);
		expect(attempts.every((a) => a.status === 500)).toBe(true);
		await delay(300);
		expect(receiver.requests).toHaveLength(8);
		const raw = receiver.requests[0].raw;
		for (const request of receiver.requests) {
			expect(request.raw).toBe(raw);
			expect(request.headers['x-webhook-signature']).toBe(signature(secret, raw));
		}
	});

	it('stops retrying once the endpoint answers 2xx, and treats a slow endpoint as failed', async () => {
		await config({ webhookTimeoutMs: 150 });
		receiver.setResponder((_request, n) => (n === 1 ? 'hang' : n === 2 ? 503 : 204));
		await connect(WA, ['message.received']);
		const { body } = await control('inbound', { channel_id: WA, text: 'eventually' });
		const attempts = await waitFor(async () => {
			const list = (await deliveries()).filter((d) => d.delivery_id === body.delivery_id);
			return list.some((a) => a.outcome === 'delivered') ? list : undefined;
		}, 'a successful attempt');
		expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
			[1, null, 'retrying'],
			[2, 503, 'retrying'],
			[3, 204, 'delivered'],
		]);
		expect(attempts[0].error).toMatch(/timeout/);
		await delay(200);
		expect(receiver.requests).toHaveLength(3);
	});

	it('sends message.sent, message.delivered and message.read per channel type and enabled events', async () => {
		const waSecret = await connect(WA, ['message.sent', 'message.delivered', 'message.read']);
		await connect(IG, ['message.sent', 'message.delivered', 'message.read']);
		const wa = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: 'one',
		});
		const ig = await call('POST', '/api/v1/messages/send', {
			channel_id: IG,
			recipient: IG_CUSTOMER,
			text: 'two',
		});
		await waitFor(
			() => receiver.requests.length === 3,
			'sent + delivered (WhatsApp) and delivered (Instagram)',
		);
		const read = await control('read', { channel_id: WA, recipient: WA_CUSTOMER });
		expect(read.body.read).toEqual([wa.body.message_id]);
		await waitFor(() => receiver.requests.length === 4, 'the read receipt');
		const events = eventsOf(receiver.requests);
		const forWa = events.filter((e) => e.data.message_id === wa.body.message_id);
		expect(forWa.map((e) => e.event).sort()).toEqual([
			'message.delivered',
			'message.read',
			'message.sent',
		]);
		expect(forWa.find((e) => e.event === 'message.read')?.data).toEqual({
			message_id: wa.body.message_id,
			status: 'read',
			recipient: WA_CUSTOMER,
		});
		expect(
			events.filter((e) => e.data.message_id === ig.body.message_id).map((e) => e.event),
		).toEqual(['message.delivered']);
		for (const request of receiver.requests.filter(
			(r) => (JSON.parse(r.raw) as WebhookEvent).channel_id === WA,
		)) {
			expect(request.headers['x-webhook-signature']).toBe(signature(waSecret, request.raw));
		}
		expect((await messages()).map((m) => m.status)).toEqual(['read', 'delivered']);
	});

	it('stores inbound media, serves it with its type and name, and answers 410 once expired', async () => {
		await connect(WA, ['message.received']);
		const bytes = Buffer.from('\x89PNG fake image bytes');
		const { body } = await control('inbound', {
			channel_id: WA,
			text: 'my photo',
			media: { mime_type: 'image/png', filename: 'photo.png', base64: bytes.toString('base64') },
		});
		const data = (body.event as WebhookEvent).data as unknown as {
			type: string;
			caption: string;
			media: { media_id: string; download_url: string; file_size: number; mime_type: string };
		};
		expect(data).toMatchObject({
			type: 'image',
			caption: 'my photo',
			media: { mime_type: 'image/png', file_size: bytes.length },
		});
		expect(data.media.download_url).toBe(`${sandbox.url}/api/v1/media/${data.media.media_id}`);
		const download = await fetch(data.media.download_url, { headers: { 'x-api-key': KEY } });
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('image/png');
		expect(download.headers.get('content-disposition')).toContain('filename="photo.png"');
		expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
		expect((await fetch(data.media.download_url)).status).toBe(401);
		expect((await call('GET', '/api/v1/media/mnope')).status).toBe(404);

		await config({ timeScale: 1_000_000 });
		const quick = await control('inbound', {
			channel_id: WA,
			media: { mime_type: 'image/jpeg', base64: bytes.toString('base64') },
		});
		const quickId = (
			(quick.body.event as WebhookEvent).data as unknown as { media: { media_id: string } }
		).media.media_id;
		await delay(20);
		expect((await call('GET', `/api/v1/media/${quickId}`)).status).toBe(410);
	});

	it('turns inbound media into type "unsupported" on a Starter channel', async () => {
		await control('channels', { id: IG, tier: 'starter' });
		const { body } = await control('inbound', {
			channel_id: IG,
			media: { mime_type: 'image/jpeg', base64: 'AAAA' },
		});
		expect((body.event as WebhookEvent).data).toMatchObject({
			type: 'unsupported',
			unsupported_type: 'image',
			upgrade_required: 'pro',
		});
		expect((body.event as WebhookEvent).data).not.toHaveProperty('media');
	});
});

describe('quoted replies (reply_to)', () => {
	interface Quote {
		message_id: string;
		known: boolean;
		author: string | null;
		text: string | null;
	}
	const inboundOf = (reply: Reply) =>
		reply.body.inbound as { message_id: string; reply_to?: string; quote?: Quote };
	const dataOf = (reply: Reply) => (reply.body.event as WebhookEvent).data;

	it("carries data.reply_to.message_id: a sent message's Fiwano UUID, the user's own message's provider id", async () => {
		await connect(WA, ['message.received']);
		const question =
			'Refund 40 EUR to order 1042? Answer: http://127.0.0.1:5678/webhook-waiting/123/node?signature=abc';
		const sent = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: question,
		});
		expect(sent.status).toBe(200);
		const questionId = sent.body.message_id as string;
		expect(questionId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);

		const hello = await control('inbound', { channel_id: WA, text: 'hello' });
		const yes = await control('inbound', { channel_id: WA, text: 'yes', reply_to: questionId });
		const own = await control('inbound', {
			channel_id: WA,
			text: 'I meant this',
			reply_to: { message_id: inboundOf(hello).message_id },
		});
		expect([hello.status, yes.status, own.status]).toEqual([200, 200, 200]);

		await waitFor(() => receiver.requests.length === 3, 'the three deliveries');
		const delivered = eventsOf(receiver.requests);
		const byText = (text: string) => delivered.find((e) => e.data.text === text)!.data;
		expect(byText('hello')).not.toHaveProperty('reply_to');
		expect(byText('yes')).toEqual({
			message_id: inboundOf(yes).message_id,
			from: WA_CUSTOMER,
			from_name: 'Alex Doe',
			type: 'text',
			text: 'yes',
			reply_to: { message_id: questionId },
		});
		expect(byText('I meant this').reply_to).toEqual({ message_id: inboundOf(hello).message_id });
		expect(inboundOf(hello).message_id).toMatch(/^wamid\./);

		// The records the phone page draws the quoted block from.
		expect(inboundOf(hello)).not.toHaveProperty('quote');
		expect(inboundOf(yes)).toMatchObject({
			reply_to: questionId,
			quote: { message_id: questionId, known: true, author: 'business', text: question },
		});
		expect(inboundOf(own).quote).toEqual({
			message_id: inboundOf(hello).message_id,
			known: true,
			author: 'customer',
			text: 'hello',
		});
	});

	it('quotes from media replies too, and passes an id the conversation does not know through as is', async () => {
		await connect(IG, ['message.received']);
		const waSend = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: 'a WhatsApp question',
		});
		const igSend = await call('POST', '/api/v1/messages/send', {
			channel_id: IG,
			recipient: IG_CUSTOMER,
			text: 'Which size?',
		});
		const photo = await control('inbound', {
			channel_id: IG,
			text: 'this one',
			reply_to: igSend.body.message_id,
			media: { mime_type: 'image/png', base64: Buffer.from('png').toString('base64') },
		});
		expect(dataOf(photo)).toMatchObject({
			type: 'image',
			caption: 'this one',
			reply_to: { message_id: igSend.body.message_id },
		});
		expect(inboundOf(photo).quote).toMatchObject({
			known: true,
			author: 'business',
			text: 'Which size?',
		});

		// Another channel's message, another sender's conversation, an id nobody sent: Fiwano
		// passes the id on unchanged (webhooks.md); the page only learns it is not in the thread.
		const otherChannel = await control('inbound', {
			channel_id: IG,
			text: 'x',
			reply_to: waSend.body.message_id,
		});
		const otherSender = await control('inbound', {
			channel_id: IG,
			from: '1111222233334444',
			text: 'y',
			reply_to: igSend.body.message_id,
		});
		const unknown = await control('inbound', {
			channel_id: IG,
			text: 'z',
			reply_to: 'mid.unknown',
		});
		expect(dataOf(otherChannel).reply_to).toEqual({ message_id: waSend.body.message_id });
		expect(dataOf(otherSender).reply_to).toEqual({ message_id: igSend.body.message_id });
		expect(dataOf(unknown).reply_to).toEqual({ message_id: 'mid.unknown' });
		for (const reply of [otherChannel, otherSender, unknown])
			expect(inboundOf(reply).quote).toMatchObject({ known: false, author: null, text: null });
		await waitFor(() => receiver.requests.length === 4, 'the four deliveries');
		// Deliveries run concurrently: compare them by text, not by arrival order.
		const replyToByText = Object.fromEntries(
			eventsOf(receiver.requests).map((e) => [e.data.caption ?? e.data.text, e.data.reply_to]),
		);
		expect(replyToByText).toEqual({
			'this one': { message_id: igSend.body.message_id },
			x: { message_id: waSend.body.message_id },
			y: { message_id: igSend.body.message_id },
			z: { message_id: 'mid.unknown' },
		});
	});

	it('refuses a reply_to that is not a message id, recording and delivering nothing', async () => {
		await connect(WA, ['message.received']);
		for (const replyTo of [42, {}, { message_id: '' }, ['wamid.x'], '   ']) {
			const refused = await control('inbound', { channel_id: WA, text: 'no', reply_to: replyTo });
			expect(refused.status).toBe(422);
			expect(refused.body.detail).toMatch(/^reply_to must be the quoted message id/);
		}
		for (const absent of [null, '']) {
			const plain = await control('inbound', { channel_id: WA, text: 'plain', reply_to: absent });
			expect(plain.status).toBe(200);
			expect(dataOf(plain)).not.toHaveProperty('reply_to');
		}
		expect((await control('inbound')).list.map((r) => r.text)).toEqual(['plain', 'plain']);
		await waitFor(() => receiver.requests.length === 2, 'the two plain deliveries');
	});
});

describe('rate limits and faults', () => {
	it('limits sends per channel with 429, Retry-After and X-RateLimit-*, processing nothing over the limit', async () => {
		await config({ perChannelSendsPerSecond: 2 });
		const replies = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				call('POST', '/api/v1/messages/send', {
					channel_id: WA,
					recipient: WA_CUSTOMER,
					text: `n${i}`,
				}),
			),
		);
		const accepted = replies.filter((r) => r.status === 200);
		const refused = replies.filter((r) => r.status === 429);
		expect(accepted.length + refused.length).toBe(6);
		expect(refused.length).toBeGreaterThan(0);
		for (const reply of refused) {
			expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
			expect(reply.headers.get('x-ratelimit-limit')).toBe('2');
			expect(reply.headers.get('x-ratelimit-remaining')).toBe('0');
			expect(Number(reply.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(0);
			expect(reply.body.detail).toMatch(/Rate limit/);
		}
		for (const reply of accepted) expect(reply.headers.get('x-ratelimit-limit')).toBe('2');
		expect((await messages()).length).toBe(accepted.length);
		// Another channel has its own allowance.
		expect(
			(
				await call('POST', '/api/v1/messages/send', {
					channel_id: IG,
					recipient: IG_CUSTOMER,
					text: 'x',
				})
			).status,
		).toBe(200);
	});

	it('limits other requests per API key when perKeyPerSecond is set', async () => {
		await config({ perKeyPerSecond: 1 });
		const replies = await Promise.all(
			Array.from({ length: 4 }, () => call('GET', '/api/v1/channels')),
		);
		expect(replies.some((r) => r.status === 429)).toBe(true);
		expect(replies.find((r) => r.status === 200)?.headers.get('x-ratelimit-limit')).toBe('1');
	});

	it('injects 503 with Retry-After without processing the send', async () => {
		await config({ faults: { status503Ratio: 1, retryAfterSeconds: 3 } });
		const reply = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: WA_CUSTOMER,
			text: 'x',
		});
		expect(reply.status).toBe(503);
		expect(reply.headers.get('retry-after')).toBe('3');
		expect(await messages()).toEqual([]);
	});

	it('resets the connection after processing a send, which still counts as a message', async () => {
		await connect(WA, ['message.sent']);
		await config({ faults: { resetAfterWriteRatio: 1, scope: 'sends' } });
		await expect(
			call('POST', '/api/v1/messages/send', {
				channel_id: WA,
				recipient: WA_CUSTOMER,
				text: 'lost answer',
			}),
		).rejects.toThrow();
		const [message] = await messages();
		expect(message).toMatchObject({ text: 'lost answer', reset: true });
		const log = (await control('log')).list;
		expect(log.find((e) => e.path === '/api/v1/messages/send')).toMatchObject({
			status: 200,
			fault: 'reset',
		});
		await waitFor(() => receiver.requests.length === 1, 'message.sent for the reset send');
		expect(eventsOf(receiver.requests)[0]).toMatchObject({
			event: 'message.sent',
			data: { message_id: message.message_id },
		});
		// scope 'sends': other requests are answered normally.
		expect((await call('GET', '/api/v1/channels')).status).toBe(200);
	});
});

describe('control API', () => {
	it('delivers raw events with a valid, forged or no signature, once, and redelivers the same bytes', async () => {
		const secret = await connect(FB, ['message.received']);
		const event = {
			event: 'message.received',
			channel_id: FB,
			channel_type: 'facebook',
			timestamp: '2026-01-01T00:00:00Z',
			data: { message_id: 'mid.1', from: FB_CUSTOMER, from_name: null, type: 'text', text: 'raw' },
		};
		receiver.setResponder((request) =>
			request.headers['x-webhook-signature'] === signature(secret, request.raw) ? 200 : 401,
		);
		const valid = await control('deliver', { channel_id: FB, event, signature: 'valid' });
		expect(valid.body).toMatchObject({ status: 200, body: { received: 1 } });
		const forged = await control('deliver', { channel_id: FB, event, signature: 'forged' });
		expect(forged.body).toMatchObject({ status: 401 });
		expect(receiver.requests[1].headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
		const none = await control('deliver', { channel_id: FB, event, signature: 'none' });
		expect(none.body).toMatchObject({ status: 401 });
		expect(receiver.requests[2].headers).not.toHaveProperty('x-webhook-signature');

		const again = await control('redeliver', { delivery_id: valid.body.delivery_id });
		expect(again.body).toMatchObject({ status: 200 });
		expect(receiver.requests[3].raw).toBe(receiver.requests[0].raw);
		expect(receiver.requests[3].headers['x-webhook-signature']).toBe(
			receiver.requests[0].headers['x-webhook-signature'],
		);
		await delay(100);
		expect(receiver.requests).toHaveLength(4);
	});

	it('shows state, upserts channels and templates, and resets to the seed', async () => {
		await connect(WA, ['message.received']);
		const channel = await control('channels', {
			id: 'd0d0d0d0d0d0d004',
			channel_type: 'whatsapp',
			name: 'Second number',
			phone_number: '+15550000004',
			tier: 'starter',
		});
		expect(channel.body).toMatchObject({
			id: 'd0d0d0d0d0d0d004',
			name: 'Second number',
			subscription: { tier: 'starter' },
		});
		const template = await control('templates', {
			channel_id: WA,
			name: 'extra',
			language: 'de',
			status: 'REJECTED',
			category: 'MARKETING',
			components: [{ type: 'BODY', text: 'Hallo' }],
			parameter_format: 'positional',
		});
		expect(template.body).toMatchObject({ name: 'extra', status: 'REJECTED' });
		const state = (await control('state')).body;
		expect(Object.keys(state)).toEqual(
			expect.arrayContaining(['channels', 'templates', 'messages', 'deliveries']),
		);
		expect((state.channels as ChannelOut[]).map((c) => c.id)).toContain('d0d0d0d0d0d0d004');
		expect((state.templates as Array<{ name: string }>).map((t) => t.name)).toContain('extra');

		await control('reset', {});
		const after = (await control('state')).body;
		expect((after.channels as ChannelOut[]).map((c) => c.id)).toEqual([WA, IG, FB]);
		expect((after.channels as ChannelOut[])[0].webhook_url).toBeNull();
		expect((after.templates as Array<{ name: string }>).map((t) => t.name)).toEqual([
			'order_update',
			'welcome_named',
			'promo_pending',
		]);
		expect((await control('log')).list).toEqual([]);
	});

	it('streams inbound messages, sends and statuses as Server-Sent Events', async () => {
		const abort = new AbortController();
		const response = await fetch(`${sandbox.url}/_sandbox/stream`, { signal: abort.signal });
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		const reader = (response.body as ReadableStream<Uint8Array>).getReader();
		const decoder = new TextDecoder();
		let text = '';
		const until = async (needle: string) => {
			while (!text.includes(needle)) {
				const { value, done } = await reader.read();
				if (done) throw new Error(`stream ended before ${needle}`);
				text += decoder.decode(value);
			}
		};
		await until('event: hello');
		await control('inbound', { channel_id: IG, text: 'streamed' });
		await call('POST', '/api/v1/messages/send', {
			channel_id: IG,
			recipient: IG_CUSTOMER,
			text: 'reply',
		});
		await until('event: status');
		abort.abort();
		expect(text).toMatch(/event: inbound\ndata: .*"text":"streamed"/);
		expect(text).toMatch(/event: message\ndata: .*"text":"reply"/);
		expect(text).toMatch(/event: status\ndata: .*"status":"delivered"/);
	});

	it('serves the phone page', async () => {
		const page = await fetch(`${sandbox.url}/`);
		expect(page.headers.get('content-type')).toMatch(/text\/html/);
		const html = await page.text();
		expect(html).toContain('id="composer-input"');
		expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
	});
});
