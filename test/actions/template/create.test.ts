import type { IDataObject } from 'n8n-workflow';

import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, template, WA_ID } from '../channel/fixtures';

setupHttp();

const path = `/api/v1/channels/${WA_ID}/templates`;
const created = (overrides: IDataObject = {}) =>
	template({ id: 'tpl_new', status: 'PENDING', ...overrides });

const v2 = (params: IDataObject) => ({
	resource: 'template',
	operation: 'create',
	channelId: byId(WA_ID),
	templateName: 'order_confirmation',
	...params,
});

const ONE_BODY_COMPONENT = [
	{ type: 'BODY', text: 'Hello {{1}}!', example: { body_text: [['World']] } },
];

describe('Template → Create', () => {
	it('v1 posts the 1.x body, with the default components JSON', async () => {
		const scope = fiwanoApi()
			.post(path, {
				name: 'demo_greeting',
				language: 'en_US',
				category: 'UTILITY',
				components: ONE_BODY_COMPONENT,
				parameter_format: 'positional',
			})
			.reply(201, created());
		const { items } = await runFiwano(
			{
				resource: 'template',
				operation: 'create',
				channelId: WA_ID,
				templateName: 'demo_greeting',
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: created(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the components JSON, category and named format as written', async () => {
		const components = [
			{ type: 'HEADER', format: 'TEXT', text: 'Sale' },
			{
				type: 'BODY',
				text: 'Hi {{customer_name}}',
				example: { body_text_named_params: [{ param_name: 'customer_name', example: 'Pablo' }] },
			},
		];
		const scope = fiwanoApi()
			.post(path, {
				name: 'named_one',
				language: 'es',
				category: 'MARKETING',
				components,
				parameter_format: 'named',
			})
			.reply(201, created());
		await runFiwano(
			{
				resource: 'template',
				operation: 'create',
				channelId: WA_ID,
				templateName: 'named_one',
				language: 'es',
				category: 'MARKETING',
				parameterFormat: 'named',
				components: JSON.stringify(components),
			},
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 builds header, body with examples, footer and every button type', async () => {
		const components = [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Order {{1}}',
				example: { header_text: ['ORD-123'] },
			},
			{
				type: 'BODY',
				text: 'Hi {{1}}, your order {{2}} ships {{1}}.',
				example: { body_text: [['Pablo', 'ORD-123']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Thanks' },
					{
						type: 'URL',
						text: 'Track',
						url: 'https://shop.example.com/track/{{1}}',
						example: ['https://shop.example.com/track/ORD-123'],
					},
					{ type: 'URL', text: 'Shop', url: 'https://shop.example.com' },
					{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550001111' },
				],
			},
		];
		const scope = fiwanoApi()
			.post(path, {
				name: 'order_confirmation',
				language: 'en_US',
				category: 'UTILITY',
				components,
				parameter_format: 'positional',
			})
			.reply(201, created());
		const { items, error } = await runFiwano(
			v2({
				headerText: 'Order {{1}}',
				headerExample: 'ORD-123',
				bodyText: 'Hi {{1}}, your order {{ 2 }} ships {{1}}.',
				bodyExamples: {
					example: [
						{ variable: '2', value: 'ORD-123' },
						{ variable: '{{1}}', value: 'Pablo' },
					],
				},
				footerText: 'Reply STOP to opt out',
				buttons: {
					button: [
						{ type: 'QUICK_REPLY', text: 'Thanks' },
						{
							type: 'URL',
							text: 'Track',
							url: 'https://shop.example.com/track/{{1}}',
							urlExample: 'https://shop.example.com/track/ORD-123',
						},
						{ type: 'URL', text: 'Shop', url: 'https://shop.example.com' },
						{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+1 555 000 1111' },
					],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: created(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 builds named examples when Parameter Format is Named', async () => {
		const components = [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Welcome {{first_name}}',
				example: { header_text_named_params: [{ param_name: 'first_name', example: 'Pablo' }] },
			},
			{
				type: 'BODY',
				text: 'Hi {{first_name}}, order {{order_number}} is ready.',
				example: {
					body_text_named_params: [
						{ param_name: 'first_name', example: 'Pablo' },
						{ param_name: 'order_number', example: 'ORD-1' },
					],
				},
			},
		];
		const scope = fiwanoApi()
			.post(path, {
				name: 'welcome_named',
				language: 'en_US',
				category: 'UTILITY',
				components,
				parameter_format: 'named',
			})
			.reply(201, created());
		const { error } = await runFiwano(
			v2({
				templateName: 'welcome_named',
				parameterFormat: 'named',
				headerText: 'Welcome {{first_name}}',
				headerExample: 'Pablo',
				bodyText: 'Hi {{first_name}}, order {{order_number}} is ready.',
				bodyExamples: {
					example: [
						{ variable: 'order_number', value: 'ORD-1' },
						{ variable: 'first_name', value: 'Pablo' },
					],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('v2 builds a body without variables and no example', async () => {
		const scope = fiwanoApi()
			.post(path, {
				name: 'plain',
				language: 'en_US',
				category: 'MARKETING',
				components: [{ type: 'BODY', text: 'Our shop is open today.' }],
				parameter_format: 'positional',
			})
			.reply(201, created());
		await runFiwano(
			v2({ templateName: 'plain', category: 'MARKETING', bodyText: 'Our shop is open today.' }),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 JSON mode takes an array from an expression', async () => {
		const scope = fiwanoApi()
			.post(path, {
				name: 'from_json',
				language: 'en_US',
				category: 'UTILITY',
				components: ONE_BODY_COMPONENT,
				parameter_format: 'positional',
			})
			.reply(201, created());
		const { error } = await runFiwano(
			v2({
				templateName: 'from_json',
				componentsMode: 'json',
				components: '={{ $json.components }}',
			}),
			{ input: [{ components: ONE_BODY_COMPONENT }] },
		);
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['Order_Update', {}],
		['order-update', {}],
		['a'.repeat(513), {}],
	])('refuses the template name %s before any request (both versions)', async (templateName) => {
		const scope = fiwanoApi().post(path).reply(201, created());
		for (const typeVersion of [1, 2]) {
			const channelId = typeVersion === 1 ? WA_ID : byId(WA_ID);
			const { error } = await runFiwano(
				{ resource: 'template', operation: 'create', channelId, templateName, bodyText: 'Hi' },
				{ typeVersion },
			);
			expect(error?.message).toMatch(/Template name ".*" is not allowed/);
		}
		expect(scope.isDone()).toBe(false);
	});

	it.each([
		['not json', /is not valid JSON/],
		['{"type": "BODY"}', /non-empty array/],
		['[]', /non-empty array/],
		['["BODY"]', /Component 1 .* is not an object/],
		['[{"text": "hi"}]', /Component 1 .* has no "type"/],
		['[{"type": "HEADER", "format": "TEXT", "text": "x"}]', /no BODY component/],
	])('refuses components JSON %s before any request', async (components, why) => {
		const scope = fiwanoApi().post(path).reply(201, created());
		const v1 = await runFiwano(
			{
				resource: 'template',
				operation: 'create',
				channelId: WA_ID,
				templateName: 'x_1',
				components,
			},
			{ typeVersion: 1 },
		);
		expect(v1.error?.message).toMatch(why);
		const v2run = await runFiwano(v2({ componentsMode: 'json', components }));
		expect(v2run.error?.message).toMatch(why);
		expect(scope.isDone()).toBe(false);
	});

	it.each([
		[{ bodyText: '={{ " " }}' }, /Body Text is empty/],
		[{ bodyText: 'x'.repeat(1025) }, /Body Text is too long: 1025 characters, Meta allows 1024/],
		[{ bodyText: 'Hi', headerText: 'h'.repeat(61) }, /Header Text is too long/],
		[{ bodyText: 'Hi', footerText: 'f'.repeat(61) }, /Footer Text is too long/],
		[
			{
				bodyText: 'Hi {{1}} {{3}}',
				bodyExamples: {
					example: [
						{ variable: '1', value: 'a' },
						{ variable: '3', value: 'c' },
					],
				},
			},
			/without gaps/,
		],
		[{ bodyText: 'Hi {{1}} {{name}}' }, /mixes numbered and named/],
		[{ bodyText: 'Hi {{Name!}}' }, /invalid variable/],
		[
			{ bodyText: 'Hi {{1}}, {{2}}', bodyExamples: { example: [{ variable: '1', value: 'a' }] } },
			/miss a value for \{\{2\}\}/,
		],
		[
			{
				bodyText: 'Hi {{1}}',
				bodyExamples: {
					example: [
						{ variable: '1', value: 'a' },
						{ variable: '7', value: 'b' },
					],
				},
			},
			/does not use: 7/,
		],
		[
			{ bodyText: 'Hi {{name}}', bodyExamples: { example: [{ variable: 'name', value: 'a' }] } },
			/named variables but Parameter Format is positional/,
		],
		[{ bodyText: 'Hi', headerText: 'A {{1}} {{2}}', headerExample: 'x' }, /only one variable/],
		[{ bodyText: 'Hi', headerText: 'A {{1}}' }, /Header Variable Example is empty/],
		[{ bodyText: 'Hi', footerText: 'Bye {{1}}' }, /Footer Text cannot contain variables/],
		[
			{ bodyText: 'Hi', buttons: { button: [{ type: 'QUICK_REPLY', text: '' }] } },
			/Button 1 has no label/,
		],
		[
			{ bodyText: 'Hi', buttons: { button: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] } },
			/Button 1 label is too long/,
		],
		[
			{
				bodyText: 'Hi',
				buttons: { button: [{ type: 'URL', text: 'Go', url: 'shop.example.com' }] },
			},
			/Button 1 URL must start with https:\/\//,
		],
		[
			{
				bodyText: 'Hi',
				buttons: { button: [{ type: 'URL', text: 'Go', url: 'http://shop.example.com/o' }] },
			},
			/Button 1 URL must start with https:\/\//,
		],
		[
			{
				bodyText: 'Hi',
				buttons: { button: [{ type: 'URL', text: 'Go', url: 'https://a.example/{{1}}' }] },
			},
			/no URL Example/,
		],
		[
			{
				bodyText: 'Hi',
				buttons: { button: [{ type: 'PHONE_NUMBER', text: 'Call', phoneNumber: 'call me' }] },
			},
			/international format/,
		],
		[
			{
				bodyText: 'Hi',
				buttons: {
					button: Array.from({ length: 11 }, (_, n) => ({ type: 'QUICK_REPLY', text: `B${n}` })),
				},
			},
			/Too many buttons: 11/,
		],
	])('v2 builder refuses %j before any request', async (params, why) => {
		const scope = fiwanoApi().post(path).reply(201, created());
		const { error } = await runFiwano(v2(params));
		expect(error?.message).toMatch(why);
		expect(scope.isDone()).toBe(false);
	});

	it('keeps a Meta rejection (400) with its detail under Continue On Fail', async () => {
		const scope = fiwanoApi()
			.post(path)
			.reply(400, { detail: 'Template name already exists for this language' });
		const { items } = await runFiwano(v2({ bodyText: 'Hello' }), { continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 400: Template name already exists for this language',
					status: 400,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
