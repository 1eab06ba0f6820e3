import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import nock from 'nock';

import { FiwanoApi } from '../../credentials/FiwanoApi.credentials';
import { Fiwano } from '../../nodes/Fiwano/Fiwano.node';
import { FiwanoMonitorTrigger } from '../../nodes/Fiwano/FiwanoMonitorTrigger.node';
import { FiwanoTrigger } from '../../nodes/Fiwano/FiwanoTrigger.node';
import { resetRateGates } from '../../nodes/Fiwano/transport/rateGate';
import { asAiTool } from './aiTool';
import { TEST_BASE_URL, TEST_CREDENTIAL_KEY } from './node';

export const BASE_URL = TEST_BASE_URL;
export const API_KEY = TEST_CREDENTIAL_KEY;
export const FIWANO_TYPE = 'n8n-nodes-fiwano.fiwano';
export const TRIGGER_TYPE = 'n8n-nodes-fiwano.fiwanoTrigger';
export const MONITOR_TYPE = 'n8n-nodes-fiwano.fiwanoMonitorTrigger';
/** The Fiwano Tool n8n generates for AI agents (see aiTool.ts). */
export const FIWANO_TOOL_TYPE = 'n8n-nodes-fiwano.fiwanoTool';

/** The package's node types, registered under the names n8n gives a community package. */
export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[FIWANO_TYPE]: new Fiwano(),
		[TRIGGER_TYPE]: new FiwanoTrigger(),
		[MONITOR_TYPE]: new FiwanoMonitorTrigger(),
		[FIWANO_TOOL_TYPE]: asAiTool(new Fiwano()),
	};

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

const credentialTypes: Record<string, ICredentialType> = { fiwanoApi: new FiwanoApi() };

/**
 * Credentials as n8n's CredentialsHelper hands them to nodes: decrypted data by type, and the
 * credential type's generic `authenticate` block applied with real expression resolution.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const auth = type?.authenticate;
		if (!auth || typeof auth === 'function') return requestOptions;
		const resolve = (value: string) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', {
				$credentials: credentials,
			}) as string;
		const result = { ...requestOptions };
		const headers = (auth.properties.headers ?? {}) as Record<string, string>;
		result.headers = { ...(result.headers ?? {}) };
		for (const [name, value] of Object.entries(headers)) result.headers[name] = resolve(value);
		return result;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	getCredentialsProperties() {
		return [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

export function fiwanoCredentials(
	overrides: IDataObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	return { fiwanoApi: { apiKey: API_KEY, webhookSecret: '', baseUrl: BASE_URL, ...overrides } };
}

export interface AdditionalDataOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	hooks?: ExecutionLifecycleHooks;
	webhookBaseUrl?: string;
	webhookTestBaseUrl?: string;
	extra?: Partial<IWorkflowExecuteAdditionalData>;
}

/** The additional data n8n passes to contexts: credentials, hooks, URLs. */
export function additionalData(
	options: AdditionalDataOptions = {},
): IWorkflowExecuteAdditionalData {
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? fiwanoCredentials()),
		hooks: options.hooks,
		executionId: '1',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: options.webhookBaseUrl ?? 'https://n8n.example.com/webhook',
		webhookWaitingBaseUrl: 'https://n8n.example.com/webhook-waiting',
		webhookTestBaseUrl: options.webhookTestBaseUrl ?? 'https://n8n.example.com/webhook-test',
		currentNodeParameters: undefined,
		variables: {},
		userId: 'test-user',
		executeWorkflow: async () => {
			throw new Error('not used in tests');
		},
		getRunExecutionData: async () => undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used in tests');
		},
		...options.extra,
	};
	return data as IWorkflowExecuteAdditionalData;
}

export interface WorkflowJson {
	nodes: INode[];
	connections: IDataObject;
	staticData?: IDataObject;
	settings?: IDataObject;
	id?: string;
	name?: string;
}

export function makeWorkflow(json: WorkflowJson, active = false): Workflow {
	return new Workflow({
		id: json.id ?? 'wf-test',
		name: json.name ?? 'Test workflow',
		nodes: json.nodes,
		connections: json.connections as Workflow['connectionsBySourceNode'],
		active,
		nodeTypes: new TestNodeTypes(),
		staticData: json.staticData,
		settings: json.settings,
	});
}

/** A Fiwano action node as a saved workflow holds it. */
export function fiwanoNode(
	parameters: IDataObject,
	typeVersion = 2,
	extra: Partial<INode> = {},
): INode {
	return {
		id: 'fiwano-node',
		name: 'Fiwano',
		type: FIWANO_TYPE,
		typeVersion,
		position: [200, 0],
		parameters: parameters as INode['parameters'],
		credentials: { fiwanoApi: { id: '1', name: 'Fiwano account' } },
		...extra,
	};
}

export interface RunResult {
	run: IRun;
	/** Output items of the start node (main output 0), pairedItem kept. */
	items: INodeExecutionData[];
	/** Every main output of the start node (index 1 is the error output under continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** The node's error, when the execution failed. */
	error?: Error & IDataObject;
}

/**
 * Executes a workflow with n8n-core's WorkflowExecute, feeding `input` to `startNode`
 * (by default the first node) as if an upstream node had produced it.
 */
export async function executeWorkflow(
	json: WorkflowJson,
	options: {
		input?: INodeExecutionData[];
		startNode?: string;
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		mode?: WorkflowExecuteMode;
	} = {},
): Promise<RunResult> {
	const workflow = makeWorkflow(json);
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: workflow.id,
		name: workflow.name,
	} as never);
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const data = additionalData({ credentials: options.credentials, hooks });
	const start = workflow.getNode(options.startNode ?? json.nodes[0].name);
	if (!start) throw new Error('start node not found');
	const executeData: IExecuteData = {
		node: start,
		data: { main: [options.input ?? [{ json: {} }]] },
		source: null,
	};
	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [executeData],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	} as IRunExecutionData;
	const execute = new WorkflowExecute(data, options.mode ?? 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const taskData = run.data.resultData.runData[start.name]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	const items = outputs[0] ?? [];
	const error = (run.data.resultData.error ?? taskData?.error) as (Error & IDataObject) | undefined;
	return { run, items, outputs, error };
}

/** Runs one Fiwano action node on the given input items. */
export async function runFiwano(
	parameters: IDataObject,
	options: {
		typeVersion?: number;
		input?: IDataObject[] | INodeExecutionData[];
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		continueOnFail?: boolean;
		/** The node's On Error setting; continueOnFail is the same as 'continueRegularOutput'. */
		onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	} = {},
): Promise<RunResult> {
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	const node = fiwanoNode(parameters, options.typeVersion ?? 2, onError ? { onError } : {});
	const input = (options.input ?? [{}]).map((entry) =>
		'json' in entry && typeof entry.json === 'object'
			? (entry as INodeExecutionData)
			: { json: entry as IDataObject },
	);
	return await executeWorkflow(
		{ nodes: [node], connections: {} },
		{ input, credentials: options.credentials },
	);
}

/** A nock scope on the test base URL that insists on the API key header. */
export function fiwanoApi(): nock.Scope {
	return nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } });
}

/** Every test starts with no network, no leftover interceptors and no pacing state. */
export function setupHttp(): void {
	beforeAll(() => nock.disableNetConnect());
	beforeEach(() => {
		nock.cleanAll();
		resetRateGates();
	});
	afterAll(() => {
		nock.cleanAll();
		nock.enableNetConnect();
	});
}

/**
 * n8n-core's real LoadOptionsContext for a Fiwano node with these parameters: what the editor
 * uses for list search, and a direct way to call the transport.
 */
export function loadOptionsContext(
	parameters: IDataObject,
	options: {
		typeVersion?: number;
		credentials?: Record<string, ICredentialDataDecryptedObject>;
	} = {},
): LoadOptionsContext {
	const node = fiwanoNode(parameters, options.typeVersion ?? 2);
	const workflow = makeWorkflow({ nodes: [node], connections: {} });
	const data = additionalData({ credentials: options.credentials });
	data.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(workflow, node, data, '');
}
