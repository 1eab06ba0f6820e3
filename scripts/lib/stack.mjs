// The user's path, end to end, shared by `npm run demo`, `npm run test:e2e` and `npm run speed`:
// build → npm pack → npm install the tarball into a fresh n8n user folder → start the local
// Fiwano sandbox (optional) and a real n8n → owner account → Fiwano credential → workflows.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { REPO_DIR, buildPackage, installIntoUserFolder, packPackage } from './package.mjs';
import { N8nClient, demoPassword, provisionRuntime, startN8n } from './n8n.mjs';
import { httpJson, onCleanup, waitFor } from './util.mjs';

export const SANDBOX_API_KEY = 'mip_live_sandbox_demo_key';
export const FIWANO_PACKAGE = 'n8n-nodes-fiwano';
export const ACTION_TYPE = `${FIWANO_PACKAGE}.fiwano`;
export const TRIGGER_TYPE = `${FIWANO_PACKAGE}.fiwanoTrigger`;
export const CREDENTIAL_TYPE = 'fiwanoApi';

/** Reads a workflow file from workflows/. */
export function readWorkflow(file) {
	return JSON.parse(readFileSync(join(REPO_DIR, 'workflows', file), 'utf8'));
}

/**
 * Turns an exported workflow into a create payload: drops instance-specific fields, gives
 * webhook nodes fresh webhook IDs (n8n refuses two active workflows on the same path), and
 * wires `credential` into every Fiwano node whose credential the file leaves empty.
 * `edit` maps node names to functions that change a node (what a user would set in the editor).
 */
export function prepareWorkflow(workflow, { credential, name, edit = {} } = {}) {
	const nodes = workflow.nodes.map((node) => {
		const n = structuredClone(node);
		edit[n.name]?.(n);
		n.id = n.id || randomUUID();
		if (
			n.webhookId !== undefined ||
			n.type === TRIGGER_TYPE ||
			n.type === 'n8n-nodes-base.webhook'
		) {
			n.webhookId = randomUUID();
		}
		if (credential && n.type.startsWith(`${FIWANO_PACKAGE}.`)) {
			n.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
		}
		return n;
	});
	return {
		name: name ?? workflow.name,
		nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
		...(workflow.pinData ? { pinData: workflow.pinData } : {}),
	};
}

/** The production URL n8n gives a webhook node: `<WEBHOOK_URL>webhook/<webhookId>/<path>`. */
export function productionWebhookUrl(n8nUrl, node, path = 'webhook') {
	return `${n8nUrl.replace(/\/+$/, '')}/webhook/${node.webhookId}/${path}`;
}

/**
 * Brings up the whole stack. `say(msg)` reports progress. Everything started is stopped by
 * the cleanup hooks in util.mjs (exit, Ctrl-C, crash).
 *  - sandbox: false | { port, ...startSandbox options }
 *  - fiwano: { baseUrl, apiKey } for the credential (defaults to the sandbox)
 */
export async function bringUp({
	say = () => {},
	workDir,
	keepWorkDir = false,
	n8nPort = 5678,
	logFile,
	sandbox = { port: 4010 },
	fiwano,
	n8nEnv = {},
	owner = {
		email: 'demo@example.com',
		password: demoPassword(),
		firstName: 'Demo',
		lastName: 'Owner',
	},
} = {}) {
	const root = workDir ?? mkdtempSync(join(tmpdir(), 'fiwano-n8n-'));
	mkdirSync(root, { recursive: true });
	if (!keepWorkDir) onCleanup(() => rmSync(root, { recursive: true, force: true }));
	const userFolder = join(root, 'user');

	if (process.env.FIWANO_SKIP_BUILD === '1') {
		say('FIWANO_SKIP_BUILD=1: packing the existing dist/ without rebuilding');
	} else {
		say('Building the package (npm run build)…');
		buildPackage();
	}
	const tarball = packPackage(join(root, 'pack'));
	say(
		`Packed ${tarball.name}@${tarball.version} (${tarball.files.length} files); installing it into ${userFolder}/.n8n/nodes…`,
	);
	installIntoUserFolder(tarball.file, userFolder);

	say('Checking the n8n runtime (Node 24 + n8n, cached; the first install takes 5–10 minutes)…');
	const runtime = await provisionRuntime(say);

	let sb = null;
	if (sandbox) {
		say('Starting the local Fiwano sandbox…');
		const { startSandbox } = await import('../../test/sandbox/server.mjs');
		const { port = 4010, ...opts } = sandbox;
		sb = await startSandbox({ seed: true, ...opts, port });
		onCleanup(() => sb.close());
		say(`Sandbox listening on ${sb.url}`);
	}

	say('Starting n8n…');
	const n8n = await startN8n({
		...runtime,
		userFolder,
		port: n8nPort,
		logFile: logFile ?? join(root, 'n8n.log'),
		env: n8nEnv,
	});
	onCleanup(() => n8n.stop());

	const client = new N8nClient(n8n.url);
	await client.setupOwner(owner);
	const version = await client.connect();
	if (version !== runtime.version) {
		throw new Error(`n8n reports version ${version}, but ${runtime.version} was provisioned`);
	}
	say(`n8n ${version} is up at ${n8n.url}`);

	const credData = fiwano ?? { apiKey: SANDBOX_API_KEY, baseUrl: sb.url };
	const credName = sb && !fiwano ? 'Fiwano sandbox' : 'Fiwano';
	const credential = await client.createCredential({
		name: credName,
		type: CREDENTIAL_TYPE,
		data: credData,
	});
	say(`Created owner ${owner.email} and credential "${credential.name}" (${credData.baseUrl})`);

	return {
		root,
		userFolder,
		tarball,
		runtime,
		n8nVersion: version,
		sandbox: sb,
		n8n,
		client,
		owner,
		credential,
	};
}

/** Creates (imports) a workflow from workflows/<file>, wired to the credential. */
export async function importWorkflow(client, file, { credential, name, edit } = {}) {
	const payload = prepareWorkflow(readWorkflow(file), { credential, name, edit });
	const created = await client.createWorkflow(payload);
	return { ...created, payload };
}

/** A client of the sandbox: `sb('GET', '/_sandbox/state')`; a status of 300 or more throws. */
export function sandboxClient(sandboxUrl, { timeoutMs = 20_000 } = {}) {
	return async (method, path, body) => {
		const r = await httpJson(`${sandboxUrl}${path}`, { method, body, timeoutMs });
		if (r.status >= 300)
			throw new Error(`${method} ${path} → ${r.status}: ${r.text.slice(0, 300)}`);
		return r.json;
	};
}

/**
 * Waits until every channel in `channelIds` has `url` as its webhook URL in the sandbox, or has
 * none when `url` is undefined (after a deactivation). Returns the sandbox state it saw.
 */
export async function waitForChannelWebhooks(sb, channelIds, url, { timeoutMs = 30_000 } = {}) {
	return await waitFor(
		async () => {
			const state = await sb('GET', '/_sandbox/state');
			const wired = channelIds.every((id) => {
				const current = state.channels.find((c) => c.id === id)?.webhook_url;
				return url === undefined ? !current : current === url;
			});
			return wired && state;
		},
		{
			timeoutMs,
			what:
				url === undefined
					? `the webhook URL to be cleared on ${channelIds.length} channels`
					: `${channelIds.length} channels to point at ${url}`,
		},
	);
}

/**
 * Activates a created workflow whose Fiwano Trigger sets itself up, and waits until the
 * channels point at its production URL (activation is asynchronous in n8n 2.x: first the
 * publication, then the trigger's PATCHes). Returns that URL and the sandbox state.
 */
export async function activateOnChannels(client, wf, { n8nUrl, sb, channelIds }) {
	const trigger = wf.payload.nodes.find((n) => n.type === TRIGGER_TYPE);
	const hookUrl = productionWebhookUrl(n8nUrl, trigger);
	await client.activate(wf.id, wf.versionId);
	await client.waitPublished(wf.id, { timeoutMs: 60_000 });
	const state = await waitForChannelWebhooks(sb, channelIds, hookUrl);
	return { hookUrl, state };
}
