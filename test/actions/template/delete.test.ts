import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, WA_ID } from '../channel/fixtures';

setupHttp();

const path = `/api/v1/channels/${WA_ID}/templates/tpl_order_update`;

describe('Template → Delete', () => {
	it('v2 deletes one language and reports it', async () => {
		const scope = fiwanoApi()
			.delete(path)
			.query((q) => Object.keys(q).length === 0)
			.reply(200, { success: true });
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'delete',
			channelId: byId(WA_ID),
			templateId: byId('tpl_order_update'),
		});
		expect(items).toEqual([
			{
				json: {
					success: true,
					template_id: 'tpl_order_update',
					all_languages: false,
					deleted: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 deletes every language with all_languages=true', async () => {
		const scope = fiwanoApi().delete(path).query({ all_languages: 'true' }).reply(200, {});
		const { items } = await runFiwano({
			resource: 'template',
			operation: 'delete',
			channelId: byId(WA_ID),
			templateId: byId('tpl_order_update'),
			allLanguages: true,
		});
		expect(items[0].json).toEqual({
			template_id: 'tpl_order_update',
			all_languages: true,
			deleted: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends all_languages as 1.x did and outputs the answer unchanged', async () => {
		const scope = fiwanoApi()
			.delete(path)
			.query({ all_languages: 'true' })
			.reply(200, { success: true });
		const { items } = await runFiwano(
			{
				resource: 'template',
				operation: 'delete',
				channelId: WA_ID,
				templateId: 'tpl_order_update',
				allLanguages: true,
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: { success: true }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps a 404 under Continue On Fail, per item', async () => {
		const scope = fiwanoApi()
			.delete(`/api/v1/channels/${WA_ID}/templates/gone`)
			.reply(404, { detail: 'Template not found' })
			.delete(path)
			.reply(200, {});
		const { items } = await runFiwano(
			{
				resource: 'template',
				operation: 'delete',
				channelId: byId(WA_ID),
				templateId: byId('={{ $json.t }}'),
			},
			{ input: [{ t: 'gone' }, { t: 'tpl_order_update' }], continueOnFail: true },
		);
		expect(items[0]).toEqual({
			json: expect.objectContaining({ error: 'Fiwano 404: Template not found', status: 404 }),
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({
			json: { template_id: 'tpl_order_update', all_languages: false, deleted: true },
			pairedItem: { item: 1 },
		});
		expect(scope.isDone()).toBe(true);
	});
});
