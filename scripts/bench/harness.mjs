// Runs the compiled Fiwano node (dist/) inside n8n-core's WorkflowExecute, the way n8n runs a
// workflow: the same path as test/helpers/harness.ts, in plain JS for the bench script.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// n8n-core reads these when it is first loaded: an isolated user folder, no telemetry.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'fiwano-bench-n8n-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENCRYPTION_KEY ??= 'fiwano-bench-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, NodeHelpers, Workflow } = require('n8n-workflow');
const { Fiwano } = require(join(root, 'dist/nodes/Fiwano/Fiwano.node.js'));
const { FiwanoApi } = require(join(root, 'dist/credentials/FiwanoApi.credentials.js'));

export const FIWANO_TYPE = 'n8n-nodes-fiwano.fiwano';

class NodeTypes {
	constructor() {
		this.types = { [FIWANO_TYPE]: new Fiwano() };
	}
	getByName(type) {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}
	getByNameAndVersion(type, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}
	getKnownTypes() {
		return {};
	}
}

const credentialTypes = { fiwanoApi: new FiwanoApi() };

/** Decrypted credentials by type, with the credential's generic `authenticate` applied. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(data) {
		super();
		this.data = data;
	}
	getParentTypes() {
		return [];
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const auth = credentialTypes[typeName]?.authenticate;
		if (!auth || typeof auth === 'function') return requestOptions;
		const result = { ...requestOptions, headers: { ...(requestOptions.headers ?? {}) } };
		for (const [name, value] of Object.entries(auth.properties.headers ?? {})) {
			result.headers[name] = workflow.expression.getSimpleParameterValue(node, value, 'internal', {
				$credentials: credentials,
			});
		}
		return result;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	getCredentialsProperties() {
		return [];
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const data = this.data[type];
		if (!data) throw new Error(`No credentials of type ${type}`);
		return { ...data };
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	isCredentialUsableByNode() {
		return true;
	}
}

/**
 * Executes one Fiwano node on `input` items with n8n-core. Returns the output items, the
 * node's error (when it stopped) and the wall time of the execution in milliseconds.
 */
export async function runFiwanoNode({
	parameters,
	input,
	credentials,
	continueOnFail = false,
	typeVersion = 2,
}) {
	const node = {
		id: 'fiwano-bench',
		name: 'Fiwano',
		type: FIWANO_TYPE,
		typeVersion,
		position: [0, 0],
		parameters,
		credentials: { fiwanoApi: { id: '1', name: 'Fiwano account' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'Fiwano bench',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: workflow.id,
		name: workflow.name,
	});
	let resolveRun;
	const finished = new Promise((done) => (resolveRun = done));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const additionalData = {
		credentialsHelper: new CredentialsHelper({ fiwanoApi: credentials }),
		hooks,
		executionId: '1',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		userId: 'bench-user',
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	};
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [
				{ node, data: { main: [input.map((json) => ({ json }))] }, source: null },
			],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	};
	const started = performance.now();
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const wallMs = performance.now() - started;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: run.data.resultData.error ?? taskData?.error,
		wallMs,
	};
}
