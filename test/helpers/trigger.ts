import { createHmac } from 'crypto';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	IWebhookData,
	IWebhookResponseData,
	Workflow,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { FiwanoTrigger } from '../../nodes/Fiwano/FiwanoTrigger.node';
import { forgetProcessMemory } from '../../nodes/Fiwano/trigger/dedupe';
import { forgetReusedCredentials } from '../../nodes/Fiwano/trigger/secret';
import { additionalData, fiwanoCredentials, makeWorkflow, TRIGGER_TYPE } from './harness';

/**
 * The Fiwano Trigger through n8n-core's real HookContext and WebhookContext, wired the way
 * n8n 2.41 wires them (webhook.service.js, active-workflow-manager.js, test-webhooks.js):
 * - activation: checkExists, then create if needed, with mode 'trigger' and an activation mode;
 * - a test listen: the same with mode 'manual' and activation 'manual', on the test URL, with a
 *   static data object of its own (n8n gives a test listen `staticData: {}`);
 * - deactivation and the end of a test listen: delete with mode 'internal', activation 'update';
 * - a request: the node's `webhook` with `additionalData.httpRequest` / `httpResponse` set.
 * URLs come from n8n's own getNodeWebhookUrl (webhookBaseUrl vs webhookTestBaseUrl, picked by
 * `webhookData.isTest`).
 */

export const WORKFLOW_ID = 'wf-fiwano-trigger';
export const WEBHOOK_ID = '3f1c2a9e-5b7d-4e21-9c3a-0d6b8e4f1a22';
export const PRODUCTION_BASE = 'https://n8n.example.com/webhook';
export const TEST_BASE = 'https://n8n.example.com/webhook-test';
export const PRODUCTION_URL = `${PRODUCTION_BASE}/${WEBHOOK_ID}/webhook`;
export const TEST_URL = `${TEST_BASE}/${WEBHOOK_ID}/webhook`;
export const TRIGGER_NODE_ID = 'fiwano-trigger-node';

const nodeType = new FiwanoTrigger();

// Every test starts as a freshly started n8n process: the trigger's per-process memory of
// deliveries and credentials is empty, and only what a test saved in static data is known.
beforeEach(() => {
	forgetProcessMemory();
	forgetReusedCredentials();
});

/** A Fiwano Trigger node as a saved workflow holds it. */
export function triggerNode(
	parameters: IDataObject,
	typeVersion = 2,
	extra: Partial<INode> = {},
): INode {
	return {
		id: TRIGGER_NODE_ID,
		name: 'Fiwano Trigger',
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INode['parameters'],
		credentials: { fiwanoApi: { id: '1', name: 'Fiwano account' } },
		...extra,
	};
}

/**
 * A workflow as the database holds it: the node and the static data. Each `load()` builds a
 * fresh n8n Workflow from a copy, the way every n8n process loads it per request; `save()`
 * stores the static data back if n8n would (it saves only when the data changed).
 */
export class SavedWorkflow {
	staticData: IDataObject = {};

	constructor(
		public node: INode,
		public id = WORKFLOW_ID,
	) {}

	load(): Workflow {
		return makeWorkflow(
			{
				id: this.id,
				nodes: [this.node],
				connections: {},
				staticData: JSON.parse(JSON.stringify(this.staticData)),
			},
			true,
		);
	}

	/**
	 * One production request the way n8n 2.41's LiveWebhooks and executeWebhook handle it: load
	 * the workflow, run the node's webhook, then
	 * - if the node answered itself (`noWebhookResponse`), n8n's response callback saves the static
	 *   data right away, before the execution starts;
	 * - starting an execution (WorkflowRunner.run → establishContextForPersistence) builds another
	 *   Workflow on the same static data object, which resets its change flag;
	 * - otherwise the response callback (and the save) comes after that.
	 */
	async receive(
		input: DeliveryInput,
		options: DeliverOptions & { loaded?: IDataObject } = {},
	): Promise<Delivery> {
		const staticData = JSON.parse(JSON.stringify(options.loaded ?? this.staticData)) as IDataObject;
		const workflow = makeWorkflow(
			{ id: this.id, nodes: [this.node], connections: {}, staticData },
			true,
		);
		const delivery = await deliver(workflow, input, options);
		if (delivery.result.noWebhookResponse === true) this.save(workflow);
		if (delivery.executed)
			makeWorkflow({ id: this.id, nodes: [this.node], connections: {}, staticData }, true);
		if (delivery.result.noWebhookResponse !== true) this.save(workflow);
		return delivery;
	}

	/** Activation the way n8n does it (checkExists, then create if needed), then saves the static data. */
	async activate(options: HookOptions = {}): Promise<{ existed: boolean }> {
		const workflow = this.load();
		const result = await activate(workflow, options);
		this.save(workflow);
		return result;
	}

	/**
	 * The static data as a request that starts now loads it. Pass it as `loaded` to a later
	 * `receive` to play requests that overlap: each saves the copy it loaded, whole.
	 */
	snapshot(): IDataObject {
		return JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	save(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true) {
			this.staticData = JSON.parse(JSON.stringify(workflow.staticData));
		}
	}

	/** The node's own static data (`node:<name>`), as saved. */
	nodeStatic(): IDataObject {
		return (this.staticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}
}

export interface HookOptions {
	/** A test listen (test URL, mode 'manual') instead of the production activation. */
	test?: boolean;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** n8n's activation mode for production create/checkExists; 'activate' by default. */
	activation?: WorkflowActivateMode;
	/** n8n's address (WEBHOOK_URL); production and test URLs are `<it>/webhook…` and `<it>/webhook-test…`. */
	n8nUrl?: string;
}

function webhookDataFor(
	workflow: Workflow,
	node: INode,
	test: boolean,
	options: HookOptions,
): IWebhookData {
	const description = workflow.nodeTypes.getByNameAndVersion(
		node.type,
		node.typeVersion,
	).description;
	const webhookDescription = description.webhooks?.[0];
	if (!webhookDescription) throw new Error('the trigger has no webhook description');
	return {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/webhook`,
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData({
			credentials: options.credentials ?? fiwanoCredentials(),
			...(options.n8nUrl
				? {
						webhookBaseUrl: `${options.n8nUrl}/webhook`,
						webhookTestBaseUrl: `${options.n8nUrl}/webhook-test`,
					}
				: {}),
		}),
		webhookId: undefined,
		isTest: test,
	};
}

function triggerOf(workflow: Workflow): INode {
	const node = Object.values(workflow.nodes).find((n) => n.type === TRIGGER_TYPE);
	if (!node) throw new Error('no Fiwano Trigger in the workflow');
	return node;
}

/** n8n-core's HookContext for one hook call, as n8n's WebhookService builds it. */
export function hookContext(
	workflow: Workflow,
	method: 'checkExists' | 'create' | 'delete',
	options: HookOptions = {},
): HookContext {
	const node = triggerOf(workflow);
	const test = options.test === true;
	const webhookData = webhookDataFor(workflow, node, test, options);
	let mode: WorkflowExecuteMode = test ? 'manual' : 'trigger';
	let activation: WorkflowActivateMode = test ? 'manual' : (options.activation ?? 'activate');
	if (method === 'delete') {
		mode = 'internal';
		activation = 'update';
	}
	return new HookContext(
		workflow,
		node,
		webhookData.workflowExecuteAdditionalData,
		mode,
		activation,
		webhookData,
	);
}

/** Runs one hook method of the trigger. */
export async function runHook(
	workflow: Workflow,
	method: 'checkExists' | 'create' | 'delete',
	options: HookOptions = {},
): Promise<boolean> {
	const fn = nodeType.webhookMethods.default[method];
	return await fn.call(hookContext(workflow, method, options));
}

/** n8n's createWebhookIfNotExists: checkExists, then create when it said false. */
export async function activate(
	workflow: Workflow,
	options: HookOptions = {},
): Promise<{ existed: boolean }> {
	const existed = await runHook(workflow, 'checkExists', options);
	if (!existed) await runHook(workflow, 'create', options);
	return { existed };
}

/** The logger n8n-core gives nodes (`this.logger`), for spying on what the trigger logs. */
export function n8nLogger(workflow: Workflow): HookContext['logger'] {
	return hookContext(workflow, 'checkExists').logger;
}

/** A real `sha256=<hex>` signature, the way Fiwano signs a delivery. */
export function sign(rawBody: string | Buffer, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** The part of express's response the trigger and n8n use, recording what was sent. */
export class FakeResponse {
	statusCode = 200;

	body: unknown = undefined;

	headersSent = false;

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	json(body: unknown): this {
		this.body = body;
		this.headersSent = true;
		return this;
	}

	send(body: unknown): this {
		return this.json(body);
	}
}

export interface DeliveryInput {
	/** The event object (serialised as Fiwano does) or the exact raw body. */
	body: IDataObject | string;
	/** Secret to sign with; the signature header is left out when neither this nor `signature` is given. */
	secret?: string;
	/** An exact X-Webhook-Signature value (overrides `secret`). */
	signature?: string;
	headers?: Record<string, string>;
	contentType?: string;
}

export interface DeliverOptions {
	test?: boolean;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Pass one in to look at what was answered while the node is still working. */
	response?: FakeResponse;
}

export interface Delivery {
	/** The HTTP status the sender saw. */
	status: number;
	/** What the sender got back. */
	body: unknown;
	/** Whether n8n would start an execution. */
	executed: boolean;
	/** The items the execution would start with. */
	items: INodeExecutionData[];
	result: IWebhookResponseData;
	response: FakeResponse;
}

/**
 * One request to the trigger through n8n-core's WebhookContext, answered the way n8n's
 * executeWebhook answers it: the node's own response if it wrote one, else `webhookResponse`
 * with 200, else (an execution started) 200 "Workflow was started".
 */
export async function deliver(
	workflow: Workflow,
	input: DeliveryInput,
	options: DeliverOptions = {},
): Promise<Delivery> {
	const node = triggerOf(workflow);
	const raw = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
	const headers: Record<string, string> = {
		'content-type': input.contentType ?? 'application/json',
		...(input.headers ?? {}),
	};
	const signature =
		input.signature ?? (input.secret !== undefined ? sign(raw, input.secret) : undefined);
	if (signature !== undefined) headers['x-webhook-signature'] = signature;
	// n8n reads and parses the body before the node runs for JSON (and, on typeVersion 1, for
	// every content type); otherwise `body` stays empty and `readRawBody()` reads the bytes.
	const parses = headers['content-type'].startsWith('application/json') || node.typeVersion === 1;
	let parsed: unknown = {};
	if (parses) {
		try {
			parsed = JSON.parse(raw);
		} catch {
			parsed = {};
		}
	}
	const request: { rawBody?: Buffer } & IDataObject = {
		method: 'POST',
		headers,
		body: parsed as IDataObject,
		params: {},
		query: {},
		contentType: headers['content-type'].split(';')[0],
	};
	if (parses) request.rawBody = Buffer.from(raw);
	request.readRawBody = async () => {
		request.rawBody = Buffer.from(raw);
	};
	const response = options.response ?? new FakeResponse();
	const data = additionalData({ credentials: options.credentials ?? fiwanoCredentials() });
	data.httpRequest = request;
	data.httpResponse = response;
	const test = options.test === true;
	const webhookData = webhookDataFor(workflow, node, test, options);
	const ctx = new WebhookContext(
		workflow,
		node,
		data,
		test ? 'manual' : 'webhook',
		webhookData,
		[],
		null,
	);
	const result = await nodeType.webhook.call(ctx);
	const executed = Array.isArray(result.workflowData) && result.workflowData.length > 0;
	let status = 200;
	let body: unknown;
	if (response.headersSent) {
		status = response.statusCode;
		body = response.body;
	} else if (result.webhookResponse !== undefined) {
		body = result.webhookResponse;
	} else if (executed) {
		body = { message: 'Workflow was started' };
	}
	return {
		status,
		body,
		executed,
		items: executed ? (result.workflowData?.[0] ?? []) : [],
		result,
		response,
	};
}
