import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { fbChannel, igChannel, subscription, waChannel } from './fixtures';

setupHttp();

const list = () => ({
	channels: [waChannel(), igChannel({ is_active: false }), fbChannel()],
	total: 3,
});

describe('Channel → Get Many', () => {
	it('v2 returns one item per channel, paired with the input item', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, list());
		const { items, error } = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.id)).toEqual([
			'a0a0a0a0a0a0a001',
			'b0b0b0b0b0b0b002',
			'c0c0c0c0c0c0c003',
		]);
		expect(items[1].json).toEqual(igChannel({ is_active: false }));
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 applies Limit (default 50) when Return All is off', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, list());
		const { items } = await runFiwano({ resource: 'channel', operation: 'getAll', limit: 2 });
		expect(items.map((i) => i.json.id)).toEqual(['a0a0a0a0a0a0a001', 'b0b0b0b0b0b0b002']);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 default parameters return up to 50 channels', async () => {
		const many = Array.from({ length: 60 }, (_, n) =>
			waChannel({ id: `a0a0a0a0a0a0${String(n).padStart(4, '0')}` }),
		);
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, { channels: many, total: 60 });
		const { items } = await runFiwano({ resource: 'channel', operation: 'getAll' });
		expect(items).toHaveLength(50);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 filters by channel type and active only', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').times(2).reply(200, list());
		const byType = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
			filters: { channelType: 'instagram' },
		});
		expect(byType.items.map((i) => i.json.id)).toEqual(['b0b0b0b0b0b0b002']);
		const active = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
			filters: { activeOnly: true },
		});
		expect(active.items.map((i) => i.json.id)).toEqual(['a0a0a0a0a0a0a001', 'c0c0c0c0c0c0c003']);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 runs once per input item and pairs each channel with its item', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').times(2).reply(200, list());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'getAll', limit: 1 },
			{ input: [{ n: 0 }, { n: 1 }] },
		);
		expect(items.map((i) => [i.json.id, i.pairedItem])).toEqual([
			['a0a0a0a0a0a0a001', { item: 0 }],
			['a0a0a0a0a0a0a001', { item: 1 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 returns no items for an account without channels', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, { channels: [], total: 0 });
		const { items, error } = await runFiwano({ resource: 'channel', operation: 'getAll' });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 (1.x workflow) sends the same request and keeps the single-item output', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, list());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'getAll' },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: list(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps the status and detail of an API error; Continue On Fail makes it an error item', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(401, { detail: 'Invalid API key' });
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'getAll' },
			{ continueOnFail: true },
		);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({
			error: 'Fiwano 401: Invalid API key',
			status: 401,
			detail: 'Invalid API key',
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('Channel → Get Many: health, subscription and Needs Attention Only', () => {
	const DAY = 24 * 60 * 60 * 1000;
	/** Naive UTC, the format Fiwano's channel endpoints use. */
	const inDays = (days: number) =>
		new Date(Date.now() + days * DAY).toISOString().replace(/\.\d{3}Z$/, '');
	const broken = {
		status: 'action_required',
		reason: '(#190) Error validating access token: the user has changed the password',
		since: '2026-10-06T08:15:00',
	};
	const healthy = { status: 'ok', reason: null, since: null };

	const accounts = () => ({
		channels: [
			// Reconnect needed.
			waChannel({ health: broken, subscription: subscription({ expires_at: inDays(60) }) }),
			// Trial ends in 3 days and does not renew.
			igChannel({ health: healthy, subscription: subscription({ expires_at: inDays(3) }) }),
			// Lapsed.
			fbChannel({
				health: healthy,
				subscription: {
					id: null,
					status: 'none',
					source: null,
					tier: null,
					expires_at: null,
					auto_renew: false,
				},
			}),
			// Renews by itself in 2 days, even inside a Paddle grace window: fine.
			waChannel({
				id: 'a0a0a0a0a0a0a009',
				health: healthy,
				subscription: subscription({ source: 'paddle', auto_renew: true, expires_at: inDays(2) }),
			}),
			// Healthy, 30 days left.
			waChannel({
				id: 'a0a0a0a0a0a0a010',
				health: healthy,
				subscription: subscription({ expires_at: inDays(30) }),
			}),
		],
		total: 5,
	});

	it('passes health and subscription through unchanged', async () => {
		// One copy for the reply and the expectation: the dates are relative to now, to the second.
		const listed = accounts();
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, listed);
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
		});
		expect(items.map((i) => i.json)).toEqual(listed.channels);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps only the channels someone has to act on and says why', async () => {
		const listed = accounts();
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, listed);
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
			filters: { needsAttention: true },
		});
		const [wa, ig, fb] = listed.channels;
		expect(items.map((i) => i.json)).toEqual([
			{ ...wa, attention: ['health_action_required'] },
			{ ...ig, attention: ['subscription_expiring'] },
			{ ...fb, attention: ['subscription_inactive'] },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('Expiring Within (Days) moves the line', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').times(2).reply(200, accounts());
		const narrow = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
			filters: { needsAttention: true, expiringWithinDays: 1 },
		});
		expect(narrow.items.map((i) => [i.json.id, i.json.attention])).toEqual([
			['a0a0a0a0a0a0a001', ['health_action_required']],
			['c0c0c0c0c0c0c003', ['subscription_inactive']],
		]);
		const wide = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			returnAll: true,
			filters: { needsAttention: true, expiringWithinDays: 45 },
		});
		expect(wide.items.map((i) => [i.json.id, i.json.attention])).toEqual([
			['a0a0a0a0a0a0a001', ['health_action_required']],
			['b0b0b0b0b0b0b002', ['subscription_expiring']],
			['c0c0c0c0c0c0c003', ['subscription_inactive']],
			['a0a0a0a0a0a0a010', ['subscription_expiring']],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('combines with the other filters and Limit', async () => {
		const scope = fiwanoApi().get('/api/v1/channels').reply(200, accounts());
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'getAll',
			limit: 1,
			filters: { needsAttention: true, channelType: 'whatsapp' },
		});
		expect(items.map((i) => i.json.id)).toEqual(['a0a0a0a0a0a0a001']);
		expect(scope.isDone()).toBe(true);
	});
});
