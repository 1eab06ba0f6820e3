import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, fromList, template, WA_ID } from '../channel/fixtures';

setupHttp();

const path = `/api/v1/channels/${WA_ID}/templates/tpl_order_update`;
const updated = () => template({ status: 'PENDING' });
const BODY = [
	{
		type: 'BODY',
		text: 'Hi {{1}}, your order {{2}} has been updated.',
		example: { body_text: [['Pablo', 'ORD-123']] },
	},
];

describe('Template → Update', () => {
	it('v1 puts only the components when no category is chosen', async () => {
		const scope = fiwanoApi().put(path, { components: BODY }).reply(200, updated());
		const { items } = await runFiwano(
			{
				resource: 'template',
				operation: 'update',
				channelId: WA_ID,
				templateId: 'tpl_order_update',
				components: JSON.stringify(BODY),
				updateCategory: '',
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: updated(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the chosen updateCategory as category', async () => {
		const scope = fiwanoApi()
			.put(path, { components: BODY, category: 'MARKETING' })
			.reply(200, updated());
		await runFiwano(
			{
				resource: 'template',
				operation: 'update',
				channelId: WA_ID,
				templateId: 'tpl_order_update',
				components: JSON.stringify(BODY),
				updateCategory: 'MARKETING',
			},
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 builder infers the variable format and replaces the components', async () => {
		const scope = fiwanoApi()
			.put(path, {
				components: [
					{
						type: 'BODY',
						text: 'Hi {{name}}',
						example: { body_text_named_params: [{ param_name: 'name', example: 'Pablo' }] },
					},
					{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'OK' }] },
				],
				category: 'UTILITY',
			})
			.reply(200, updated());
		const { error } = await runFiwano({
			resource: 'template',
			operation: 'update',
			channelId: fromList(WA_ID),
			templateId: fromList('tpl_order_update'),
			bodyText: 'Hi {{name}}',
			bodyExamples: { example: [{ variable: 'name', value: 'Pablo' }] },
			buttons: { button: [{ type: 'QUICK_REPLY', text: 'OK' }] },
			updateCategory: 'UTILITY',
		});
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('v2 JSON mode sends the parsed array', async () => {
		const scope = fiwanoApi().put(path, { components: BODY }).reply(200, updated());
		await runFiwano({
			resource: 'template',
			operation: 'update',
			channelId: byId(WA_ID),
			templateId: byId('tpl_order_update'),
			componentsMode: 'json',
			components: JSON.stringify(BODY),
		});
		expect(scope.isDone()).toBe(true);
	});

	it('invalid JSON fails before any request, naming the item', async () => {
		const scope = fiwanoApi().put(path).reply(200, updated());
		const { error } = await runFiwano(
			{
				resource: 'template',
				operation: 'update',
				channelId: byId(WA_ID),
				templateId: byId('tpl_order_update'),
				componentsMode: 'json',
				components: '={{ $json.c }}',
			},
			{ input: [{ c: JSON.stringify(BODY) }, { c: '[{"type": "BODY",' }] },
		);
		expect(error?.message).toBe('Components (JSON) is not valid JSON');
		expect((error?.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps Meta’s edit-limit refusal with status and detail', async () => {
		const scope = fiwanoApi()
			.put(path)
			.reply(400, { detail: 'Approved templates can be edited once per 24 hours' });
		const { error } = await runFiwano({
			resource: 'template',
			operation: 'update',
			channelId: byId(WA_ID),
			templateId: byId('tpl_order_update'),
			bodyText: 'Hello again',
		});
		expect(error?.message).toBe('Fiwano 400: Approved templates can be edited once per 24 hours');
		expect(error?.httpCode).toBe('400');
		expect(scope.isDone()).toBe(true);
	});
});
