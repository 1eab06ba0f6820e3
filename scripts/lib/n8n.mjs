// Starts a real n8n (the version scripts/provision.mjs selects, on Node 24) in its own user
// folder, and talks to its internal REST API the way the editor does (cookie login,
// `browser-id` header). Endpoints are the ones n8n 2.41.1 and 1.123.81 register (see the
// controllers under node_modules/n8n/dist/controllers, workflows/, credentials/, executions/).
//
// Where the two differ, N8nClient speaks each one's dialect (read in both versions'
// dist/workflows/workflows.controller.js and workflow.service.js):
// - Publishing: both take POST /rest/workflows/:id/activate { versionId }. 2.x answers at once
//   and registers the triggers in the background (GET /rest/workflows/:id/publication-status
//   reports the outcome and the trigger's error); 1.x registers them before it answers and
//   answers 400 with the trigger's error, and has no publication-status endpoint.
// - Manual run (POST /rest/workflows/:id/run): 2.x reads the saved workflow and takes only
//   { triggerToStartFrom }; 1.x runs the workflow sent in the body ({ workflowData, … }).
// - Creating a workflow: 1.x stores the body as is and its table needs `active`; 2.x's payload
//   has no `active` (a new workflow is never published).
import { createWriteStream, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureNode24, ensureN8n, envFor, n8nInstall, n8nVersion } from '../provision.mjs';
import { freePort, httpJson, spawnTracked, stopChild, waitFor, sleep } from './util.mjs';

const PROVISION_SCRIPT = fileURLToPath(new URL('../provision.mjs', import.meta.url));

/**
 * Node 24 + the cached n8n install. When n8n is not installed yet (first run on a machine:
 * ~10 minutes), the install runs in a child process and `say` gets a heartbeat every 30 s.
 */
export async function provisionRuntime(say = (m) => process.stdout.write(`${m}\n`)) {
	const version = n8nVersion();
	if (!n8nInstall(version).complete) {
		const t0 = Date.now();
		const child = spawn(process.execPath, [PROVISION_SCRIPT], {
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		const beat = setInterval(
			() =>
				say(
					`…still installing n8n ${version} into the cache (${Math.round((Date.now() - t0) / 1000)} s so far)`,
				),
			30_000,
		);
		const code = await new Promise((resolve) => child.once('exit', resolve));
		clearInterval(beat);
		if (code !== 0) throw new Error(`scripts/provision.mjs failed (exit ${code})`);
	}
	const runtime = ensureNode24();
	const { bin, dir } = ensureN8n(runtime, version);
	return { runtime, bin, dir, version };
}

/**
 * Spawns `n8n start` (or, in queue mode, `n8n worker` / `n8n webhook`) and resolves once it is
 * ready: the REST API answers (start), or `/healthz/readiness` says ok (webhook; worker on its
 * health-check server, which gets the port).
 * Output goes to `logFile` (overwritten); `onLine` sees every log line (for progress).
 */
export async function startN8n({
	runtime,
	bin,
	command = 'start',
	userFolder,
	port = 5678,
	logFile,
	env: extraEnv = {},
	onLine,
	startTimeoutMs = 180_000,
}) {
	const n8nPort = await freePort(port);
	const brokerPort = await freePort(0);
	const url = `http://127.0.0.1:${n8nPort}`;
	const env = {
		...envFor(runtime),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(n8nPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${url}/`,
		N8N_EDITOR_BASE_URL: `${url}/`,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		NODE_ENV: 'production',
		...(command === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(n8nPort) }
			: {}),
		...extraEnv,
	};
	if (logFile) mkdirSync(dirname(logFile), { recursive: true });
	const log = logFile ? createWriteStream(logFile, { flags: 'w' }) : null;
	const child = spawnTracked(runtime.node, [bin, command], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let tail = '';
	const feed = (chunk) => {
		const s = chunk.toString();
		log?.write(s);
		tail = (tail + s).slice(-8000);
		if (onLine) for (const line of s.split('\n')) if (line.trim()) onLine(line);
	};
	child.stdout.on('data', feed);
	child.stderr.on('data', feed);
	let exitInfo = null;
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => {
			exitInfo = { code, signal };
			log?.end();
			resolve(exitInfo);
		}),
	);

	const n8n = {
		url,
		port: n8nPort,
		child,
		exited,
		logFile,
		tail: () => tail,
		async stop() {
			await stopChild(child, 10_000);
			await exited;
		},
	};

	await waitFor(
		async () => {
			if (exitInfo)
				throw new Error(`n8n exited early (${JSON.stringify(exitInfo)}):\n${tail.slice(-2000)}`);
			if (command !== 'start')
				return (await httpJson(`${url}/healthz/readiness`, { timeoutMs: 3000 })).status === 200;
			// While booting, n8n answers every path with a 200 "n8n is starting up" page; the
			// settings endpoint returns its JSON only once the REST API is mounted.
			const r = await httpJson(`${url}/rest/settings`, { timeoutMs: 3000 });
			return r.status === 200 && r.json?.data !== undefined;
		},
		{ timeoutMs: startTimeoutMs, intervalMs: 500, what: `n8n ${command} ready at ${url}` },
	).catch(async (error) => {
		if (exitInfo)
			throw new Error(
				`n8n exited during start-up (${JSON.stringify(exitInfo)}):\n${tail.slice(-3000)}`,
			);
		throw error;
	});
	return n8n;
}

/** Returns the last `lines` lines of a log file (for failure reports). */
export function tailFile(file, lines = 60) {
	if (!file || !existsSync(file)) return '';
	return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** The editor's REST client: cookie auth plus the browser-id header n8n binds the cookie to. */
export class N8nClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.browserId = randomUUID();
		this.cookie = '';
		/** The running n8n's version (`versionCli` of /rest/settings), set by connect(). */
		this.version = undefined;
	}

	/**
	 * Reads which n8n answers, so the version-specific calls below pick the right dialect. Needs a
	 * session (after setupOwner or login): without one, /rest/settings carries no version.
	 */
	async connect() {
		const settings = await this.call('GET', '/rest/settings');
		this.version = settings.versionCli;
		if (!this.version) throw new Error('n8n did not report its version in /rest/settings');
		return this.version;
	}

	/** The running n8n's major version; connect() must have run. */
	get major() {
		if (!this.version) throw new Error('N8nClient.connect() has not run');
		return Number(this.version.split('.')[0]);
	}

	async raw(method, path, body, { timeoutMs = 30_000 } = {}) {
		const r = await httpJson(`${this.baseUrl}${path}`, {
			method,
			body,
			timeoutMs,
			headers: { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}) },
		});
		const setCookie = r.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		return r;
	}

	/** JSON request; unwraps n8n's `{ data }` envelope; throws with n8n's message on non-2xx. */
	async call(method, path, body, opts) {
		const r = await this.raw(method, path, body, opts);
		if (r.status < 200 || r.status >= 300) {
			const msg = r.json?.message || r.text.slice(0, 500);
			const err = new Error(`${method} ${path} → ${r.status}: ${msg}`);
			err.status = r.status;
			err.body = r.json ?? r.text;
			throw err;
		}
		return r.json && typeof r.json === 'object' && 'data' in r.json ? r.json.data : r.json;
	}

	async setupOwner({ email, password, firstName = 'Demo', lastName = 'Owner' }) {
		return await this.call('POST', '/rest/owner/setup', { email, password, firstName, lastName });
	}

	async login({ email, password }) {
		return await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	async createCredential({ name, type, data }) {
		return await this.call('POST', '/rest/credentials', { name, type, data });
	}

	/** Creates an inactive workflow (1.x's workflow table needs `active`; 2.x's payload has none). */
	async createWorkflow(workflow) {
		const body = this.major < 2 ? { active: false, ...workflow } : workflow;
		return await this.call('POST', '/rest/workflows', body);
	}

	async getWorkflow(id) {
		return await this.call('GET', `/rest/workflows/${id}`);
	}

	/** Publishes (activates) the workflow's current version. Registration then runs asynchronously. */
	async activate(id, versionId) {
		if (!versionId) versionId = (await this.getWorkflow(id)).versionId;
		return await this.call('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	async deactivate(id) {
		return await this.call('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	/**
	 * `{ status: in_progress|not_published|published|partial|failed, triggers: [{ nodeId, status, errorMessage }] }`
	 * (n8n 2.x only).
	 */
	async publicationStatus(id) {
		return await this.call('GET', `/rest/workflows/${id}/publication-status`);
	}

	/**
	 * Waits for a publication to settle; throws with the trigger's error message when it failed.
	 * n8n 1.x has settled when activate() answered (a failure was its 400): the workflow must be
	 * active now.
	 */
	async waitPublished(id, { timeoutMs = 60_000 } = {}) {
		if (this.major < 2) {
			const wf = await this.getWorkflow(id);
			if (!wf.active) throw new Error(`workflow ${id} is not active after activation`);
			return { status: 'published' };
		}
		return await waitFor(
			async () => {
				const st = await this.publicationStatus(id);
				if (st.status === 'failed' || st.status === 'partial') {
					const msgs = st.triggers.filter((t) => t.errorMessage).map((t) => t.errorMessage);
					throw Object.assign(new Error(`activation ${st.status}: ${msgs.join('; ')}`), {
						fatal: true,
						status: st,
					});
				}
				return st.status === 'published' ? st : null;
			},
			{ timeoutMs, intervalMs: 300, what: `workflow ${id} to be published` },
		);
	}

	/** Node type descriptions for `[{ name, version }]` (as the editor loads them). */
	async nodeTypes(nodeInfos) {
		return await this.call('POST', '/rest/node-types', { nodeInfos });
	}

	/** The full node and credential type lists the editor downloads. */
	async typesJson(kind) {
		const r = await this.raw('GET', `/types/${kind}.json`);
		if (r.status !== 200) throw new Error(`GET /types/${kind}.json → ${r.status}`);
		return r.json;
	}

	/** Executions of one workflow, newest first. */
	async executions(workflowId, { limit = 100 } = {}) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const r = await this.call('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
		return r.results ?? [];
	}

	/** How many executions of a workflow there are (optionally with one status), not capped at 100. */
	async executionCount(workflowId, status) {
		const filter = encodeURIComponent(
			JSON.stringify(status ? { workflowId, status: [status] } : { workflowId }),
		);
		const r = await this.call('GET', `/rest/executions?filter=${filter}&limit=1`);
		return Number(r.count ?? 0);
	}

	async execution(id) {
		return await this.call('GET', `/rest/executions/${id}`);
	}

	/** Runs the saved workflow from a trigger node, as the editor's "Execute workflow" does. */
	async runManually(id, triggerName) {
		const triggerToStartFrom = { name: triggerName };
		if (this.major < 2) {
			const workflowData = await this.getWorkflow(id);
			return await this.call('POST', `/rest/workflows/${id}/run`, {
				workflowData,
				triggerToStartFrom,
			});
		}
		return await this.call('POST', `/rest/workflows/${id}/run`, { triggerToStartFrom });
	}

	/** Waits for an execution to finish; returns the raw execution. */
	async waitExecution(id, { timeoutMs = 60_000 } = {}) {
		return await waitFor(
			async () => {
				const e = await this.execution(id);
				return e && e.finished !== undefined && !['new', 'running', 'waiting'].includes(e.status)
					? e
					: null;
			},
			{ timeoutMs, intervalMs: 300, what: `execution ${id} to finish` },
		);
	}

	/** What the editor calls to fill a resource locator's "From list" dropdown. */
	async resourceLocatorResults({
		nodeType,
		version,
		methodName,
		credentials,
		parameters = {},
		path = 'channelId',
		filter,
	}) {
		return await this.call('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path,
			methodName,
			nodeTypeAndVersion: { name: nodeType, version },
			currentNodeParameters: parameters,
			credentials,
			...(filter ? { filter } : {}),
		});
	}
}

/**
 * Decodes an execution from GET /rest/executions/:id (its `data` is in n8n's `flatted` format)
 * into `{ status, error, nodes: { <name>: { error, items: [json…] per output } } }`.
 */
export function decodeExecution(execution, n8nDir) {
	const { parse } = createRequire(join(n8nDir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
	const rd = data?.resultData ?? {};
	const nodes = {};
	for (const [name, runs] of Object.entries(rd.runData ?? {})) {
		const last = runs.at(-1) ?? {};
		nodes[name] = {
			error: last.error?.message,
			outputs: (last.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json)),
		};
	}
	return {
		status: execution.status,
		error: rd.error?.message,
		lastNode: rd.lastNodeExecuted,
		nodes,
	};
}

/**
 * Waits for an execution to finish and returns it decoded (see {@link decodeExecution}), once its
 * stored data shows the run: n8n 1.x on SQLite (pool size 0, its default) writes the finished
 * status and the run's data in two statements (`updateExistingExecution` in @n8n/db's
 * execution.repository.js), so a read between them sees "success" with the data the execution
 * started with, in which no node has run yet.
 */
export async function waitDecodedExecution(client, id, n8nDir, { timeoutMs = 60_000 } = {}) {
	return await waitFor(
		async () => {
			const exec = decodeExecution(await client.waitExecution(id, { timeoutMs }), n8nDir);
			return exec.lastNode || exec.error ? exec : null;
		},
		{ timeoutMs, intervalMs: 300, what: `the data of execution ${id}` },
	);
}

/** Generates a password that satisfies n8n's rules (8–64 chars, a digit, an uppercase letter). */
export function demoPassword() {
	return `Fiwano-${randomUUID().slice(0, 8)}-Demo1`;
}

export { sleep };
