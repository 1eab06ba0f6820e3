import { createHash, createHmac } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import nock from 'nock';

import { resetRateGates } from '../../nodes/Fiwano/transport/rateGate';
import {
	checkExists,
	create,
	REGISTRATION_FIELD,
	remove,
} from '../../nodes/Fiwano/trigger/registration';
import { TEST_BASE_URL, TEST_CREDENTIAL_KEY } from '../helpers/node';

/**
 * The trigger's webhook registration (checkExists, create, delete) called directly with a
 * hand-made hook context: what n8n's HookContext hands the hooks (parameters, mode, URL, static
 * data, credential, logger) and an HTTP helper that sends through fetch, so every request to
 * Fiwano is still pinned with nock. No n8n-core is loaded: these run per mutant in
 * `STRYKER_UNIT_ONLY=1`. registration.test.ts and testListen.test.ts run the same hooks through
 * n8n-core's real HookContext.
 */

const API_KEY = TEST_CREDENTIAL_KEY;
const WORKFLOW_ID = 'wf-unit';
const NODE_ID = 'trigger-node-unit';
const WEBHOOK_ID = '9d2e6f10-7a3b-4c5d-8e9f-0a1b2c3d4e5f';
const N8N = 'https://n8n.example.com';
const PRODUCTION = `${N8N}/webhook/${WEBHOOK_ID}/webhook`;
const TEST = `${N8N}/webhook-test/${WEBHOOK_ID}/webhook`;
const FOREIGN = 'https://crm.example.org/hooks/fiwano?token=abc';
const WA = 'a1b2c3d4e5f60001';
const IG = 'a1b2c3d4e5f60002';
const FB = 'a1b2c3d4e5f60003';

/** Made-up keys, computed rather than written out (no hard-coded secrets, tests included). */
const key = (label: string, length = 32) =>
	createHash('sha256').update(label).digest('hex').slice(0, length);

/** The trigger's own secret, from its documented formula. */
function derivedSecret(workflowId = WORKFLOW_ID, nodeId = NODE_ID, apiKey = API_KEY): string {
	return createHmac('sha256', apiKey)
		.update(`n8n-nodes-fiwano trigger webhook secret v1\n${workflowId}\n${nodeId}`)
		.digest('hex');
}

/** The fingerprint the record keeps of a secret, from its documented formula. */
function fingerprint(secret: string, apiKey = API_KEY): string {
	return createHmac('sha256', apiKey)
		.update(`n8n-nodes-fiwano trigger secret fingerprint v1\n${secret}`)
		.digest('hex')
		.slice(0, 16);
}

const SECRET = derivedSecret();
const FP = fingerprint(SECRET);

/** The URL a test listen puts on a channel, naming the wiring to put back. */
const borrowed = (previousUrl: string, previousEvents: string[], url = TEST) =>
	`${url}?fiwano_restore=${previousUrl}&fiwano_events=${previousEvents.join(',')}`;

interface HookOptions {
	parameters?: IDataObject;
	typeVersion?: number;
	/** Which n8n call: activation (checkExists/create), a test listen, or delete. */
	as?: 'activation' | 'test' | 'delete';
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
	/** What getNodeWebhookUrl('default') answers; undefined: no URL. */
	url?: string | undefined;
	/** The node's static data, kept between calls by passing the same object. */
	store?: IDataObject;
	credential?: IDataObject | Error;
	workflowId?: string | undefined;
	node?: Partial<INode>;
}

interface Hook {
	ctx: IHookFunctions;
	warn: jest.Mock;
	error: jest.Mock;
	/** Every change to the node's static data, the way n8n's observable static data sees them. */
	changes: string[];
}

/** The credential as n8n decrypts it. */
const credential = (extra: IDataObject = {}): IDataObject => ({
	apiKey: API_KEY,
	webhookSecret: '',
	baseUrl: TEST_BASE_URL,
	...extra,
});

/**
 * n8n's httpRequestWithAuthentication for the Fiwano credential: its X-API-Key header, JSON in
 * and out, the full response with the status (the transport asks for it).
 */
async function httpRequestWithAuthentication(
	this: unknown,
	credentialType: string,
	options: IHttpRequestOptions,
	extra?: { credentialsDecrypted?: { data?: IDataObject } },
): Promise<IDataObject> {
	if (credentialType !== 'fiwanoApi') throw new Error(`unexpected credential ${credentialType}`);
	const headers: Record<string, string> = {
		'x-api-key': String(extra?.credentialsDecrypted?.data?.apiKey ?? ''),
	};
	let body: string | undefined;
	if (options.body !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	// A request nock does not expect fails at once: with no error code the transport would retry
	// it after real back-off waits.
	const response = await fetch(options.url, { method: options.method, headers, body }).catch(
		(error: Error) => {
			throw Object.assign(new Error(`unexpected request: ${error.message}`), {
				code: 'EUNEXPECTED',
			});
		},
	);
	const text = await response.text();
	return {
		statusCode: response.status,
		headers: Object.fromEntries(response.headers),
		body: text === '' ? undefined : (JSON.parse(text) as IDataObject),
	};
}

function hook(options: HookOptions = {}): Hook {
	const as = options.as ?? 'activation';
	const mode =
		options.mode ?? (as === 'test' ? 'manual' : as === 'delete' ? 'internal' : 'trigger');
	const activation =
		options.activation ?? (as === 'test' ? 'manual' : as === 'delete' ? 'update' : 'activate');
	const url = 'url' in options ? options.url : as === 'test' ? TEST : PRODUCTION;
	const parameters: IDataObject = options.parameters ?? {
		autoSetup: 'channel',
		channelId: { __rl: true, mode: 'list', value: WA },
		events: ['message.received'],
	};
	const node: INode = {
		id: NODE_ID,
		name: 'Fiwano Trigger',
		type: 'n8n-nodes-fiwano.fiwanoTrigger',
		typeVersion: options.typeVersion ?? 2,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INode['parameters'],
		credentials: { fiwanoApi: { id: '1', name: 'Fiwano account' } },
		...options.node,
	};
	const store = options.store ?? {};
	const changes: string[] = [];
	const nodeData = new Proxy(store, {
		set(target, property, value) {
			changes.push(`set ${String(property)}`);
			return Reflect.set(target, property, value);
		},
		deleteProperty(target, property) {
			changes.push(`delete ${String(property)}`);
			return Reflect.deleteProperty(target, property);
		},
	});
	const workflowId = 'workflowId' in options ? options.workflowId : WORKFLOW_ID;
	const warn = jest.fn();
	const error = jest.fn();
	const ctx = {
		getNode: () => node,
		getWorkflow: () => ({ id: workflowId, name: 'Unit workflow', active: as !== 'test' }),
		getMode: () => mode,
		getActivationMode: () => activation,
		getNodeParameter(name: string, fallback?: unknown, parameterOptions?: IDataObject) {
			const value = name in parameters ? parameters[name] : fallback;
			if (parameterOptions?.extractValue && value && typeof value === 'object')
				return (value as IDataObject).value;
			return value;
		},
		getNodeWebhookUrl: (name: string) => (name === 'default' ? url : undefined),
		getWorkflowStaticData(type: string) {
			if (type !== 'node') throw new Error(`static data of type ${type} is not used here`);
			return nodeData;
		},
		async getCredentials(type: string) {
			if (type !== 'fiwanoApi') throw new Error(`no credential of type ${type}`);
			const value = options.credential ?? credential();
			if (value instanceof Error) throw value;
			return { ...value };
		},
		logger: { warn, error, info: jest.fn(), debug: jest.fn() },
		helpers: { httpRequestWithAuthentication },
	};
	return { ctx: ctx as unknown as IHookFunctions, warn, error, changes };
}

/** A nock scope on the test base URL that insists on the API key header. */
const api = () => nock(TEST_BASE_URL, { reqheaders: { 'x-api-key': API_KEY } });

/** A channel as GET /channels answers it. */
function channel(id: string, extra: IDataObject = {}): IDataObject {
	return {
		id,
		channel_type: 'whatsapp',
		name: `Channel ${id}`,
		is_active: true,
		webhook_url: null,
		has_webhook_secret: false,
		webhook_events: [],
		...extra,
	};
}

/** A channel wired to PRODUCTION the way create leaves it. */
const wiredChannel = (id = WA, extra: IDataObject = {}) =>
	channel(id, {
		webhook_url: PRODUCTION,
		has_webhook_secret: true,
		webhook_events: ['message.received'],
		...extra,
	});

const expectGet = (id: string, body: IDataObject) =>
	api().get(`/api/v1/channels/${id}`).reply(200, body);
const expectList = (channels: IDataObject[]) =>
	api().get('/api/v1/channels').reply(200, { channels, total: channels.length });
/** Pins the exact PATCH body; Fiwano answers with the URL and events it stored. */
const expectPatch = (id: string, body: IDataObject, answer: IDataObject = {}) =>
	api()
		.patch(`/api/v1/channels/${id}`, body as nock.DataMatcherMap)
		.matchHeader('content-type', /application\/json/)
		.reply(200, {
			id,
			webhook_url: body.webhook_url === '' ? null : body.webhook_url,
			webhook_events: body.webhook_events,
			...answer,
		});

/** The same exact PATCH, refused by Fiwano with `status` and its `detail`. */
const refusePatch = (id: string, body: IDataObject, status: number, detail: string) =>
	api()
		.patch(`/api/v1/channels/${id}`, body as nock.DataMatcherMap)
		.matchHeader('content-type', /application\/json/)
		.reply(status, { detail });

/** What a production activation of one channel (message.received) records. */
const productionRecord = (extra: IDataObject = {}): IDataObject => ({
	url: PRODUCTION,
	test: false,
	events: ['message.received'],
	channels: { [WA]: { fp: FP, events: ['message.received'] } },
	...extra,
});

const allChannels = (extra: IDataObject = {}): IDataObject => ({
	autoSetup: 'all',
	events: ['message.received'],
	...extra,
});

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
	nock.cleanAll();
	resetRateGates();
});
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Manual setup', () => {
	it.each([
		['activation', 'trigger', 'activate'],
		['a test listen', 'manual', 'manual'],
		['delete', 'internal', 'update'],
	] as Array<[string, WorkflowExecuteMode, WorkflowActivateMode]>)(
		'wires nothing, reads no credential and sends nothing (%s)',
		async (_name, mode, activation) => {
			const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord() };
			const { ctx, changes } = hook({
				parameters: { autoSetup: 'manual', events: [] },
				mode,
				activation,
				store,
				credential: new Error('not to be read'),
			});
			// No interceptor: any request would fail the hook.
			expect(await checkExists.call(ctx)).toBe(true);
			expect(await create.call(ctx)).toBe(true);
			expect(await remove.call(ctx)).toBe(true);
			expect(changes).toEqual([]);
		},
	);
});

describe('checkExists', () => {
	it.each([
		['manual', 'manual'],
		['manual', 'activate'],
		['trigger', 'manual'],
	] as Array<[WorkflowExecuteMode, WorkflowActivateMode]>)(
		'always has a test listen wire, without a request (mode %s, activation %s)',
		async (mode, activation) => {
			const { ctx } = hook({
				mode,
				activation,
				store: { [REGISTRATION_FIELD]: productionRecord() },
				credential: new Error('not to be read'),
			});
			expect(await checkExists.call(ctx)).toBe(false);
		},
	);

	describe('One Channel', () => {
		it('says the channel is wired when it is as create left it, and changes nothing', async () => {
			const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord() };
			const { ctx, changes } = hook({ store });
			const get = expectGet(WA, wiredChannel());
			expect(await checkExists.call(ctx)).toBe(true);
			expect(get.isDone()).toBe(true);
			expect(changes).toEqual([]);
		});

		it('reads the URL Fiwano shows without the spaces around it', async () => {
			const { ctx } = hook({ store: { [REGISTRATION_FIELD]: productionRecord() } });
			expectGet(WA, wiredChannel(WA, { webhook_url: `  ${PRODUCTION} ` }));
			expect(await checkExists.call(ctx)).toBe(true);
		});

		const bothEvents = ['message.read', 'message.received'];
		it.each([
			['nothing was recorded', undefined, {}, {}],
			['the record is of a test listen', productionRecord({ test: true }), {}, {}],
			[
				'the record is of another URL',
				productionRecord({ url: `${N8N}/webhook/other/webhook` }),
				{},
				{},
			],
			['the record is null', null, {}, {}],
			['the record has no channels', { ...productionRecord(), channels: undefined }, {}, {}],
			[
				'more events are selected than were wired',
				productionRecord({
					channels: { [WA]: { fp: FP, events: bothEvents } },
				}),
				{ webhook_events: bothEvents },
				{ events: bothEvents },
			],
			[
				'other events are selected than were wired',
				productionRecord({
					events: ['message.received', 'message.sent'],
					channels: { [WA]: { fp: FP, events: bothEvents } },
				}),
				{ webhook_events: bothEvents },
				{ events: bothEvents },
			],
			['the channel sends elsewhere', productionRecord(), { webhook_url: FOREIGN }, {}],
			[
				'the channel is on this URL with a query',
				productionRecord(),
				{ webhook_url: `${PRODUCTION}?x=1` },
				{},
			],
			['the channel has no secret', productionRecord(), { has_webhook_secret: false }, {}],
			[
				'the channel does not say it has a secret',
				productionRecord(),
				{ has_webhook_secret: undefined },
				{},
			],
			[
				'the channel has no events, as recorded',
				productionRecord({ channels: { [WA]: { fp: FP, events: [] } } }),
				{ webhook_events: [] },
				{},
			],
			[
				'the channel lists no events',
				productionRecord({ channels: { [WA]: { fp: FP, events: [] } } }),
				{ webhook_events: null },
				{},
			],
			[
				'the record has no entry for the channel',
				productionRecord({ channels: { [IG]: { fp: FP, events: ['message.received'] } } }),
				{},
				{},
			],
			[
				'the channel has other events than were wired',
				productionRecord(),
				{ webhook_events: ['message.read'] },
				{},
			],
			[
				'the channel has more events than were wired',
				productionRecord(),
				{ webhook_events: bothEvents },
				{},
			],
			[
				'the channel lost an event it was wired with',
				productionRecord({ channels: { [WA]: { fp: FP, events: bothEvents } } }),
				{},
				{},
			],
		] as Array<[string, unknown, IDataObject, IDataObject]>)(
			'has create wire again when %s',
			async (_name, record, change, parameters) => {
				const store: IDataObject = record === undefined ? {} : { [REGISTRATION_FIELD]: record };
				const { ctx } = hook({
					store,
					parameters: {
						autoSetup: 'channel',
						channelId: WA,
						events: ['message.received'],
						...parameters,
					},
				});
				const get = expectGet(WA, wiredChannel(WA, change));
				expect(await checkExists.call(ctx)).toBe(false);
				expect(get.isDone()).toBe(true);
			},
		);

		it('has create wire again when the secret changed since (the credential got one)', async () => {
			const { ctx } = hook({
				store: { [REGISTRATION_FIELD]: productionRecord() },
				credential: credential({ webhookSecret: key('credential secret') }),
			});
			expectGet(WA, wiredChannel());
			expect(await checkExists.call(ctx)).toBe(false);
		});
	});

	describe('All Active Channels', () => {
		const record = (channels: string[], extra: IDataObject = {}) =>
			productionRecord({
				channels: Object.fromEntries(
					channels.map((id) => [id, { fp: FP, events: ['message.received'] }]),
				),
				...extra,
			});

		it('says all is wired when every wanted channel it may have is as recorded', async () => {
			const { ctx } = hook({
				parameters: allChannels(),
				store: { [REGISTRATION_FIELD]: record([WA, IG]) },
			});
			const list = expectList([
				wiredChannel(WA),
				wiredChannel(IG, { channel_type: 'instagram' }),
				channel(FB, { channel_type: 'facebook', webhook_url: FOREIGN }),
				channel('d4', { is_active: false }),
				channel('d5', { is_active: 'true' }),
				channel('d6', { is_active: undefined }),
			]);
			expect(await checkExists.call(ctx)).toBe(true);
			expect(list.isDone()).toBe(true);
		});

		it('looks only at channels of the chosen Channel Types', async () => {
			const { ctx } = hook({
				parameters: allChannels({ options: { channelTypes: ['whatsapp', 'instagram'] } }),
				store: { [REGISTRATION_FIELD]: record([WA]) },
			});
			expectList([wiredChannel(WA), channel(FB, { channel_type: 'facebook' })]);
			expect(await checkExists.call(ctx)).toBe(true);
		});

		it.each([
			['a wanted channel is free', [wiredChannel(WA), channel(IG)]],
			['a channel is on the test URL', [wiredChannel(WA), wiredChannel(IG, { webhook_url: TEST })]],
			[
				'a channel is on this URL without its secret',
				[wiredChannel(WA), wiredChannel(IG, { has_webhook_secret: false })],
			],
			['every channel is foreign', [channel(FB, { webhook_url: FOREIGN })]],
			['there is no channel', []],
		] as Array<[string, IDataObject[]]>)('has create wire when %s', async (_name, channels) => {
			const { ctx } = hook({
				parameters: allChannels(),
				store: { [REGISTRATION_FIELD]: record([WA, IG]) },
			});
			const list = expectList(channels);
			expect(await checkExists.call(ctx)).toBe(false);
			expect(list.isDone()).toBe(true);
		});
	});
});

describe('what activation needs before it sends anything', () => {
	it.each([
		['checkExists', checkExists],
		['create', create],
	])('a webhook URL (%s)', async (_name, method) => {
		const { ctx, changes } = hook({ url: undefined });
		await expect(method.call(ctx)).rejects.toMatchObject({
			message: 'Could not work out this trigger’s webhook URL',
			description: 'Save the workflow and try again.',
		});
		expect(changes).toEqual([]);
	});

	it('a channel, in One Channel setup', async () => {
		const { ctx } = hook({ parameters: { autoSetup: 'channel', channelId: '', events: [] } });
		await expect(create.call(ctx)).rejects.toMatchObject({
			message: 'No channel selected',
			description:
				'Pick the channel this trigger should receive events from, or switch Webhook Setup to All Active Channels.',
		});
	});

	it.each([
		['with a Webhook Secret', { apiKey: '', webhookSecret: key('credential secret') }],
		['without a Webhook Secret', { apiKey: '' }],
	])('an API key in the credential (%s)', async (_name, change) => {
		const { ctx } = hook({ credential: credential(change) });
		await expect(create.call(ctx)).rejects.toMatchObject({
			message: 'The Fiwano credential has no API key',
			description: 'Open the Fiwano API credential and enter the API key from the Fiwano portal.',
		});
	});

	it('a reachable webhook URL when the credential is the real Fiwano', async () => {
		const local = `http://localhost:5678/webhook/${WEBHOOK_ID}/webhook`;
		const real = credential({ baseUrl: 'https://fiwano.com' });
		const { ctx, changes } = hook({ url: local, credential: real });
		const refused = /^Fiwano cannot reach this trigger’s webhook URL http:\/\/localhost:5678\//;
		await expect(checkExists.call(ctx)).rejects.toThrow(refused);
		await expect(create.call(ctx)).rejects.toThrow(refused);
		expect(changes).toEqual([]);

		// Delete (n8n runs it after the refused activation) has nothing to clear.
		const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord({ url: local }) };
		const deletion = hook({ as: 'delete', url: local, credential: real, store });
		expect(await remove.call(deletion.ctx)).toBe(true);
		expect(deletion.changes).toEqual([]);
	});

	it.each([
		[
			'the credential’s',
			2,
			{},
			{ webhookSecret: key('long credential secret', 64) + 'x' },
			'the Fiwano credential’s',
		],
		['the node’s', 1, { webhookSecret: key('long node secret', 64) + 'y' }, {}, 'this node’s'],
	] as Array<[string, number, IDataObject, IDataObject, string]>)(
		'a secret Fiwano can store: refuses %s Webhook Secret of 65 characters before sending it',
		async (_name, typeVersion, parameters, change, where) => {
			const { ctx } = hook({
				typeVersion,
				parameters: { autoSetup: 'channel', channelId: WA, events: [], ...parameters },
				credential: credential(change),
			});
			const error = (await create.call(ctx).catch((e: unknown) => e)) as Error & {
				description: string;
			};
			expect(error).toMatchObject({
				message: 'The Webhook Secret is 65 characters long; Fiwano stores at most 64',
				description: `Shorten ${where} Webhook Secret to at most 64 characters (16 or more, random), or empty it so the trigger uses a secret of its own.`,
			});
		},
	);

	it('sends a Webhook Secret of 64 characters as it is', async () => {
		const secret = key('longest credential secret', 64);
		const store: IDataObject = {};
		const { ctx } = hook({ store, credential: credential({ webhookSecret: secret }) });
		const patch = expectPatch(WA, {
			webhook_url: PRODUCTION,
			webhook_events: ['message.received'],
			webhook_secret: secret,
		});
		expect(await create.call(ctx)).toBe(true);
		expect(patch.isDone()).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(
			productionRecord({
				channels: { [WA]: { fp: fingerprint(secret), events: ['message.received'] } },
			}),
		);
	});

	it('puts the typeVersion 1 node’s Webhook Secret on the channel', async () => {
		const secret = key('node secret');
		const { ctx } = hook({
			typeVersion: 1,
			parameters: { autoSetup: 'channel', channelId: WA, events: [], webhookSecret: secret },
		});
		const patch = expectPatch(WA, {
			webhook_url: PRODUCTION,
			webhook_events: [
				'message.delivered',
				'message.failed',
				'message.read',
				'message.received',
				'message.sent',
			],
			webhook_secret: secret,
		});
		expect(await create.call(ctx)).toBe(true);
		expect(patch.isDone()).toBe(true);
	});
});

describe('create, production', () => {
	it('wires the chosen channel without reading it: URL, events and its own secret, recorded without the secret', async () => {
		const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord({ url: 'stale' }) };
		const { ctx, changes } = hook({ store });
		const patch = expectPatch(
			WA,
			{ webhook_url: PRODUCTION, webhook_events: ['message.received'], webhook_secret: SECRET },
			{ webhook_secret: SECRET },
		);
		expect(await create.call(ctx)).toBe(true);
		expect(patch.isDone()).toBe(true);
		expect(store).toStrictEqual({ [REGISTRATION_FIELD]: productionRecord() });
		expect(JSON.stringify(store)).not.toContain(SECRET);
		// A new record, then the channel before and after its PATCH: each a write n8n notices.
		expect(changes).toEqual(Array(3).fill(`set ${REGISTRATION_FIELD}`));
	});

	it('records the events Fiwano kept (it drops those the channel type lacks), and is content with them next time', async () => {
		const store: IDataObject = {};
		const parameters = {
			autoSetup: 'channel',
			channelId: WA,
			events: ['message.sent', 'message.received'],
		};
		const { ctx } = hook({ store, parameters });
		const both = ['message.received', 'message.sent'];
		expectPatch(
			WA,
			{ webhook_url: PRODUCTION, webhook_events: both, webhook_secret: SECRET },
			{ webhook_events: ['message.received'] },
		);
		await create.call(ctx);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(
			productionRecord({
				events: both,
				channels: { [WA]: { fp: FP, events: ['message.received'] } },
			}),
		);

		expectGet(WA, wiredChannel());
		expect(await checkExists.call(hook({ store, parameters }).ctx)).toBe(true);
	});

	it('records the events it asked for when Fiwano’s answer has none', async () => {
		const store: IDataObject = {};
		const { ctx } = hook({ store });
		const patch = api()
			.patch(`/api/v1/channels/${WA}`, {
				webhook_url: PRODUCTION,
				webhook_events: ['message.received'],
				webhook_secret: SECRET,
			})
			.reply(204);
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(productionRecord());
	});

	it('records the channel before its PATCH, so a failed wiring can still be undone', async () => {
		const store: IDataObject = {};
		const { ctx } = hook({ store });
		const patch = refusePatch(
			WA,
			{
				webhook_url: PRODUCTION,
				webhook_events: ['message.received'],
				webhook_secret: SECRET,
			},
			422,
			'webhook_url must be https',
		);
		await expect(create.call(ctx)).rejects.toThrow('Fiwano 422: webhook_url must be https');
		expect(patch.isDone()).toBe(true);
		expect(store).toStrictEqual({ [REGISTRATION_FIELD]: productionRecord() });
	});

	it('derives its secret from an empty workflow ID when the workflow has none', async () => {
		const store: IDataObject = {};
		const { ctx } = hook({ store, workflowId: undefined });
		const secret = derivedSecret('');
		const patch = expectPatch(WA, {
			webhook_url: PRODUCTION,
			webhook_events: ['message.received'],
			webhook_secret: secret,
		});
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(
			productionRecord({
				channels: { [WA]: { fp: fingerprint(secret), events: ['message.received'] } },
			}),
		);
	});

	it('escapes the channel ID in the path', async () => {
		const id = 'wa/1 2?';
		const { ctx } = hook({
			parameters: { autoSetup: 'channel', channelId: id, events: ['message.received'] },
		});
		const patch = api()
			.patch('/api/v1/channels/wa%2F1%202%3F', {
				webhook_url: PRODUCTION,
				webhook_events: ['message.received'],
				webhook_secret: SECRET,
			})
			.reply(200, {});
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
	});
});

describe('create, All Active Channels in production', () => {
	const body = {
		webhook_url: PRODUCTION,
		webhook_events: ['message.received'],
		webhook_secret: SECRET,
	};
	const entry = { fp: FP, events: ['message.received'] };

	it('wires the free, own and already wired channels it wants, leaves foreign ones alone, and says which', async () => {
		const store: IDataObject = {};
		const { ctx, warn, error } = hook({ store, parameters: allChannels() });
		const list = expectList([
			channel(WA, { name: 'Shop WhatsApp', phone_number: '+15550001' }),
			wiredChannel(IG, { channel_type: 'instagram', webhook_url: TEST, ig_username: 'shop' }),
			channel(FB, { channel_type: 'facebook', name: 'Shop Page', webhook_url: FOREIGN }),
			channel('d4', { name: '', webhook_url: 'not a URL/webhook' }),
			channel('d5', { is_active: false }),
			wiredChannel('d6'),
		]);
		const patches = [WA, IG, 'd6'].map((id) => expectPatch(id, body));
		expect(await create.call(ctx)).toBe(true);
		expect(list.isDone() && patches.every((patch) => patch.isDone())).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(
			productionRecord({ channels: { [WA]: entry, [IG]: entry, d6: entry } }),
		);
		expect(warn.mock.calls).toEqual([
			[
				`Fiwano Trigger "Fiwano Trigger" (workflow ${WORKFLOW_ID}) left 2 channel(s) alone because they send their events to another URL: Shop Page — Messenger (${FB}) → https://crm.example.org; d4 — WhatsApp (d4) → another URL`,
			],
		]);
		expect(error).not.toHaveBeenCalled();
	});

	it('wires only channels of the chosen Channel Types', async () => {
		const store: IDataObject = {};
		const { ctx, error } = hook({
			store,
			parameters: allChannels({ options: { channelTypes: ['instagram'] } }),
		});
		expectList([channel(WA), channel(IG, { channel_type: 'instagram' })]);
		const patch = expectPatch(IG, body);
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(
			productionRecord({ channels: { [IG]: entry } }),
		);
		expect(error).not.toHaveBeenCalled();
	});

	it.each([
		['inactive', { channels: [channel(WA, { is_active: false })] }],
		['missing from the answer', {}],
		['an empty answer', undefined],
	])('fails when there is no active channel (%s)', async (_name, answer) => {
		const store: IDataObject = {};
		const { ctx } = hook({ store, parameters: allChannels() });
		const list = api()
			.get('/api/v1/channels')
			.reply(answer === undefined ? 204 : 200, answer);
		await expect(create.call(ctx)).rejects.toMatchObject({
			message: 'No active Fiwano channel to wire',
			description:
				'Connect a channel in the Fiwano portal first, or switch Webhook Setup to Manual.',
		});
		expect(list.isDone()).toBe(true);
		expect(store[REGISTRATION_FIELD]).toStrictEqual(productionRecord({ channels: {} }));
	});

	it('names the chosen Channel Types when none of them has an active channel', async () => {
		const { ctx } = hook({
			parameters: allChannels({ options: { channelTypes: ['facebook', 'instagram'] } }),
		});
		expectList([channel(WA)]);
		await expect(create.call(ctx)).rejects.toThrow(
			/^No active Fiwano channel of the chosen Channel Types \(facebook, instagram\) to wire$/,
		);
	});

	it('fails, naming them, when every active channel sends elsewhere', async () => {
		const { ctx, warn } = hook({ parameters: allChannels() });
		expectList([
			channel(FB, { channel_type: 'facebook', name: 'Shop Page', webhook_url: FOREIGN }),
			channel('d4', { name: '', webhook_url: 'not a URL/webhook' }),
		]);
		await expect(create.call(ctx)).rejects.toMatchObject({
			message: `Nothing to wire: every active channel already sends its events to another URL (Shop Page — Messenger (${FB}) → https://crm.example.org; d4 — WhatsApp (d4) → another URL)`,
			description:
				'Channels wired elsewhere are left alone. Clear the webhook of a channel in the Fiwano portal, or switch Webhook Setup to One Channel to take a channel over.',
		});
		expect(warn).not.toHaveBeenCalled();
	});

	it('keeps the channels it could wire when one PATCH fails, and logs the failure', async () => {
		const { ctx, warn, error } = hook({ parameters: allChannels() });
		expectList([
			channel(WA, { name: 'Shop WhatsApp' }),
			channel(IG, { channel_type: 'instagram' }),
		]);
		const failing = refusePatch(WA, body, 422, 'webhook_url must be https');
		const ok = expectPatch(IG, body);
		expect(await create.call(ctx)).toBe(true);
		expect(failing.isDone() && ok.isDone()).toBe(true);
		expect(error.mock.calls).toEqual([
			[
				`Fiwano Trigger "Fiwano Trigger" (workflow ${WORKFLOW_ID}) could not wire channel Shop WhatsApp — WhatsApp (${WA}): Fiwano 422: webhook_url must be https`,
			],
		]);
		expect(warn).not.toHaveBeenCalled();
	});

	it('fails with the first error when no channel could be wired', async () => {
		const { ctx } = hook({ parameters: allChannels() });
		expectList([
			channel(WA),
			channel(FB, { webhook_url: FOREIGN }),
			channel(IG, { channel_type: 'instagram' }),
		]);
		refusePatch(WA, body, 422, 'first');
		refusePatch(IG, body, 400, 'second');
		await expect(create.call(ctx)).rejects.toThrow('Fiwano 422: first');
	});

	it('takes back a channel on the production URL it recorded before n8n moved to another address', async () => {
		const old = `https://old-n8n.example.net/webhook/${WEBHOOK_ID}/webhook`;
		const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord({ url: old }) };
		const { ctx, warn } = hook({ store, parameters: allChannels() });
		expectList([wiredChannel(WA, { webhook_url: old })]);
		const patch = expectPatch(WA, body);
		expect(await create.call(ctx)).toBe(true);
		expect(patch.isDone()).toBe(true);
		expect(warn).not.toHaveBeenCalled();
	});

	it('does not take a channel on another host because a test listen recorded its URL', async () => {
		const old = `https://old-n8n.example.net/webhook/${WEBHOOK_ID}/webhook`;
		const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord({ url: old, test: true }) };
		const { ctx } = hook({ store, parameters: allChannels() });
		expectList([wiredChannel(WA, { webhook_url: old })]);
		await expect(create.call(ctx)).rejects.toThrow(/^Nothing to wire/);
	});

	it('takes a channel on this node’s path whatever the case of the host', async () => {
		const { ctx } = hook({ parameters: allChannels() });
		expectList([
			wiredChannel(WA, {
				webhook_url: `HTTPS://N8N.Example.COM/webhook-test/${WEBHOOK_ID}/webhook`,
			}),
		]);
		const patch = expectPatch(WA, body);
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
	});

	it('never counts a URL without scheme and host as this node’s', async () => {
		const url = `n8n.local/webhook/${WEBHOOK_ID}/webhook`;
		const { ctx } = hook({ url, parameters: allChannels() });
		expectList([
			wiredChannel(WA, { webhook_url: `elsewhere/webhook/${WEBHOOK_ID}/webhook` }),
			wiredChannel(IG, { webhook_url: `https://elsewhere.example/webhook/${WEBHOOK_ID}/webhook` }),
		]);
		await expect(create.call(ctx)).rejects.toThrow(/^Nothing to wire/);
	});

	it('knows its path from the workflow and node name when the node has no webhook ID', async () => {
		const own = `${N8N}/webhook-test/${WORKFLOW_ID}/fiwano%20trigger/webhook`;
		const url = `${N8N}/webhook/${WORKFLOW_ID}/fiwano%20trigger/webhook`;
		const { ctx, warn, error } = hook({
			url,
			parameters: allChannels(),
			node: { webhookId: undefined },
		});
		expectList([
			wiredChannel(WA, { webhook_url: own }),
			wiredChannel(IG, { webhook_url: `${N8N}/webhook-test/other/fiwano%20trigger/webhook` }),
		]);
		const patch = expectPatch(WA, { ...body, webhook_url: url });
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(error).not.toHaveBeenCalled();
	});

	it('knows its path without a webhook ID and without a workflow ID', async () => {
		const url = `${N8N}/webhook//fiwano%20trigger/webhook`;
		const { ctx } = hook({
			url,
			parameters: allChannels(),
			node: { webhookId: undefined },
			workflowId: undefined,
		});
		expectList([
			wiredChannel(WA, { webhook_url: `${N8N}/webhook-test//fiwano%20trigger/webhook` }),
		]);
		const patch = expectPatch(WA, {
			webhook_url: url,
			webhook_events: ['message.received'],
			webhook_secret: derivedSecret(''),
		});
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
	});

	it('names a workflow without an ID as such in what it logs', async () => {
		const { ctx, warn, error } = hook({ parameters: allChannels(), workflowId: undefined });
		const secret = derivedSecret('');
		expectList([
			channel(WA),
			channel(FB, { name: 'Shop Page', webhook_url: FOREIGN }),
			channel(IG),
		]);
		refusePatch(WA, { ...body, webhook_secret: secret }, 422, 'webhook_url must be https');
		expectPatch(IG, { ...body, webhook_secret: secret });
		expect(await create.call(ctx)).toBe(true);
		expect(warn.mock.calls[0][0]).toMatch(/^Fiwano Trigger "Fiwano Trigger" \(workflow \) left 1 /);
		expect(error.mock.calls[0][0]).toMatch(
			/^Fiwano Trigger "Fiwano Trigger" \(workflow \) could not wire channel /,
		);

		const deletion = hook({ as: 'delete', url: undefined, workflowId: undefined });
		expect(await remove.call(deletion.ctx)).toBe(false);
		expect(deletion.error.mock.calls[0][0]).toMatch(
			/^Fiwano Trigger "Fiwano Trigger" \(workflow \) could not work out its webhook URL/,
		);
	});
});

describe('create, a test listen', () => {
	const testRecord = (channels: IDataObject, extra: IDataObject = {}): IDataObject => ({
		url: TEST,
		test: true,
		events: ['message.received'],
		channels,
		...extra,
	});

	it.each([
		[
			'a free channel: borrowed with the trigger’s secret, cleared afterwards',
			channel(WA),
			borrowed('', []),
			true,
			{ url: '', events: [] },
		],
		[
			'a free channel with events and a secret left over: the secret is still set',
			channel(WA, {
				has_webhook_secret: true,
				webhook_events: ['message.read', 'message.sent'],
			}),
			borrowed('', ['message.read', 'message.sent']),
			true,
			{ url: '', events: ['message.read', 'message.sent'] },
		],
		[
			'a channel on the production URL: its secret is kept, its URL and events go back',
			wiredChannel(WA, { webhook_events: ['message.read', 'message.received'] }),
			borrowed(PRODUCTION, ['message.read', 'message.received']),
			false,
			{ url: PRODUCTION, events: ['message.read', 'message.received'] },
		],
		[
			'a channel on the production URL without a secret: it gets the trigger’s',
			wiredChannel(WA, { has_webhook_secret: false }),
			borrowed(PRODUCTION, ['message.received']),
			true,
			{ url: PRODUCTION, events: ['message.received'] },
		],
		[
			'a channel on the production URL that lists no events: it goes back without events',
			wiredChannel(WA, { webhook_events: null }),
			borrowed(PRODUCTION, []),
			false,
			{ url: PRODUCTION, events: [] },
		],
		[
			'a channel an earlier listen borrowed: it goes back as that listen said',
			wiredChannel(WA, { webhook_url: borrowed(PRODUCTION, ['message.received']) }),
			borrowed(PRODUCTION, ['message.received']),
			false,
			{ url: PRODUCTION, events: ['message.received'] },
		],
		[
			'a channel left on the plain test URL: cleared afterwards',
			wiredChannel(WA, { webhook_url: TEST }),
			borrowed('', []),
			true,
			{ url: '', events: [] },
		],
		[
			'a channel on another URL of this node with characters a query escapes',
			wiredChannel(WA, { webhook_url: `${N8N}/n8n+1/webhook/${WEBHOOK_ID}/webhook` }),
			borrowed(`${N8N}/n8n%2B1/webhook/${WEBHOOK_ID}/webhook`, ['message.received']),
			false,
			{ url: `${N8N}/n8n+1/webhook/${WEBHOOK_ID}/webhook`, events: ['message.received'] },
		],
	] as Array<[string, IDataObject, string, boolean, IDataObject]>)(
		'One Channel, %s',
		async (_name, current, url, sendsSecret, previous) => {
			const store: IDataObject = {};
			const { ctx } = hook({ as: 'test', store });
			const get = expectGet(WA, current);
			const patch = expectPatch(WA, {
				webhook_url: url,
				webhook_events: ['message.received'],
				...(sendsSecret ? { webhook_secret: SECRET } : {}),
			});
			expect(await create.call(ctx)).toBe(true);
			expect(get.isDone() && patch.isDone()).toBe(true);
			expect(store).toStrictEqual({
				[REGISTRATION_FIELD]: testRecord({
					[WA]: { fp: FP, events: ['message.received'], previous },
				}),
			});
		},
	);

	it('One Channel, hands a channel on the production URL recorded before n8n moved back to that URL', async () => {
		const old = `https://old-n8n.example.net/webhook/${WEBHOOK_ID}/webhook`;
		const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord({ url: old }) };
		const { ctx } = hook({ as: 'test', store });
		expectGet(WA, wiredChannel(WA, { webhook_url: old }));
		const patch = expectPatch(WA, {
			webhook_url: borrowed(old, ['message.received']),
			webhook_events: ['message.received'],
		});
		await create.call(ctx);
		expect(patch.isDone()).toBe(true);
		expect(store).toStrictEqual({
			[REGISTRATION_FIELD]: testRecord({
				[WA]: {
					fp: FP,
					events: ['message.received'],
					previous: { url: old, events: ['message.received'] },
				},
			}),
		});
	});

	it.each([
		['another URL', FOREIGN, 'https://crm.example.org'],
		[
			'a copy of this workflow on another n8n',
			`https://staging.example.org/webhook/${WEBHOOK_ID}/webhook`,
			'https://staging.example.org',
		],
		['something that is not a URL', 'not a URL', 'another URL'],
	])('One Channel, refuses a channel on %s and changes nothing', async (_name, url, origin) => {
		const store: IDataObject = {};
		const { ctx } = hook({ as: 'test', store });
		const get = expectGet(
			WA,
			wiredChannel(WA, { name: 'Shop WhatsApp', phone_number: '+15550001', webhook_url: url }),
		);
		await expect(create.call(ctx)).rejects.toMatchObject({
			message: `Channel Shop WhatsApp — WhatsApp +15550001 (${WA}) sends its events to ${origin}, not to this workflow, so it was not used for a test`,
			description:
				'A test listen would have to replace that webhook and its secret, and Fiwano never shows a secret again, so they could not be put back afterwards. To test with this channel: activate this workflow once (the channel then belongs to it, and test listens borrow it and hand it back), or clear the channel’s webhook in the Fiwano portal, or switch Webhook Setup to Manual and send a test delivery to the test URL yourself.',
		});
		expect(get.isDone()).toBe(true);
		expect(store).toStrictEqual({ [REGISTRATION_FIELD]: testRecord({}) });
	});

	it('One Channel, escapes the channel ID in the paths', async () => {
		const id = 'wa/1 2?';
		const { ctx } = hook({
			as: 'test',
			parameters: { autoSetup: 'channel', channelId: id, events: ['message.received'] },
		});
		const get = api().get('/api/v1/channels/wa%2F1%202%3F').reply(200, channel(id));
		const patch = api()
			.patch('/api/v1/channels/wa%2F1%202%3F', {
				webhook_url: borrowed('', []),
				webhook_events: ['message.received'],
				webhook_secret: SECRET,
			})
			.reply(200, {});
		await create.call(ctx);
		expect(get.isDone() && patch.isDone()).toBe(true);
	});

	describe('a hand-back longer than Fiwano’s 500 characters', () => {
		// The test URL and a production URL of this node whose borrowed URL is `extra` + 500 long.
		function urls(extra: number) {
			const test = `${N8N}/${'t'.repeat(100)}/webhook-test/${WEBHOOK_ID}/webhook`;
			const fixed = borrowed(`${N8N}//webhook/${WEBHOOK_ID}/webhook`, ['message.received'], test);
			const production = `${N8N}/${'p'.repeat(500 + extra - fixed.length)}/webhook/${WEBHOOK_ID}/webhook`;
			return { test, production, marked: borrowed(production, ['message.received'], test) };
		}

		it.each([
			['exactly 500 characters: borrowed URL', 0, true],
			['501 characters: the plain test URL', 1, false],
		])('%s', async (_name, extra, fits) => {
			const { test, production, marked } = urls(extra);
			expect(marked).toHaveLength(500 + extra);
			const { ctx } = hook({ as: 'test', url: test });
			expectGet(WA, wiredChannel(WA, { webhook_url: production }));
			const patch = expectPatch(WA, {
				webhook_url: fits ? marked : test,
				webhook_events: ['message.received'],
			});
			await create.call(ctx);
			expect(patch.isDone()).toBe(true);
		});
	});

	it('All Active Channels: borrows own and free channels, skips foreign ones', async () => {
		const store: IDataObject = {};
		const { ctx, warn } = hook({ as: 'test', store, parameters: allChannels() });
		expectList([
			wiredChannel(WA),
			channel(IG, { channel_type: 'instagram' }),
			channel(FB, { channel_type: 'facebook', name: 'Shop Page', webhook_url: FOREIGN }),
		]);
		const borrowWa = expectPatch(WA, {
			webhook_url: borrowed(PRODUCTION, ['message.received']),
			webhook_events: ['message.received'],
		});
		const borrowIg = expectPatch(IG, {
			webhook_url: borrowed('', []),
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		expect(await create.call(ctx)).toBe(true);
		expect(borrowWa.isDone() && borrowIg.isDone()).toBe(true);
		expect(store).toStrictEqual({
			[REGISTRATION_FIELD]: testRecord({
				[WA]: {
					fp: FP,
					events: ['message.received'],
					previous: { url: PRODUCTION, events: ['message.received'] },
				},
				[IG]: { fp: FP, events: ['message.received'], previous: { url: '', events: [] } },
			}),
		});
		expect(warn).toHaveBeenCalledTimes(1);
	});
});

describe('delete', () => {
	const logged = (what: string) =>
		`Fiwano Trigger "Fiwano Trigger" (workflow ${WORKFLOW_ID}) ${what}. Check the channel's webhook in the Fiwano portal.`;
	const clear = { webhook_url: '', webhook_events: [] };

	describe('after production', () => {
		it('clears the channel that still sends to this trigger and forgets the record', async () => {
			const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord() };
			const { ctx, changes, error } = hook({ as: 'delete', store });
			const get = expectGet(WA, wiredChannel());
			// No secret: the channel keeps the one its receiver verifies with.
			const patch = expectPatch(WA, clear);
			expect(await remove.call(ctx)).toBe(true);
			expect(get.isDone() && patch.isDone()).toBe(true);
			expect(store).toStrictEqual({});
			expect(changes).toEqual([`delete ${REGISTRATION_FIELD}`]);
			expect(error).not.toHaveBeenCalled();
		});

		it('leaves a channel that another receiver took over, and writes nothing when nothing was recorded', async () => {
			const { ctx, changes } = hook({ as: 'delete' });
			const get = expectGet(WA, wiredChannel(WA, { webhook_url: FOREIGN }));
			expect(await remove.call(ctx)).toBe(true);
			expect(get.isDone()).toBe(true);
			expect(changes).toEqual([]);
		});

		it('sends nothing in One Channel setup with no channel chosen', async () => {
			const { ctx } = hook({
				as: 'delete',
				parameters: { autoSetup: 'channel', channelId: '', events: [] },
			});
			expect(await remove.call(ctx)).toBe(true);
		});

		it('All Active Channels: clears every channel on this URL, inactive ones too, and only those', async () => {
			const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord() };
			const { ctx } = hook({ as: 'delete', store, parameters: allChannels() });
			const list = expectList([
				wiredChannel(WA),
				wiredChannel(IG, { webhook_url: FOREIGN }),
				wiredChannel(FB, { is_active: false }),
				wiredChannel('d4', { webhook_url: TEST }),
				wiredChannel('d5', { webhook_url: `${PRODUCTION}?fiwano_restore=x` }),
			]);
			const patches = [WA, FB, 'd5'].map((id) => expectPatch(id, clear));
			expect(await remove.call(ctx)).toBe(true);
			expect(list.isDone() && patches.every((patch) => patch.isDone())).toBe(true);
		});

		it('logs a channel it could not clear, goes on with the others, and says it failed', async () => {
			const { ctx, error } = hook({ as: 'delete', parameters: allChannels() });
			expectList([wiredChannel(WA, { name: 'Shop WhatsApp' }), wiredChannel(IG)]);
			const failing = api()
				.patch(`/api/v1/channels/${WA}`, clear)
				.reply(400, { detail: 'Channel is inactive' });
			const ok = expectPatch(IG, clear);
			expect(await remove.call(ctx)).toBe(false);
			expect(failing.isDone() && ok.isDone()).toBe(true);
			expect(error.mock.calls).toEqual([
				[
					logged(
						`could not clear the webhook of channel Shop WhatsApp — WhatsApp (${WA}): Fiwano 400: Channel is inactive`,
					),
				],
			]);
		});

		it('logs a channel it could not read instead of throwing', async () => {
			const { ctx, error } = hook({ as: 'delete' });
			const get = api().get(`/api/v1/channels/${WA}`).reply(404, { detail: 'Channel not found' });
			expect(await remove.call(ctx)).toBe(false);
			expect(get.isDone()).toBe(true);
			expect(error.mock.calls).toEqual([
				[logged('could not clear its channel webhooks: Fiwano 404: Channel not found')],
			]);
		});

		it('logs what it could not do without a webhook URL, and still forgets the record', async () => {
			const store: IDataObject = { [REGISTRATION_FIELD]: productionRecord() };
			const { ctx, error } = hook({ as: 'delete', url: undefined, store });
			expect(await remove.call(ctx)).toBe(false);
			expect(store).toStrictEqual({});
			expect(error.mock.calls).toEqual([
				[logged('could not work out its webhook URL, so no channel was cleared')],
			]);
		});

		it('logs what n8n threw when it is not an Error', async () => {
			const { ctx, error } = hook({ as: 'delete' });
			ctx.getNodeWebhookUrl = () => {
				throw 'n8n is shutting down';
			};
			expect(await remove.call(ctx)).toBe(false);
			expect(error.mock.calls).toEqual([
				[logged('could not clear its channel webhooks: n8n is shutting down')],
			]);
		});

		it('clears the channels of All Active Channels, not the recorded ones, though the record is on this URL', async () => {
			const store: IDataObject = {
				[REGISTRATION_FIELD]: productionRecord({
					channels: { [IG]: { fp: FP, events: ['message.received'] } },
				}),
			};
			const { ctx } = hook({ as: 'delete', store, parameters: allChannels() });
			expectList([wiredChannel(WA), channel(IG)]);
			const patch = expectPatch(WA, clear);
			expect(await remove.call(ctx)).toBe(true);
			expect(patch.isDone()).toBe(true);
		});
	});

	describe('after a test listen', () => {
		const borrowedFrom = (previous?: IDataObject, events = ['message.received']) => ({
			fp: FP,
			events,
			...(previous ? { previous } : {}),
		});

		it('puts back what each borrowed channel had, if it is still on the test URL', async () => {
			const store: IDataObject = {
				[REGISTRATION_FIELD]: {
					url: TEST,
					test: true,
					events: ['message.received'],
					channels: {
						[WA]: borrowedFrom({ url: PRODUCTION, events: ['message.read', 'message.received'] }),
						[IG]: borrowedFrom(),
						[FB]: borrowedFrom({ url: PRODUCTION, events: ['message.received'] }),
					},
				},
			};
			const { ctx, changes } = hook({ as: 'delete', url: TEST, store, parameters: allChannels() });
			const gets = [
				expectGet(
					WA,
					wiredChannel(WA, { webhook_url: borrowed(PRODUCTION, ['message.received']) }),
				),
				expectGet(IG, wiredChannel(IG, { webhook_url: TEST })),
				// Production took this one back during the test.
				expectGet(FB, wiredChannel(FB)),
			];
			const restore = expectPatch(WA, {
				webhook_url: PRODUCTION,
				webhook_events: ['message.read', 'message.received'],
			});
			const clearIg = expectPatch(IG, clear);
			expect(await remove.call(ctx)).toBe(true);
			expect(gets.every((get) => get.isDone()) && restore.isDone() && clearIg.isDone()).toBe(true);
			expect(store).toStrictEqual({});
			expect(changes).toEqual([`delete ${REGISTRATION_FIELD}`]);
		});

		it('logs a channel it could not put back and goes on with the others', async () => {
			const store: IDataObject = {
				[REGISTRATION_FIELD]: {
					url: TEST,
					test: true,
					events: ['message.received'],
					channels: { [WA]: borrowedFrom(), [IG]: borrowedFrom() },
				},
			};
			const { ctx, error } = hook({ as: 'delete', url: TEST, store });
			api().get(`/api/v1/channels/${WA}`).reply(404, { detail: 'Channel not found' });
			expectGet(IG, wiredChannel(IG, { webhook_url: TEST }));
			const clearIg = expectPatch(IG, clear);
			expect(await remove.call(ctx)).toBe(false);
			expect(clearIg.isDone()).toBe(true);
			expect(error.mock.calls).toEqual([
				[
					logged(
						`could not put back the webhook of channel ${WA} after the test: Fiwano 404: Channel not found`,
					),
				],
			]);
		});

		it('clears by the channel, not by a test record of another URL', async () => {
			const store: IDataObject = {
				[REGISTRATION_FIELD]: {
					url: `${N8N}/old-webhook-test/${WEBHOOK_ID}/webhook`,
					test: true,
					events: ['message.received'],
					channels: { [WA]: borrowedFrom({ url: PRODUCTION, events: ['message.received'] }) },
				},
			};
			const { ctx } = hook({ as: 'delete', url: TEST, store });
			expectGet(WA, wiredChannel(WA, { webhook_url: TEST }));
			const patch = expectPatch(WA, clear);
			expect(await remove.call(ctx)).toBe(true);
			expect(patch.isDone()).toBe(true);
		});

		it('escapes the channel ID in the paths', async () => {
			const id = 'wa/1 2?';
			const store: IDataObject = {
				[REGISTRATION_FIELD]: {
					url: TEST,
					test: true,
					events: ['message.received'],
					channels: { [id]: borrowedFrom() },
				},
			};
			const { ctx } = hook({ as: 'delete', url: TEST, store });
			const get = api()
				.get('/api/v1/channels/wa%2F1%202%3F')
				.reply(200, wiredChannel(id, { webhook_url: TEST }));
			const patch = api().patch('/api/v1/channels/wa%2F1%202%3F', clear).reply(200, {});
			expect(await remove.call(ctx)).toBe(true);
			expect(get.isDone() && patch.isDone()).toBe(true);
		});
	});

	describe('of a test listen whose record n8n lost: the borrowed URL says what goes back', () => {
		const remoteOwn = `${N8N}/n8n+1/webhook/${WEBHOOK_ID}/webhook`;
		it.each([
			[
				'the production URL and its events',
				borrowed(PRODUCTION, ['message.read', 'message.received']),
				{ webhook_url: PRODUCTION, webhook_events: ['message.read', 'message.received'] },
			],
			[
				'a fully escaped URL of this node',
				`${TEST}?fiwano_restore=${encodeURIComponent(remoteOwn)}&fiwano_events=message.received`,
				{ webhook_url: remoteOwn, webhook_events: ['message.received'] },
			],
			[
				'no URL but events',
				borrowed('', ['message.read']),
				{ webhook_url: '', webhook_events: ['message.read'] },
			],
			[
				'its values among parts it ignores, and only events of the right shape',
				`${TEST}?=%E0&junk&fiwano_restore=${PRODUCTION}&fiwano_events=message.received,Message.Read,message.,1message.read,message.read!,message,x.y_z.w,&more=1`,
				{ webhook_url: PRODUCTION, webhook_events: ['message.received', 'x.y_z.w'] },
			],
			[
				'another host: cleared instead',
				borrowed(`https://evil.example.net/webhook/${WEBHOOK_ID}/webhook`, ['message.received']),
				clear,
			],
			[
				'another workflow: cleared instead',
				borrowed(`${N8N}/webhook/aaaaaaaa-1111-4222-8333-444444444444/webhook`, [
					'message.received',
				]),
				clear,
			],
			['the test URL itself: cleared instead', borrowed(TEST, ['message.received']), clear],
			[
				'a broken escape: cleared instead',
				`${TEST}?fiwano_restore=${PRODUCTION}%E0&fiwano_events=message.received`,
				clear,
			],
			[
				'a broken escape in another value: cleared instead',
				`${TEST}?fiwano_restore=${PRODUCTION}&fiwano_events=message.received&x=%E0`,
				clear,
			],
			['no events: cleared instead', `${TEST}?fiwano_restore=${PRODUCTION}`, clear],
			['no URL: cleared instead', `${TEST}?fiwano_events=message.received`, clear],
		])('%s', async (_name, current, body) => {
			const { ctx } = hook({ as: 'delete', url: TEST });
			expectGet(WA, wiredChannel(WA, { webhook_url: current }));
			const patch = expectPatch(WA, body);
			expect(await remove.call(ctx)).toBe(true);
			expect(patch.isDone()).toBe(true);
		});
	});
});
