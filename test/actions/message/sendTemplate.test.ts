import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Fiwano } from '../../../nodes/Fiwano/Fiwano.node';

import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, failed, fromList, sent, WA_CUSTOMER, WA_ID } from './fixtures';

setupHttp();

const SEND_TEMPLATE = '/api/v1/messages/send-template';

/** The resource mapper value as the editor saves it after loading the template's fields. */
function mapper(value: IDataObject, ids: string[] = Object.keys(value)): IDataObject {
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: ids.map((id) => ({
			id,
			displayName: id,
			required: true,
			defaultMatch: false,
			display: true,
			type: 'string',
			canBeUsedToMatch: false,
		})),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

function v2(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'message',
		operation: 'sendTemplate',
		channelId: byId(WA_ID),
		recipient: WA_CUSTOMER,
		templateName: fromList('order_update|en_US', 'order_update (en_US)'),
		templateVariables: mapper({ body_1: 'Alex', body_2: 'ORD-1042' }),
		...overrides,
	};
}

/** The parameters n8n keeps (and the editor shows) for these saved values. */
function shownParameters(values: INodeParameters, typeVersion = 2): string[] {
	const { description } = new Fiwano();
	const resolved = NodeHelpers.getNodeParameters(
		description.properties,
		{ resource: 'message', operation: 'sendTemplate', ...values },
		true,
		false,
		{ typeVersion },
		description,
	);
	return Object.keys(resolved ?? {}).sort();
}

describe('Message → Send Template fields', () => {
	it('typeVersion 2 shows Language only when the template is given by name', () => {
		expect(shownParameters({})).toEqual(
			[
				'channelId',
				'operation',
				'options',
				'recipient',
				'resource',
				'templateName',
				'templateVariables',
				'variablesMode',
			].sort(),
		);
		expect(
			shownParameters({ templateName: { __rl: true, mode: 'name', value: 'order_update' } }),
		).toContain('language');
		expect(
			shownParameters({ templateName: { __rl: true, mode: 'list', value: 'order_update|en_US' } }),
		).not.toContain('language');
	});

	it('typeVersion 2 shows the JSON field instead of the variable fields in JSON mode', () => {
		const json = shownParameters({ variablesMode: 'json' });
		expect(json).toContain('variables');
		expect(json).not.toContain('templateVariables');
	});

	it('typeVersion 1 shows the 1.x fields with their defaults', () => {
		expect(shownParameters({}, 1)).toEqual(
			[
				'channelId',
				'language',
				'operation',
				'recipient',
				'resource',
				'templateName',
				'variables',
			].sort(),
		);
	});
});

describe('Message → Send Template (typeVersion 2)', () => {
	it('sends the template picked from the list with variables from the fields', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'order_update',
				language: 'en_US',
				variables: { body: ['Alex', 'ORD-1042'] },
			})
			.reply(200, sent('t-1'));
		const { items, error } = await runFiwano(v2());
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					...sent('t-1'),
					channel_id: WA_ID,
					recipient: WA_CUSTOMER,
					template_name: 'order_update',
					language: 'en_US',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('orders positional values by number and adds header and button variables', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'order_update',
				language: 'en_US',
				variables: {
					header: ['Summer Sale'],
					body: ['Alex', 'ORD-1042', '25%'],
					buttons: [{ index: 0, value: 'promo25' }],
				},
			})
			.reply(200, sent('t-1'));
		await runFiwano(
			v2({
				templateVariables: mapper({
					body_3: '25%',
					button_0: 'promo25',
					body_1: 'Alex',
					header_1: 'Summer Sale',
					body_2: '={{ $json.order }}',
				}),
			}),
			{ input: [{ order: 'ORD-1042' }] },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('sends named variables as an object', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'welcome_named',
				language: 'en_US',
				variables: { body: { customer_name: 'Alex' } },
			})
			.reply(200, sent('t-1'));
		await runFiwano(
			v2({
				templateName: fromList('welcome_named|en_US'),
				templateVariables: mapper({ body_customer_name: 'Alex' }),
			}),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('by name takes the language from the Language field, and omits variables when the template has none', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'hello_world',
				language: 'es',
			})
			.reply(200, sent('t-1'));
		await runFiwano(
			v2({
				templateName: { __rl: true, mode: 'name', value: 'hello_world' },
				language: 'es',
				templateVariables: mapper({}),
			}),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('JSON mode sends the parsed variables', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'order_update',
				language: 'en_US',
				variables: { body: ['Alex', 'ORD-7'] },
			})
			.reply(200, sent('t-1'));
		await runFiwano(
			v2({
				variablesMode: 'json',
				variables: '={{ JSON.stringify({ body: ["Alex", $json.order] }) }}',
			}),
			{
				input: [{ order: 'ORD-7' }],
			},
		);
		expect(scope.isDone()).toBe(true);
	});

	it('normalises the WhatsApp number without looking the channel up (templates are WhatsApp only)', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, (body: IDataObject) => body.recipient === '15551234567')
			.reply(200, sent('t-1'));
		const { items } = await runFiwano(v2({ recipient: '+1 (555) 123-4567' }));
		expect(items[0].json.recipient).toBe('15551234567');
		expect(scope.isDone()).toBe(true);
	});

	it('a failed template send is an error with Meta’s code and hint', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE)
			.reply(200, failed(131008, 'Required parameter is missing'));
		const { error } = await runFiwano(v2());
		expect(error?.message).toBe(
			'Fiwano could not send the message (Meta error 131008): Required parameter is missing',
		);
		expect(String(error?.description)).toMatch(
			/^A required parameter is missing\. Fix the request\./,
		);
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail each failed send is an error item paired to its input', async () => {
		let n = 0;
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE)
			.times(2)
			.reply(200, () => (++n === 1 ? failed(131026, 'Receiver is incapable') : sent('t-2')));
		const { items } = await runFiwano(
			v2({ recipient: '={{ $json.to }}', options: { concurrency: 1 } }),
			{
				input: [{ to: '15550000001' }, { to: '15550000002' }],
				continueOnFail: true,
			},
		);
		expect(items[0]).toEqual({
			json: expect.objectContaining({
				status: 'failed',
				code: 131026,
				hint: expect.stringMatching(/not reachable/),
			}),
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({
			json: expect.objectContaining({ message_id: 't-2', status: 'sent' }),
			pairedItem: { item: 1 },
		});
		expect(scope.isDone()).toBe(true);
	});

	describe('inputs are checked before any request', () => {
		it.each([
			[
				'a variable left empty',
				{ templateVariables: mapper({ body_1: 'Alex', body_2: '' }) },
				'Template variable "body_2" is empty',
			],
			[
				'a variable whose expression gives nothing',
				{ templateVariables: mapper({ body_1: 'Alex', body_2: '={{ $json.missing }}' }) },
				'Template variable "body_2" is empty',
			],
			[
				'a gap in positional variables',
				{ templateVariables: mapper({ body_1: 'Alex', body_3: 'x' }) },
				'Template body variable 2 has no value',
			],
			[
				'invalid JSON',
				{ variablesMode: 'json', variables: '{"body": [' },
				/^Variables are not valid JSON/,
			],
			[
				'JSON that is not an object',
				{ variablesMode: 'json', variables: '["Alex"]' },
				'Variables must be a JSON object keyed by component',
			],
			[
				'a template name Meta would never accept',
				{ templateName: { __rl: true, mode: 'name', value: '={{ "Order Update" }}' } },
				'"Order Update" is not a WhatsApp template name',
			],
			[
				'a bad language code',
				{ templateName: { __rl: true, mode: 'name', value: 'order_update' }, language: 'english' },
				'"english" is not a template language code',
			],
			['no template', { templateName: fromList('={{ "" }}') }, 'No template chosen'],
			['an empty recipient', { recipient: '={{ " " }}' }, 'Recipient is empty'],
		])('%s', async (_what, overrides, message) => {
			const send = fiwanoApi().post(SEND_TEMPLATE).reply(200, sent());
			const { error } = await runFiwano(v2(overrides as IDataObject));
			if (typeof message === 'string') expect(error?.message).toBe(message);
			else expect(error?.message).toMatch(message);
			expect(send.isDone()).toBe(false);
		});
	});
});

describe('Message → Send Template (typeVersion 1, 1.x parameters)', () => {
	const v1 = (overrides: IDataObject = {}): IDataObject => ({
		resource: 'message',
		operation: 'sendTemplate',
		channelId: WA_ID,
		recipient: WA_CUSTOMER,
		templateName: 'order_update',
		language: 'en_US',
		variables: '{"body": ["Alex", "ORD-1042"]}',
		...overrides,
	});

	it('parses the variables JSON string into an object, as 1.x did, and outputs the API answer', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'order_update',
				language: 'en_US',
				variables: { body: ['Alex', 'ORD-1042'] },
			})
			.reply(200, { success: true, message_id: 't-1', status: 'sent' });
		const { items } = await runFiwano(v1(), { typeVersion: 1 });
		expect(items).toEqual([
			{ json: { success: true, message_id: 't-1', status: 'sent' }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('omits variables when the field is empty, and sends {} as 1.x did', async () => {
		const withoutVariables = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'hello_world',
				language: 'en_US',
			})
			.reply(200, sent('t-1'));
		await runFiwano(v1({ templateName: 'hello_world', variables: '' }), { typeVersion: 1 });
		expect(withoutVariables.isDone()).toBe(true);

		const emptyObject = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				template_name: 'hello_world',
				language: 'en_US',
				variables: {},
			})
			.reply(200, sent('t-2'));
		await runFiwano(v1({ templateName: 'hello_world', variables: '{}' }), { typeVersion: 1 });
		expect(emptyObject.isDone()).toBe(true);
	});

	it('sends the recipient only trimmed, as 1.x did (typeVersion 2 strips + and spaces)', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE, {
				channel_id: WA_ID,
				recipient: '+1 555 123 4567',
				template_name: 'order_update',
				language: 'en_US',
				variables: { body: ['Alex', 'ORD-1042'] },
			})
			.reply(200, sent('t-3'));
		const { items } = await runFiwano(v1({ recipient: ' +1 555 123 4567 ' }), { typeVersion: 1 });
		expect(items.map((i) => i.json.message_id)).toEqual(['t-3']);
		expect(scope.isDone()).toBe(true);
	});

	it('n8n itself refuses to run without the required fields (the editor shows the same issue)', async () => {
		const send = fiwanoApi().post(SEND_TEMPLATE).reply(200, sent());
		await expect(runFiwano(v1({ templateName: '' }), { typeVersion: 1 })).rejects.toThrow(
			/Template Name/,
		);
		expect(send.isDone()).toBe(false);
	});

	it('invalid JSON is an error for the item before any request', async () => {
		const send = fiwanoApi().post(SEND_TEMPLATE).reply(200, sent());
		const { error } = await runFiwano(v1({ variables: '{body: [Alex]}' }), { typeVersion: 1 });
		expect(error?.message).toMatch(/^Variables are not valid JSON/);
		expect(send.isDone()).toBe(false);
	});

	it('makes a failed send an error item under Continue On Fail, in typeVersion 1 too', async () => {
		const scope = fiwanoApi()
			.post(SEND_TEMPLATE)
			.reply(200, failed(132001, 'Template name does not exist in the translation'));
		const { items } = await runFiwano(v1(), { typeVersion: 1, continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error:
						'Fiwano could not send the message (Meta error 132001): Template name does not exist in the translation',
					status: 'failed',
					code: 132001,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
