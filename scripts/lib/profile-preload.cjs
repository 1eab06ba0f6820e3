// Opt-in timing probe for `SPEED_PROFILE=1 npm run speed` (loaded into n8n with NODE_OPTIONS=--require).
// It changes no file: when n8n loads one of the modules below, the probe wraps a few prototype
// methods with a timer. Each inbound webhook request is tagged (AsyncLocalStorage) with the path it
// came in on, so everything it causes — the webhook phase, the execution, each node, credential
// reads — is attributed to that path. Aggregates are written to $FIWANO_PROFILE_OUT as JSON
// every second and at exit. Measurement only: never loaded by tests or by users.
'use strict';
const Module = require('node:module');
const { AsyncLocalStorage } = require('node:async_hooks');
const { writeFileSync } = require('node:fs');

const OUT = process.env.FIWANO_PROFILE_OUT;
const als = new AsyncLocalStorage();
const stats = {};

function record(name, ms) {
	const tag = als.getStore()?.tag ?? 'untagged';
	const key = `${tag} | ${name}`;
	(stats[key] ??= []).push(ms);
}

function wrap(proto, method, name, { tagFrom } = {}) {
	const orig = proto?.[method];
	if (typeof orig !== 'function' || orig.__fiwanoProbe) return;
	const wrapped = function (...args) {
		const run = () => {
			const label = typeof name === 'function' ? name(this, args) : name;
			const t0 = process.hrtime.bigint();
			const done = () => record(label, Number(process.hrtime.bigint() - t0) / 1e6);
			let out;
			try {
				out = orig.apply(this, args);
			} catch (error) {
				done();
				throw error;
			}
			if (out && typeof out.then === 'function') return out.finally(done);
			done();
			return out;
		};
		return tagFrom ? als.run({ tag: tagFrom(args) }, run) : run();
	};
	wrapped.__fiwanoProbe = true;
	proto[method] = wrapped;
}

// The webhook path ("<webhookId>/webhook", "speed-latency-webhook-v1"): speed.mjs maps it to a workflow.
const tagOfRequest = ([request]) =>
	String(request?.params?.path ?? request?.url ?? '').slice(0, 80);

const probes = [
	[
		'/n8n/dist/webhooks/live-webhooks.js',
		(m) =>
			wrap(m.LiveWebhooks?.prototype, 'executeWebhook', 'webhook request (until answered)', {
				tagFrom: tagOfRequest,
			}),
	],
	[
		'/n8n/dist/webhooks/webhook.service.js',
		(m) => wrap(m.WebhookService?.prototype, 'runWebhook', "start node's webhook()"),
	],
	[
		'/n8n/dist/workflows/workflow-static-data.service.js',
		(m) =>
			wrap(
				m.WorkflowStaticDataService?.prototype,
				'saveStaticData',
				(_self, [wf]) =>
					`saveStaticData (${wf?.staticData?.__dataChanged ? 'changed: DB write' : 'unchanged'})`,
			),
	],
	[
		'/n8n/dist/workflow-runner.js',
		(m) =>
			wrap(
				m.WorkflowRunner?.prototype,
				'run',
				'WorkflowRunner.run (execution created, until returned)',
			),
	],
	[
		'/n8n-workflow/dist/cjs/expression.js',
		(m) => {
			wrap(m.Expression?.prototype, 'acquireIsolate', 'acquireIsolate');
			wrap(m.Expression?.prototype, 'resolveSimpleParameterValue', 'expression resolved');
		},
	],
	[
		'/n8n/dist/credentials-helper.js',
		(m) => {
			wrap(m.CredentialsHelper?.prototype, 'authenticate', 'credential authenticate()');
			wrap(m.CredentialsHelper?.prototype, 'getDecrypted', 'credential getDecrypted()');
		},
	],
	[
		'/n8n-core/dist/execution-engine/node-execution-context/node-execution-context.js',
		(m) => {
			wrap(
				m.NodeExecutionContext?.prototype,
				'_getCredentials',
				(self, [type]) => `getCredentials ${type} in ${self?.node?.type}`,
			);
			wrap(
				m.NodeExecutionContext?.prototype,
				'_getNodeParameter',
				(self) => `getNodeParameter in ${self?.node?.type}`,
			);
		},
	],
	[
		'/n8n-core/dist/execution-engine/workflow-execute.js',
		(m) => {
			wrap(
				m.WorkflowExecute?.prototype,
				'runNode',
				(_s, [, executionData]) => `runNode ${executionData?.node?.type}`,
			);
			wrap(
				m.WorkflowExecute?.prototype,
				'processRunExecutionData',
				'execution (processRunExecutionData)',
			);
		},
	],
	[
		'/n8n-nodes-fiwano/dist/nodes/Fiwano/transport/rateGate.js',
		(m) => wrap(m, 'acquire', 'rateGate.acquire'),
	],
];

const origLoad = Module._load;
Module._load = function (request, parent, isMain) {
	const exp = origLoad.apply(this, arguments);
	let file;
	try {
		file = Module._resolveFilename(request, parent, isMain);
	} catch {
		return exp;
	}
	for (const [suffix, apply] of probes) if (file.endsWith(suffix)) apply(exp);
	return exp;
};

function dump() {
	// Task-runner children inherit NODE_OPTIONS too; only the process that saw requests writes.
	if (!OUT || !Object.keys(stats).length) return;
	const out = {};
	for (const [key, xs] of Object.entries(stats)) {
		const s = [...xs].sort((a, b) => a - b);
		const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
		out[key] = {
			n: s.length,
			median: +q(0.5).toFixed(2),
			p90: +q(0.9).toFixed(2),
			mean: +(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2),
		};
	}
	try {
		writeFileSync(OUT, JSON.stringify(out, null, 1));
	} catch {
		// the folder may be gone at exit
	}
}
setInterval(dump, 1000).unref();
process.on('exit', dump);
