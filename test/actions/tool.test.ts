import type {
	IDataObject,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { TOOL_OPERATIONS } from '../../nodes/Fiwano/actions/tool';
import { Fiwano } from '../../nodes/Fiwano/Fiwano.node';
import { asAiTool } from '../helpers/aiTool';
import {
	executeWorkflow,
	FIWANO_TOOL_TYPE,
	fiwanoApi,
	fiwanoNode,
	runFiwano,
	setupHttp,
} from '../helpers/harness';
import { fbChannel, igChannel, template, WA_ID, waChannel } from './channel/fixtures';
import { byId, sent, WA_CUSTOMER } from './message/fixtures';

setupHttp();

const regular: INodeTypeDescription = new Fiwano().description;
const tool: INodeTypeDescription = asAiTool(new Fiwano()).description;

function resolved(d: INodeTypeDescription, version: number, values: INodeParameters) {
	return (
		NodeHelpers.getNodeParameters(d.properties, values, true, false, { typeVersion: version }, d) ??
		{}
	);
}

function visible(d: INodeTypeDescription, version: number, values: INodeParameters) {
	const all = resolved(d, version, values);
	return d.properties.filter((p) =>
		NodeHelpers.displayParameter(all, p, { typeVersion: version }, d),
	);
}

/** The Operation selector the editor shows for a resource, as [value, action] pairs. */
function offered(d: INodeTypeDescription, version: number, resource: string) {
	const selectors = visible(d, version, { resource }).filter((p) => p.name === 'operation');
	expect(selectors.length).toBeLessThanOrEqual(1);
	return ((selectors[0]?.options ?? []) as INodePropertyOptions[]).map((o) => [o.value, o.action]);
}

const RESOURCES = ['channel', 'contact', 'media', 'message', 'redirect', 'template'];

/** What the Fiwano Tool offers an agent, pinned: sends and lookups, with their action strings. */
const TOOL_OFFER: Record<string, Array<[string, string]>> = {
	channel: [
		['get', 'Get a channel'],
		['getAll', 'Get many channels'],
	],
	contact: [['getProfile', 'Get a contact profile']],
	media: [],
	message: [
		['sendMedia', 'Send a media message'],
		['sendTemplate', 'Send a template message'],
		['send', 'Send a text message'],
	],
	redirect: [],
	template: [
		['get', 'Get a template'],
		['getAll', 'Get many templates'],
	],
};

describe('Fiwano Tool: what the agent is offered', () => {
	it.each([1, 2])('typeVersion %i offers only sends and lookups', (version) => {
		const offer = Object.fromEntries(RESOURCES.map((r) => [r, offered(tool, version, r)]));
		expect(offer).toEqual(TOOL_OFFER);
	});

	it('a resource added later (Subscription, typeVersion 2) stays out of the tool until listed', () => {
		expect(offered(regular, 2, 'subscription').length).toBeGreaterThan(0);
		expect(offered(tool, 2, 'subscription')).toEqual([]);
		expect(visible(tool, 2, { resource: 'subscription' }).map((p) => p.name)).toContain(
			'toolUnavailableNotice',
		);
	});

	it.each([1, 2])(
		'typeVersion %i of the regular node still offers every operation (deletes, Send and Wait)',
		(version) => {
			const ops = Object.fromEntries(
				RESOURCES.map((r) => [r, offered(regular, version, r).map(([v]) => v)]),
			);
			expect(ops).toEqual({
				channel: ['delete', 'exchangeCode', 'setupUrl', 'get', 'getAll', 'update'],
				contact: ['getProfile'],
				media: ['download'],
				message:
					version === 1
						? ['sendMedia', 'sendTemplate', 'send']
						: ['sendMedia', 'sendTemplate', 'sendAndWait', 'send'],
				redirect: ['add', 'delete', 'getAll'],
				template: ['create', 'delete', 'get', 'getAll', 'update'],
			});
		},
	);

	it('the tool keeps each resource’s default operation when the tool offers it, else its first offer', () => {
		const defaults = Object.fromEntries(
			['channel', 'contact', 'message', 'template'].map((r) => [
				r,
				resolved(tool, 2, { resource: r }).operation,
			]),
		);
		expect(defaults).toEqual({
			channel: 'getAll',
			contact: 'getProfile',
			message: 'send',
			template: 'getAll',
		});
	});

	it('n8n’s automatic tool description is the action string “in Fiwano”', () => {
		const describe = (resource: string, operation: string) =>
			NodeHelpers.makeDescription({ resource, operation }, tool);
		expect(describe('message', 'send')).toBe('Send a text message in Fiwano');
		expect(describe('contact', 'getProfile')).toBe('Get a contact profile in Fiwano');
		expect(describe('template', 'getAll')).toBe('Get many templates in Fiwano');
	});

	it('resources with nothing for agents show a notice in the tool, never in the regular node', () => {
		for (const resource of ['media', 'redirect']) {
			const names = visible(tool, 2, { resource }).map((p) => p.name);
			expect(names).toEqual(
				expect.arrayContaining(['resource', 'toolUnavailableNotice', 'descriptionType']),
			);
			expect(names).not.toContain('operation');
		}
		for (const resource of RESOURCES) {
			expect(visible(regular, 2, { resource }).map((p) => p.name)).not.toContain(
				'toolUnavailableNotice',
			);
		}
	});

	it('Simplify (default on) is shown for every tool operation and never in the regular node', () => {
		for (const [resource, operations] of Object.entries(TOOL_OPERATIONS)) {
			for (const operation of operations ?? []) {
				const shown = visible(tool, 2, { resource, operation });
				const simplify = shown.find((p) => p.name === 'simplify') as INodeProperties;
				expect({ resource, operation, default: simplify?.default }).toEqual({
					resource,
					operation,
					default: true,
				});
				expect(visible(regular, 2, { resource, operation }).map((p) => p.name)).not.toContain(
					'simplify',
				);
			}
		}
	});

	it('a parameter the agent fills has a description in the tool (text, recipient, media URL, user ID)', () => {
		const fields = [
			['message', 'send', 'text'],
			['message', 'send', 'recipient'],
			['message', 'sendMedia', 'mediaUrl'],
			['message', 'sendTemplate', 'variables'],
			['contact', 'getProfile', 'userId'],
		];
		for (const [resource, operation, name] of fields) {
			const values = { resource, operation, variablesMode: 'json' };
			const field = visible(tool, 2, values).find((p) => p.name === name);
			expect({ name, long: (field?.description ?? '').length > 40 }).toEqual({ name, long: true });
		}
	});
});

/** One Fiwano Tool call, as the agent's engine request runs it: one item holding the arguments. */
async function callTool(parameters: IDataObject, args: IDataObject, typeVersion = 2) {
	const node = fiwanoNode(parameters, typeVersion, {
		type: FIWANO_TOOL_TYPE,
		name: 'Reply with text',
	});
	return await executeWorkflow(
		{ nodes: [node], connections: {} },
		{ input: [{ json: { ...args, toolCallId: 'call_1' } }] },
	);
}

const replyParams = {
	resource: 'message',
	operation: 'send',
	channelId: byId('={{ $json.channel_id }}'),
	recipient: '={{ $json.recipient }}',
	text: "={{ $fromAI('text', 'The reply to send', 'string') }}",
};

describe('Fiwano Tool: runs', () => {
	it('sends the text the model chose and answers with only the message ID and status', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', { channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hi!' })
			.reply(200, sent('wamid.1'));
		const { items, error } = await callTool(replyParams, {
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
			text: 'Hi!',
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { message_id: 'wamid.1', status: 'sent' }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('the same send in the regular node keeps its full output', async () => {
		const scope = fiwanoApi().post('/api/v1/messages/send').reply(200, sent('wamid.2'));
		const { items } = await runFiwano(
			{ ...replyParams, text: '={{ $json.text }}' },
			{ input: [{ channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hi!' }] },
		);
		expect(items[0].json).toEqual({
			...sent('wamid.2'),
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('Simplify off gives the model the full answer', async () => {
		const scope = fiwanoApi().post('/api/v1/messages/send').reply(200, sent('wamid.3'));
		const { items } = await callTool(
			{ ...replyParams, simplify: false },
			{ channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hi!' },
		);
		expect(items[0].json).toEqual({
			...sent('wamid.3'),
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('a long text split into parts answers one short item per part', async () => {
		const ig = '6543217890123456';
		const scope = fiwanoApi()
			.get('/api/v1/channels/b0b0b0b0b0b0b002')
			.reply(200, igChannel())
			.post('/api/v1/messages/send')
			.times(2)
			.reply(200, (_uri, body) =>
				sent(`mid.${(body as IDataObject).text === 'a'.repeat(1000) ? 1 : 2}`),
			);
		const { items } = await callTool(replyParams, {
			channel_id: 'b0b0b0b0b0b0b002',
			recipient: ig,
			text: `${'a'.repeat(1000)} ${'b'.repeat(10)}`,
		});
		expect(items.map((i) => i.json)).toEqual([
			{ message_id: 'mid.1', status: 'sent', part: 1, parts: 2 },
			{ message_id: 'mid.2', status: 'sent', part: 2, parts: 2 },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[
			'Instagram',
			igChannel().id,
			{ username: 'alex.ig', name: 'Alex Insta', profile_pic: 'p', follower_count: 3 },
			{ name: 'Alex Insta', username: 'alex.ig' },
		],
		[
			'Messenger',
			fbChannel().id,
			{ first_name: 'Alex', last_name: 'M', profile_pic: 'p' },
			{ name: 'Alex M' },
		],
	])(
		'a %s profile comes back as the name (and username)',
		async (_label, channelId, profile, expected) => {
			const scope = fiwanoApi()
				.get(`/api/v1/channels/${channelId}/profile/6543217890123456`)
				.reply(200, {
					channel_id: channelId,
					channel_type: 'x',
					user_id: '6543217890123456',
					profile,
					cached: false,
				});
			const { items } = await callTool(
				{
					resource: 'contact',
					operation: 'getProfile',
					channelId: byId(String(channelId)),
					userId: '={{ $json.user }}',
				},
				{ user: '6543217890123456' },
			);
			expect(items[0].json).toEqual({
				user_id: '6543217890123456',
				channel_type: 'x',
				found: true,
				...expected,
			});
			expect(scope.isDone()).toBe(true);
		},
	);

	it('a profile Meta does not give is found: false', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${igChannel().id}/profile/1`)
			.reply(200, { channel_id: 'i', channel_type: 'instagram', user_id: '1', profile: null });
		const { items } = await callTool(
			{
				resource: 'contact',
				operation: 'getProfile',
				channelId: byId(String(igChannel().id)),
				userId: '1',
			},
			{},
		);
		expect(items[0].json).toEqual({ user_id: '1', channel_type: 'instagram', found: false });
		expect(scope.isDone()).toBe(true);
	});

	it('channels and templates come back without webhook settings or components', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.twice()
			.reply(200, { channels: [waChannel({ webhook_url: 'https://x' }), igChannel()], total: 2 })
			.get(`/api/v1/channels/${WA_ID}/templates`)
			.query(true)
			.reply(200, {
				templates: [template({ variables: { total_count: 2, body: [{ position: 1 }] } })],
			});
		const channels = await callTool(
			{ resource: 'channel', operation: 'getAll', returnAll: true },
			{},
		);
		expect(channels.items.map((i) => i.json)).toEqual([
			{
				id: WA_ID,
				name: 'Sandbox WhatsApp',
				channel_type: 'whatsapp',
				is_active: true,
				phone_number: '+15550000001',
			},
			{
				id: igChannel().id,
				name: 'sandbox_shop',
				channel_type: 'instagram',
				is_active: true,
				ig_username: 'sandbox_shop',
			},
		]);
		// typeVersion 1 answers one item with the list inside; the tool shortens each element.
		const v1 = await callTool({ resource: 'channel', operation: 'getAll' }, {}, 1);
		expect((v1.items[0].json.channels as IDataObject[]).map((c) => Object.keys(c))).toEqual([
			['id', 'name', 'channel_type', 'is_active', 'phone_number'],
			['id', 'name', 'channel_type', 'is_active', 'ig_username'],
		]);
		const templates = await callTool(
			{ resource: 'template', operation: 'getAll', channelId: byId(WA_ID), returnAll: true },
			{},
		);
		expect(templates.items.map((i) => i.json)).toEqual([
			{
				id: 'tpl_order_update',
				name: 'order_update',
				language: 'en_US',
				status: 'APPROVED',
				category: 'UTILITY',
				variables: { total_count: 2, body: [{ position: 1 }] },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['channel', 'delete', { channelId: byId(WA_ID) }],
		[
			'channel',
			'update',
			{ channelId: byId(WA_ID), updateFields: { webhook_url: 'https://evil' } },
		],
		['channel', 'exchangeCode', { code: 'c' }],
		['template', 'delete', { channelId: byId(WA_ID), templateId: 'tpl_1' }],
		[
			'template',
			'update',
			{ channelId: byId(WA_ID), templateId: 'tpl_1', bodyText: 'x', components: '[]' },
		],
		['redirect', 'delete', { redirectId: 'r1' }],
		['redirect', 'add', { uriPattern: 'https://evil/*' }],
		['media', 'download', { mediaId: 'm1' }],
		[
			'message',
			'sendAndWait',
			{ channelId: byId(WA_ID), recipient: WA_CUSTOMER, message: 'Approve?' },
		],
	])(
		'%s → %s saved into a Fiwano Tool (e.g. by import) is refused before any request',
		async (resource, operation, extra) => {
			// No nock scope: any request would fail with a network error instead.
			for (const version of [1, 2]) {
				const { error, items } = await callTool({ resource, operation, ...extra }, {}, version);
				expect(items).toEqual([]);
				// n8n hands the model only the message, so it says what to do instead.
				expect(error?.message).toMatch(
					/is not available to AI agents: .* a person has to do this$/,
				);
				expect(String(error?.description)).toMatch(/regular Fiwano node/);
			}
		},
	);

	it('the regular node still runs a delete', async () => {
		const scope = fiwanoApi().delete(`/api/v1/channels/${WA_ID}`).reply(200, { success: true });
		const { error } = await runFiwano({
			resource: 'channel',
			operation: 'delete',
			channelId: byId(WA_ID),
		});
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});
