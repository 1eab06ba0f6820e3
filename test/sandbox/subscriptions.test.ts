/**
 * The sandbox's subscriptions, slots, expiry, channel health and setup-flow outcomes
 * (test/sandbox/subscriptions.mjs): what the monitor e2e and the demo rely on.
 */
import { type SandboxProcess, startSandboxProcess } from './harness';

const KEY = 'mip_live_sandbox_demo_key';
const WA = 'a0a0a0a0a0a0a001';
const IG = 'b0b0b0b0b0b0b002';
const TRIAL = '5b5b5b5b5b5b0001';
const SPARE = '5b5b5b5b5b5b0002';

/** The fields of the sandbox's answers that these tests read. */
interface Answer {
	subscriptions: Array<{ id: string; assigned_channels: Record<string, unknown> }>;
	available_slots: Record<string, unknown>;
	channels: Array<{ id: string; health: { status: string } }>;
	subscription: unknown;
	health: unknown;
	detail: unknown;
	status: string;
	expires_at: string;
	session_id: string;
}

interface Reply {
	status: number;
	headers: Headers;
	body: Answer;
}

let sandbox: SandboxProcess;

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { 'x-api-key': KEY },
): Promise<Reply> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		redirect: 'manual',
	});
	const text = await response.text();
	let parsed: unknown = {};
	try {
		parsed = JSON.parse(text);
	} catch {
		// redirects and pages
	}
	return { status: response.status, headers: response.headers, body: parsed as Answer };
}

const control = (path: string, body?: unknown) =>
	call(body === undefined ? 'GET' : 'POST', `/_sandbox/${path}`, body, {});
const channel = async (id: string) => (await call('GET', `/api/v1/channels/${id}`)).body;

beforeAll(async () => {
	sandbox = await startSandboxProcess();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await control('reset', {});
});

describe('subscriptions and slots', () => {
	it('lists the seeded trial (all three slots taken) and the spare Paddle subscription', async () => {
		const reply = await call('GET', '/api/v1/subscriptions');
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({
			total: 2,
			active_total: 2,
			available_slots: {
				whatsapp: { total: 1, starter: 0, pro: 1 },
				instagram: { total: 1, starter: 0, pro: 1 },
				facebook: { total: 1, starter: 0, pro: 1 },
			},
		});
		const [trial, spare] = reply.body.subscriptions;
		expect(trial).toMatchObject({
			id: TRIAL,
			status: 'active',
			source: 'trial',
			tier: 'pro',
			auto_renew: false,
			assigned_channels: {
				whatsapp: { channel_id: WA, channel_type: 'whatsapp', is_active: true },
				instagram: { channel_id: IG, channel_type: 'instagram' },
			},
		});
		expect(spare).toMatchObject({
			id: SPARE,
			source: 'paddle',
			auto_renew: true,
			assigned_channels: { whatsapp: null, instagram: null, facebook: null },
		});
		expect((await channel(WA)).subscription).toMatchObject({ id: TRIAL, status: 'active' });
	});

	it('a subscription added through the control API shows its free slots; a channel moves to it and takes one', async () => {
		const added = await control('subscriptions', {
			id: 'd0d0d0d0d0d0d0d0',
			tier: 'starter',
			source: 'enterprise',
			expires_in_days: 90,
		});
		expect(added.body).toMatchObject({
			id: 'd0d0d0d0d0d0d0d0',
			status: 'active',
			tier: 'starter',
			assigned_channels: { whatsapp: null },
		});
		let subs = (await call('GET', '/api/v1/subscriptions')).body;
		expect(subs.available_slots.whatsapp).toEqual({ total: 2, starter: 1, pro: 1 });

		const moved = await call('PATCH', `/api/v1/channels/${WA}`, {
			subscription_id: 'd0d0d0d0d0d0d0d0',
		});
		expect(moved.status).toBe(200);
		expect(moved.body.subscription).toMatchObject({
			id: 'd0d0d0d0d0d0d0d0',
			tier: 'starter',
			source: 'enterprise',
		});
		subs = (await call('GET', '/api/v1/subscriptions')).body;
		expect(subs.subscriptions.find((s) => s.id === TRIAL)?.assigned_channels.whatsapp).toBeNull();

		// Starter: no media.
		const media = await call('POST', '/api/v1/messages/send-media', {
			channel_id: WA,
			recipient: '15551234567',
			media_type: 'image',
			media_url: 'https://example.com/a.jpg',
		});
		expect(media.status).toBe(402);
	});

	it('refuses a move to an unknown, an inactive or a taken slot', async () => {
		expect(
			(await call('PATCH', `/api/v1/channels/${WA}`, { subscription_id: 'ffffffffffffffff' }))
				.status,
		).toBe(404);
		await control('subscriptions', { id: 'e0e0e0e0e0e0e0e0', status: 'canceled' });
		expect(
			(await call('PATCH', `/api/v1/channels/${WA}`, { subscription_id: 'e0e0e0e0e0e0e0e0' }))
				.status,
		).toBe(400);
		await call('PATCH', `/api/v1/channels/${WA}`, { subscription_id: SPARE });
		const taken = await call('PATCH', `/api/v1/channels/${WA}`, { subscription_id: TRIAL });
		expect(taken.status).toBe(200);
		await call('PATCH', `/api/v1/channels/${IG}`, { subscription_id: SPARE });
		const clash = await control('channels', {
			id: 'a0a0a0a0a0a0a077',
			channel_type: 'whatsapp',
			subscription: { id: SPARE },
		});
		expect(clash.status).toBe(200);
		const refused = await call('PATCH', `/api/v1/channels/${WA}`, { subscription_id: SPARE });
		expect(refused.status).toBe(409);
		expect(refused.body.detail).toMatchObject({
			code: 'slot_occupied',
			occupied_by: ['a0a0a0a0a0a0a077'],
		});
	});
});

describe('expiry', () => {
	it('a subscription that does not renew lapses when its end passes: its channels stop sending (402)', async () => {
		await control('subscriptions', { id: TRIAL, expires_in_days: 2 });
		expect((await channel(WA)).subscription).toMatchObject({ status: 'active' });
		await control('subscriptions', { id: TRIAL, expires_in_seconds: -1 });
		expect((await channel(WA)).subscription).toMatchObject({
			id: TRIAL,
			status: 'expired',
			auto_renew: false,
		});
		const send = await call('POST', '/api/v1/messages/send', {
			channel_id: WA,
			recipient: '15551234567',
			text: 'hi',
		});
		expect(send.status).toBe(402);
	});

	it('one that renews moves on by a period instead', async () => {
		const renewed = await control('subscriptions', { id: SPARE, expires_in_seconds: -60 });
		expect(renewed.body.status).toBe('active');
		expect(Date.parse(`${renewed.body.expires_at}Z`)).toBeGreaterThan(
			Date.now() + 29 * 24 * 3600 * 1000,
		);
	});

	it('setup-url keeps 402 (no active subscription) and 409 (every slot taken) apart', async () => {
		await call('POST', '/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb' });
		const body = { channel_type: 'whatsapp', redirect_uri: 'https://app.example.com/cb' };
		await control('config', { freeSlots: { whatsapp: 0 } });
		const full = await call('POST', '/api/v1/channels/setup-url', body);
		expect(full.status).toBe(409);
		expect(full.body.detail).toMatchObject({ code: 'no_free_slot' });
		await control('subscriptions', { id: TRIAL, status: 'expired' });
		await control('subscriptions', { id: SPARE, status: 'canceled' });
		const none = await call('POST', '/api/v1/channels/setup-url', body);
		expect(none.status).toBe(402);
		expect(typeof none.body.detail).toBe('string');
	});
});

describe('channel health', () => {
	it('flips to action_required with a reason and a since, and back to ok', async () => {
		expect((await channel(WA)).health).toEqual({ status: 'ok', reason: null, since: null });
		const broken = await control('health', { channel_id: WA, status: 'action_required' });
		expect(broken.status).toBe(200);
		const health = (await channel(WA)).health;
		expect(health).toEqual({
			status: 'action_required',
			reason: expect.stringMatching(/^\(#190\)/),
			since: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
		});
		const listed = (await call('GET', '/api/v1/channels')).body.channels;
		expect(listed.find((c) => c.id === WA)?.health.status).toBe('action_required');
		await control('health', { channel_id: WA, status: 'ok' });
		expect((await channel(WA)).health).toEqual({ status: 'ok', reason: null, since: null });
	});

	it('refuses an unknown channel or status', async () => {
		expect((await control('health', { channel_id: 'nope', status: 'ok' })).status).toBe(404);
		expect((await control('health', { channel_id: WA, status: 'broken' })).status).toBe(422);
	});
});

describe('setup flow outcomes', () => {
	async function setupSession(): Promise<string> {
		await call('POST', '/api/v1/redirects', { uri_pattern: 'https://app.example.com/cb' });
		const setup = await call('POST', '/api/v1/channels/setup-url', {
			channel_type: 'instagram',
			redirect_uri: 'https://app.example.com/cb',
		});
		return setup.body.session_id as string;
	}

	it('the next approved flow ends with the error asked for, once; the next one gets a code', async () => {
		for (const error of ['access_denied', 'slot_occupied', 'session_expired', 'setup_failed']) {
			expect((await control('setup/next-error', { error })).status).toBe(200);
			const session = await setupSession();
			const done = await call(
				'GET',
				`/setup/complete?session=${session}&action=approve&channel_id=`,
				undefined,
				{},
			);
			expect(done.status).toBe(302);
			const back = new URL(done.headers.get('location') ?? '');
			expect(back.origin + back.pathname).toBe('https://app.example.com/cb');
			expect(back.searchParams.get('error')).toBe(error);
			expect(back.searchParams.get('message')).toBeTruthy();
			expect(back.searchParams.get('code')).toBeNull();
		}
		const session = await setupSession();
		const ok = await call(
			'GET',
			`/setup/complete?session=${session}&action=approve&channel_id=`,
			undefined,
			{},
		);
		const back = new URL(ok.headers.get('location') ?? '');
		expect(back.searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
		expect(back.searchParams.get('error')).toBeNull();
	});

	it('refuses an error the flow does not send', async () => {
		expect((await control('setup/next-error', { error: 'oops' })).status).toBe(422);
	});
});
