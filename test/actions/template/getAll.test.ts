import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, fromList, template, WA_ID } from '../channel/fixtures';

setupHttp();

const path = `/api/v1/channels/${WA_ID}/templates`;
const list = () => ({
	templates: [
		template(),
		template({ id: 'tpl_welcome_named', name: 'welcome_named', parameter_format: 'named' }),
		template({ id: 'tpl_promo_pending', name: 'promo_pending', status: 'PENDING' }),
	],
	total: 3,
	synced: true,
});

describe('Template → Get Many', () => {
	it('v2 returns one item per template, paired, with Return All', async () => {
		const scope = fiwanoApi().get(path).reply(200, list());
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'getAll',
			channelId: fromList(WA_ID),
			returnAll: true,
		});
		expect(items.map((i) => i.json.name)).toEqual([
			'order_update',
			'welcome_named',
			'promo_pending',
		]);
		expect(items[0]).toEqual({ json: template(), pairedItem: { item: 0 } });
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 applies Limit', async () => {
		const scope = fiwanoApi().get(path).reply(200, list());
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'getAll',
			channelId: byId(WA_ID),
			limit: 1,
		});
		expect(items.map((i) => i.json.name)).toEqual(['order_update']);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 sends status and sync as query parameters', async () => {
		const scope = fiwanoApi()
			.get(path)
			.query({ status: 'APPROVED', sync: 'false' })
			.reply(200, { templates: [template()], total: 1, synced: false });
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'getAll',
			channelId: byId(WA_ID),
			returnAll: true,
			filters: { status: 'APPROVED', sync: false },
		});
		expect(items).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the 1.x query (status, sync) and keeps the single-item output', async () => {
		const scope = fiwanoApi()
			.get(path)
			.query({ status: 'APPROVED', sync: 'true' })
			.reply(200, list());
		const { items } = await runFiwano(
			{
				resource: 'template',
				operation: 'getAll',
				channelId: WA_ID,
				filters: { sync: true, status: 'APPROVED' },
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: list(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 without filters sends no query string, and "All" status is left out', async () => {
		const scope = fiwanoApi()
			.get(path)
			.query((query) => Object.keys(query).length === 0)
			.times(2)
			.reply(200, list());
		await runFiwano(
			{ resource: 'template', operation: 'getAll', channelId: WA_ID },
			{ typeVersion: 1 },
		);
		await runFiwano(
			{ resource: 'template', operation: 'getAll', channelId: WA_ID, filters: { status: '' } },
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('a 402 (no Pro licence) keeps status and detail as an error item under Continue On Fail', async () => {
		const scope = fiwanoApi().get(path).reply(402, { detail: 'Pro license required' });
		const { items } = await runFiwano(
			{ resource: 'template', operation: 'getAll', channelId: byId(WA_ID) },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ error: 'Fiwano 402: Pro license required', status: 402 }),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
