import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	IRun,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';

import { Fiwano } from '../../nodes/Fiwano/Fiwano.node';
import type { WorkflowJson } from './harness';
import { additionalData, fiwanoCredentials, makeWorkflow } from './harness';

/**
 * A Send and Wait execution after it paused: a request to its waiting webhook the way n8n's
 * WaitingWebhooks hands it to the node (after checking the link's signature), and the timeout
 * the way WaitTracker resumes it (the same run data, processed again).
 */

const nodeType = new Fiwano();

/** The part of express's response the node writes, recording what was sent. */
export class PageResponse {
	statusCode = 200;

	body: unknown = undefined;

	headers: Record<string, string> = {};

	headersSent = false;

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}

	send(body: unknown): this {
		this.body = body;
		this.headersSent = true;
		return this;
	}

	json(body: unknown): this {
		return this.send(body);
	}
}

export interface WaitingRequest {
	method: 'GET' | 'POST';
	/** The resume link the node sent; its query (c, r, signature) reaches the node. */
	url: string;
	/** A parsed body (JSON or form) and the exact raw bytes, as n8n's body parser leaves them. */
	body?: IDataObject;
	rawBody?: string;
	headers?: Record<string, string>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

export interface WaitingAnswer {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	result: IWebhookResponseData;
	/** Whether the execution would resume (the node returned workflow data). */
	resumed: boolean;
}

function waitingNode(json: WorkflowJson, run: IRun): INode {
	const name = run.data.resultData.lastNodeExecuted;
	const node = json.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`the execution does not wait in a known node (${String(name)})`);
	return node;
}

export async function requestWaiting(
	json: WorkflowJson,
	run: IRun,
	request: WaitingRequest,
): Promise<WaitingAnswer> {
	const workflow = makeWorkflow(json, true);
	const node = waitingNode(json, run);
	const url = new URL(request.url);
	const raw = request.rawBody ?? (request.body ? JSON.stringify(request.body) : '');
	const headers: Record<string, string> = {
		'user-agent': 'Mozilla/5.0',
		...(request.body ? { 'content-type': 'application/json' } : {}),
		...(request.headers ?? {}),
	};
	const response = new PageResponse();
	const data = additionalData({ credentials: request.credentials ?? fiwanoCredentials() });
	data.httpRequest = {
		method: request.method,
		headers,
		body: request.body ?? {},
		query: Object.fromEntries(url.searchParams),
		params: {},
		rawBody: Buffer.from(raw),
		readRawBody: async () => {},
	} as unknown as IWebhookData['workflowExecuteAdditionalData']['httpRequest'];
	data.httpResponse =
		response as unknown as IWebhookData['workflowExecuteAdditionalData']['httpResponse'];
	const description = nodeType.description.webhooks?.find((w) => w.httpMethod === request.method);
	if (!description) throw new Error(`no waiting webhook for ${request.method}`);
	const webhookData: IWebhookData = {
		httpMethod: request.method,
		node: node.name,
		path: node.id,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: data,
		webhookId: undefined,
		isTest: false,
	};
	const ctx = new WebhookContext(workflow, node, data, 'webhook', webhookData, [], run.data);
	const result = await nodeType.webhook.call(ctx);
	return {
		status: response.statusCode,
		body: response.body,
		headers: response.headers,
		result,
		resumed: Array.isArray(result.workflowData) && result.workflowData.length > 0,
	};
}

/** Runs the paused execution on, as n8n's WaitTracker does when the wait time is over. */
export async function resumeAfterTimeout(json: WorkflowJson, run: IRun): Promise<IRun> {
	const workflow = makeWorkflow(json);
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: workflow.id,
		name: workflow.name,
	} as never);
	let resolveRun: (finished: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (result) => resolveRun(result));
	const execute = new WorkflowExecute(additionalData({ hooks }), 'manual', run.data);
	await execute.processRunExecutionData(workflow);
	return await finished;
}
