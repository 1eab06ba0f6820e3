import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, fromList, WA_ID, waChannel } from './fixtures';

setupHttp();

describe('Channel → Get', () => {
	it('v2 gets the channel picked from the list', async () => {
		const scope = fiwanoApi().get(`/api/v1/channels/${WA_ID}`).reply(200, waChannel());
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'get',
			channelId: fromList(WA_ID, 'Sandbox WhatsApp'),
		});
		expect(items).toEqual([{ json: waChannel(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 outputs health (changelog 6 October 2026) and the subscription with its ID as Fiwano sends them', async () => {
		const channel = waChannel({
			health: {
				status: 'action_required',
				reason: '(#190) Error validating access token',
				since: '2026-10-06T08:15:00',
			},
			subscription: {
				id: 'a1b2c3d4e5f67890',
				status: 'active',
				source: 'paddle',
				tier: 'pro',
				expires_at: '2026-11-01T00:00:00',
				auto_renew: true,
			},
		});
		const scope = fiwanoApi().get(`/api/v1/channels/${WA_ID}`).reply(200, channel);
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'get',
			channelId: byId(WA_ID),
		});
		expect(items).toEqual([{ json: channel, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 takes an ID (trimmed) and one request per input item', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/aaaa000000000001')
			.reply(200, waChannel({ id: 'aaaa000000000001' }))
			.get('/api/v1/channels/aaaa000000000002')
			.reply(200, waChannel({ id: 'aaaa000000000002' }));
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'get', channelId: byId('={{ " " + $json.id + " " }}') },
			{ input: [{ id: 'aaaa000000000001' }, { id: 'aaaa000000000002' }] },
		);
		expect(items.map((i) => [i.json.id, i.pairedItem])).toEqual([
			['aaaa000000000001', { item: 0 }],
			['aaaa000000000002', { item: 1 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 reads the plain channelId string of a 1.x workflow', async () => {
		const scope = fiwanoApi().get(`/api/v1/channels/${WA_ID}`).reply(200, waChannel());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'get', channelId: WA_ID },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: waChannel(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('an empty channel fails before any request, naming the item', async () => {
		const scope = fiwanoApi().get(/.*/).reply(200, {});
		const { error } = await runFiwano(
			{ resource: 'channel', operation: 'get', channelId: byId('={{ $json.id }}') },
			{ input: [{ id: '  ' }] },
		);
		expect(error?.message).toMatch(/Channel is empty/);
		expect((error?.context as { itemIndex?: number })?.itemIndex).toBe(0);
		expect(scope.isDone()).toBe(false);
	});

	it('keeps 404 status and detail; Continue On Fail turns each failure into its own item', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/ffff000000000000')
			.reply(404, { detail: 'Channel not found' })
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, waChannel());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'get', channelId: byId('={{ $json.id }}') },
			{ input: [{ id: 'ffff000000000000' }, { id: WA_ID }], continueOnFail: true },
		);
		expect(items[0]).toEqual({
			json: expect.objectContaining({
				error: 'Fiwano 404: Channel not found',
				status: 404,
				detail: 'Channel not found',
				httpCode: '404',
			}),
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({ json: waChannel(), pairedItem: { item: 1 } });
		expect(scope.isDone()).toBe(true);
	});

	it('without Continue On Fail a 404 fails the node with the status kept', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(404, { detail: 'Channel not found' });
		const { error } = await runFiwano({
			resource: 'channel',
			operation: 'get',
			channelId: byId(WA_ID),
		});
		expect(error?.message).toBe('Fiwano 404: Channel not found');
		expect(error?.httpCode).toBe('404');
		expect(scope.isDone()).toBe(true);
	});
});
