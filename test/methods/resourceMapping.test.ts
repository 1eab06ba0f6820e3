import type { IDataObject } from 'n8n-workflow';

import { getTemplateVariables } from '../../nodes/Fiwano/methods/resourceMapping';
import { fiwanoApi, loadOptionsContext, setupHttp } from '../helpers/harness';

setupHttp();

const WA_ID = 'a0a0a0a0a0a0a001';
const LIST = `/api/v1/channels/${WA_ID}/templates`;

function params(templateName: IDataObject, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'message',
		operation: 'sendTemplate',
		channelId: { __rl: true, mode: 'list', value: WA_ID },
		templateName,
		...extra,
	};
}

const listed = (id: string, name: string, language: string, status = 'APPROVED'): IDataObject => ({
	id,
	meta_template_id: `m_${id}`,
	name,
	language,
	status,
	category: 'UTILITY',
	components: [],
});

const field = (id: string, displayName: string) => ({
	id,
	displayName,
	required: true,
	defaultMatch: false,
	canBeUsedToMatch: false,
	display: true,
	type: 'string',
});

describe('getTemplateVariables (Send Template fields)', () => {
	it('builds one field per variable from the definitions GET /templates/{id} returns', async () => {
		const scope = fiwanoApi()
			.get(LIST)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, {
				templates: [
					listed('tpl_es', 'order_update', 'es'),
					listed('tpl_en', 'order_update', 'en_US'),
				],
			})
			.get(`${LIST}/tpl_en`)
			.reply(200, {
				...listed('tpl_en', 'order_update', 'en_US'),
				parameter_format: 'positional',
				variables: {
					total_count: 4,
					parameter_format: 'positional',
					header: [{ position: 1, name: null, example: 'Summer Sale' }],
					body: [
						{ position: 1, name: null, example: 'Pablo' },
						{ position: 2, name: null, example: 'ORD-123' },
					],
					buttons: [{ index: 0, type: 'URL', example: 'promo25' }],
				},
			});
		const result = await getTemplateVariables.call(
			loadOptionsContext(params({ __rl: true, mode: 'list', value: 'order_update|en_US' })),
		);
		expect(result.fields).toEqual([
			field('header_1', 'Header variable 1 — e.g. Summer Sale'),
			field('body_1', 'Body variable 1 — e.g. Pablo'),
			field('body_2', 'Body variable 2 — e.g. ORD-123'),
			field('button_0', 'Button 1 (index 0) — e.g. promo25'),
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('names the fields of a named template after its parameters', async () => {
		const scope = fiwanoApi()
			.get(LIST)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: [listed('tpl_w', 'welcome_named', 'en_US')] })
			.get(`${LIST}/tpl_w`)
			.reply(200, {
				...listed('tpl_w', 'welcome_named', 'en_US'),
				parameter_format: 'named',
				variables: {
					total_count: 1,
					parameter_format: 'named',
					body: [{ position: 1, name: 'customer_name', example: 'Alex' }],
				},
			});
		const result = await getTemplateVariables.call(
			loadOptionsContext(params({ __rl: true, mode: 'list', value: 'welcome_named|en_US' })),
		);
		expect(result.fields).toEqual([field('body_customer_name', 'Body customer_name — e.g. Alex')]);
		expect(scope.isDone()).toBe(true);
	});

	it('reads the variables from the components when the definitions are missing', async () => {
		const scope = fiwanoApi()
			.get(LIST)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: [listed('tpl_o', 'order_update', 'de')] })
			.get(`${LIST}/tpl_o`)
			.reply(200, {
				...listed('tpl_o', 'order_update', 'de'),
				components: [
					{
						type: 'HEADER',
						format: 'TEXT',
						text: 'Angebot {{1}}',
						example: { header_text: ['Sommer'] },
					},
					{
						type: 'BODY',
						text: 'Hallo {{1}}, Bestellung {{2}} ist da.',
						example: { body_text: [['Pablo', 'B-1']] },
					},
					{
						type: 'BUTTONS',
						buttons: [
							{ type: 'QUICK_REPLY', text: 'Danke' },
							{
								type: 'URL',
								text: 'Ansehen',
								url: 'https://shop.example.com/o/{{1}}',
								example: ['https://shop.example.com/o/B-1'],
							},
						],
					},
				],
			});
		// By name, with the language taken from the Language field.
		const result = await getTemplateVariables.call(
			loadOptionsContext(
				params({ __rl: true, mode: 'name', value: 'order_update' }, { language: 'de' }),
			),
		);
		expect(result.fields.map((f) => [f.id, f.displayName])).toEqual([
			['header_1', 'Header variable 1 — e.g. Sommer'],
			['body_1', 'Body variable 1 — e.g. Pablo'],
			['body_2', 'Body variable 2 — e.g. B-1'],
			['button_1', 'Button 2 (index 1) — e.g. https://shop.example.com/o/B-1'],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('has no fields and says why when the template has no variables', async () => {
		const scope = fiwanoApi()
			.get(LIST)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: [listed('tpl_h', 'hello_world', 'en_US')] })
			.get(`${LIST}/tpl_h`)
			.reply(200, {
				...listed('tpl_h', 'hello_world', 'en_US'),
				components: [{ type: 'BODY', text: 'Hello world' }],
				variables: {
					total_count: 0,
					parameter_format: 'positional',
					header: null,
					body: [],
					buttons: null,
				},
			});
		const result = await getTemplateVariables.call(
			loadOptionsContext(params({ __rl: true, mode: 'list', value: 'hello_world|en_US' })),
		);
		expect(result).toEqual({
			fields: [],
			emptyFieldsNotice: 'This template has no variables: there is nothing to fill in.',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('says so when no approved template has that name and language', async () => {
		const scope = fiwanoApi()
			.get(LIST)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: [listed('tpl_p', 'promo', 'en_US', 'PENDING')] });
		const result = await getTemplateVariables.call(
			loadOptionsContext(params({ __rl: true, mode: 'list', value: 'promo|en_US' })),
		);
		expect(result).toEqual({
			fields: [],
			emptyFieldsNotice: 'No approved template "promo" (en_US) on this channel.',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('asks nothing until a channel and a template are chosen', async () => {
		const scope = fiwanoApi().get(/.*/).reply(200, {});
		const result = await getTemplateVariables.call(
			loadOptionsContext(params({ __rl: true, mode: 'list', value: '' })),
		);
		expect(result).toEqual({
			fields: [],
			emptyFieldsNotice: 'Choose a channel and a template first.',
		});
		expect(scope.isDone()).toBe(false);
	});
});
