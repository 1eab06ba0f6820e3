import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, fromList, template, WA_ID } from '../channel/fixtures';

setupHttp();

const detail = () =>
	template({
		variables: {
			total_count: 2,
			parameter_format: 'positional',
			body: [
				{ position: 1, example: 'Pablo' },
				{ position: 2, example: 'ORD-1' },
			],
		},
	});

describe('Template → Get', () => {
	it('v2 gets the template picked from the list', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates/tpl_order_update`)
			.reply(200, detail());
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'get',
			channelId: fromList(WA_ID),
			templateId: fromList('tpl_order_update', 'order_update (en_US) · APPROVED'),
		});
		expect(items).toEqual([{ json: detail(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 takes a template ID from an expression', async () => {
		const scope = fiwanoApi().get(`/api/v1/channels/${WA_ID}/templates/tpl_x`).reply(200, detail());
		await runFiwano(
			{
				resource: 'template',
				operation: 'get',
				channelId: byId(WA_ID),
				templateId: byId('={{ $json.t }}'),
			},
			{ input: [{ t: 'tpl_x' }] },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the same request from the 1.x strings', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates/tpl_order_update`)
			.reply(200, detail());
		const { items } = await runFiwano(
			{ resource: 'template', operation: 'get', channelId: WA_ID, templateId: 'tpl_order_update' },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: detail(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('an empty template fails before any request', async () => {
		const scope = fiwanoApi().get(/.*/).reply(200, detail());
		const { error } = await runFiwano(
			{
				resource: 'template',
				operation: 'get',
				channelId: byId(WA_ID),
				templateId: byId('={{ $json.t }}'),
			},
			{ input: [{ t: '' }] },
		);
		expect(error?.message).toMatch(/Template is empty/);
		expect(scope.isDone()).toBe(false);
	});

	it('keeps a 404 with its detail under Continue On Fail', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates/nope`)
			.reply(404, { detail: 'Template not found' });
		const { items } = await runFiwano(
			{ resource: 'template', operation: 'get', channelId: byId(WA_ID), templateId: byId('nope') },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 404: Template not found',
					status: 404,
					detail: 'Template not found',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
