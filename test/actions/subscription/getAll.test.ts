import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { PADDLE, subscriptionList, subscriptionOut, TRIAL } from './fixtures';

setupHttp();

describe('Subscription → Get Many', () => {
	it('returns one item per subscription with the channel types it can still take', async () => {
		const scope = fiwanoApi().get('/api/v1/subscriptions').reply(200, subscriptionList());
		const { items, error } = await runFiwano({
			resource: 'subscription',
			operation: 'getAll',
			returnAll: true,
		});
		expect(error).toBeUndefined();
		const [trial, paddle, expired] = subscriptionList().subscriptions as object[];
		expect(items).toEqual([
			{ json: { ...trial, free_slots: ['instagram', 'facebook'] }, pairedItem: { item: 0 } },
			{ json: { ...paddle, free_slots: ['facebook'] }, pairedItem: { item: 0 } },
			// An expired subscription has no free slot, whatever is assigned to it.
			{ json: { ...expired, free_slots: [] }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('a deactivated channel still holds its slot', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/subscriptions')
			.reply(200, { subscriptions: [subscriptionOut()], total: 1, active_total: 1 });
		const { items } = await runFiwano({ resource: 'subscription', operation: 'getAll' });
		expect(items.map((i) => i.json.free_slots)).toEqual([['instagram', 'facebook']]);
		expect(scope.isDone()).toBe(true);
	});

	it('filters: active only, with a free slot for a channel type; Limit applies after', async () => {
		const scope = fiwanoApi().get('/api/v1/subscriptions').times(3).reply(200, subscriptionList());
		const active = await runFiwano({
			resource: 'subscription',
			operation: 'getAll',
			returnAll: true,
			filters: { activeOnly: true },
		});
		expect(active.items.map((i) => i.json.id)).toEqual([TRIAL, PADDLE]);
		const facebook = await runFiwano({
			resource: 'subscription',
			operation: 'getAll',
			returnAll: true,
			filters: { freeSlotFor: 'facebook' },
		});
		expect(facebook.items.map((i) => i.json.id)).toEqual([TRIAL, PADDLE]);
		const limited = await runFiwano({
			resource: 'subscription',
			operation: 'getAll',
			limit: 1,
			filters: { freeSlotFor: 'instagram' },
		});
		expect(limited.items.map((i) => i.json.id)).toEqual([TRIAL]);
		expect(scope.isDone()).toBe(true);
	});

	it('returns no items when there is no subscription', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/subscriptions')
			.reply(200, { subscriptions: [], total: 0, active_total: 0, available_slots: {} });
		const { items } = await runFiwano({ resource: 'subscription', operation: 'getAll' });
		expect(items).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps the status and detail of an API error; Continue On Fail makes it an error item', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/subscriptions')
			.reply(401, { detail: 'Invalid API key' });
		const { items } = await runFiwano(
			{ resource: 'subscription', operation: 'getAll' },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 401: Invalid API key',
					status: 401,
					detail: 'Invalid API key',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('Subscription → Get Free Slots', () => {
	it('answers "can I connect another channel?" in one item', async () => {
		const scope = fiwanoApi().get('/api/v1/subscriptions').reply(200, subscriptionList());
		const { items } = await runFiwano({ resource: 'subscription', operation: 'getFreeSlots' });
		expect(items).toEqual([
			{
				json: {
					can_connect: { whatsapp: false, instagram: true, facebook: true },
					available_slots: {
						whatsapp: { total: 0, starter: 0, pro: 0 },
						instagram: { total: 1, starter: 0, pro: 1 },
						facebook: { total: 2, starter: 1, pro: 1 },
					},
					subscriptions: 3,
					active_subscriptions: 2,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('a channel type Fiwano leaves out has no free slot', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/subscriptions')
			.reply(200, {
				subscriptions: [],
				total: 0,
				active_total: 0,
				available_slots: { whatsapp: { total: 1, starter: 1, pro: 0 } },
			});
		const { items } = await runFiwano({ resource: 'subscription', operation: 'getFreeSlots' });
		expect(items[0].json).toEqual({
			can_connect: { whatsapp: true, instagram: false, facebook: false },
			available_slots: {
				whatsapp: { total: 1, starter: 1, pro: 0 },
				instagram: { total: 0, starter: 0, pro: 0 },
				facebook: { total: 0, starter: 0, pro: 0 },
			},
			subscriptions: 0,
			active_subscriptions: 0,
		});
		expect(scope.isDone()).toBe(true);
	});
});
