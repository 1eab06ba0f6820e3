#!/usr/bin/env node
// `npm run speed`: requests per second of a signed Fiwano Trigger webhook (typeVersion 2 and 1,
// manual mode with a secret) against n8n's own Webhook node (v2 and v1), each in a trivial
// one-node workflow in the same real n8n. Bounded loopback load with keep-alive; rounds are
// interleaved so background noise hits every variant alike. Prints a table and the ratios.
// This is a measurement, not a test: nothing here asserts a timing.
//
// Both nodes answer the request before the execution runs (respond "on received"), so the rate
// at which requests are answered says little on its own: executions queue up behind it. Each
// round therefore waits until every accepted request has produced a finished execution and
// reports both rates: "answered/s" (requests answered) and "processed/s" (requests whose
// execution finished, the sustainable throughput). Executions are saved as n8n does by default.
//
// Two more rows, in the same n8n run:
//  - latency: inbound → reply, one delivery at a time, for Fiwano Trigger v2 → Fiwano Send (the
//    echo) and for n8n's Webhook node v1 → HTTP Request posting the same reply to the sandbox's
//    /api/v1/messages/send. "Inbound" is the moment this script sends the delivery to n8n; the
//    reply is the moment the sandbox (same process, same clock) receives the send request.
//    Samples alternate between the two so background noise hits both alike.
//  - storm: N distinct signed events at concurrency C, then the same N again at concurrency C
//    (Fiwano's redeliveries after a slow answer); the extra executions each trigger started.
//    (n8n's Webhook node has no duplicate guard: it would start all N again.)
//
//   SPEED_REQUESTS=1000 SPEED_CONCURRENCY=8 SPEED_ROUNDS=3 SPEED_WARMUP=100 npm run speed
//   SPEED_LATENCY_SAMPLES=100 SPEED_STORM_N=500 SPEED_STORM_CONCURRENCY=20
//   SPEED_PARTS=throughput,latency,storm (any subset)
import http from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { REPO_DIR } from './lib/package.mjs';
import { tailFile } from './lib/n8n.mjs';
import {
	CREDENTIAL_TYPE,
	TRIGGER_TYPE,
	SANDBOX_API_KEY,
	bringUp,
	prepareWorkflow,
	readWorkflow,
	productionWebhookUrl,
} from './lib/stack.mjs';
import { cleanupAll, progress, sleep, waitFor } from './lib/util.mjs';
import { settledCounts } from './lib/storm.mjs';

const REQUESTS = Number(process.env.SPEED_REQUESTS || 1000);
const CONCURRENCY = Number(process.env.SPEED_CONCURRENCY || 8);
const ROUNDS = Number(process.env.SPEED_ROUNDS || 3);
const WARMUP = Number(process.env.SPEED_WARMUP || 100);
const LOG_FILE = join(REPO_DIR, '.e2e', 'speed-n8n.log');
const SECRET = 'speed-test-secret-0123456789abcdef0123456789abcdef';
const LATENCY_SAMPLES = Number(process.env.SPEED_LATENCY_SAMPLES || 100);
const STORM_N = Number(process.env.SPEED_STORM_N || 500);
const STORM_C = Number(process.env.SPEED_STORM_CONCURRENCY || 20);
const PARTS = new Set(
	(process.env.SPEED_PARTS || 'throughput,latency,storm').split(',').map((x) => x.trim()),
);
const WHATSAPP = 'a0a0a0a0a0a0a001';
const PROFILE = process.env.SPEED_PROFILE === '1';
const PROFILE_PRELOAD = join(REPO_DIR, 'scripts', 'lib', 'profile-preload.cjs');
const PROFILE_OUT = join(REPO_DIR, '.e2e', 'speed-profile.json');

const p = progress('speed ');

function fiwanoTrigger(version) {
	return {
		name: `Fiwano Trigger v${version}`,
		type: TRIGGER_TYPE,
		typeVersion: version,
		position: [0, 0],
		parameters: { autoSetup: 'manual', events: ['message.received'], options: {} },
	};
}

function webhookNode(version) {
	return {
		name: `Webhook v${version}`,
		type: 'n8n-nodes-base.webhook',
		typeVersion: version,
		position: [0, 0],
		parameters: {
			httpMethod: 'POST',
			path: `speed-webhook-v${version}`,
			responseMode: 'onReceived',
			options: {},
		},
	};
}

const ALL_VARIANTS = [
	{ key: 'webhook2', label: 'Webhook node v2', node: webhookNode(2) },
	{ key: 'webhook1', label: 'Webhook node v1', node: webhookNode(1) },
	{ key: 'fiwano2', label: 'Fiwano Trigger v2 (signed)', node: fiwanoTrigger(2) },
	{ key: 'fiwano1', label: 'Fiwano Trigger v1 (signed)', node: fiwanoTrigger(1) },
];

/** A unique, signed message.received event (the trigger drops duplicate message_ids). */
function signedEvent(i, tag) {
	const body = JSON.stringify({
		event: 'message.received',
		channel_id: WHATSAPP,
		channel_type: 'whatsapp',
		timestamp: new Date().toISOString(),
		data: {
			message_id: `wamid.speed-${tag}-${i}-${randomUUID()}`,
			from: '15551234567',
			from_name: 'Load',
			type: 'text',
			text: `msg ${tag} ${i}`,
		},
	});
	const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
	return { body, sig };
}

/** Fires `bodies` at `url` with `concurrency` keep-alive connections; returns timings. */
async function load(url, bodies, concurrency) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const u = new URL(url);
	const lat = [];
	const statuses = {};
	let next = 0;
	const codes = new Array(bodies.length);
	const one = ({ body, sig }, index) =>
		new Promise((resolve) => {
			const t0 = process.hrtime.bigint();
			const req = http.request(
				{
					host: u.hostname,
					port: u.port,
					path: u.pathname,
					method: 'POST',
					agent,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						'x-webhook-signature': sig,
					},
				},
				(res) => {
					res.resume();
					res.on('end', () => {
						lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
						statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
						codes[index] = res.statusCode;
						resolve();
					});
				},
			);
			req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
			req.on('error', (e) => {
				statuses[e.message] = (statuses[e.message] || 0) + 1;
				resolve();
			});
			req.end(body);
		});
	const worker = async () => {
		while (next < bodies.length) {
			const i = next++;
			await one(bodies[i], i);
		}
	};
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	agent.destroy();
	lat.sort((a, b) => a - b);
	const q = (x) => lat[Math.min(lat.length - 1, Math.floor(x * lat.length))];
	return { rps: bodies.length / seconds, p50: q(0.5), p95: q(0.95), statuses, seconds, codes };
}

// SPEED_ONLY=webhook2,fiwano2 measures a subset (the first one listed is the baseline).
const VARIANTS = process.env.SPEED_ONLY
	? process.env.SPEED_ONLY.split(',')
			.map((k) => ALL_VARIANTS.find((v) => v.key === k.trim()))
			.filter(Boolean)
	: ALL_VARIANTS;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
	const stack = await bringUp({
		say: (m) => p.step(m),
		logFile: LOG_FILE,
		// The sandbox receives the latency row's replies; no send limit (sends are paced by n8n here).
		sandbox: { port: 0, perChannelSendsPerSecond: 1_000_000 },
		n8nPort: Number(process.env.N8N_PORT || 5678),
		// No pruning while counting executions.
		n8nEnv: {
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'warn',
			EXECUTIONS_DATA_PRUNE: 'false',
			// SPEED_PROFILE=1: time n8n's and our steps per request (scripts/lib/profile-preload.cjs).
			...(PROFILE
				? { NODE_OPTIONS: `--require ${PROFILE_PRELOAD}`, FIWANO_PROFILE_OUT: PROFILE_OUT }
				: {}),
		},
	});
	const { client, n8n, sandbox } = stack;
	// Manual setup with the credential's Webhook Secret: nothing is registered, deliveries are signed.
	const credential = await client.createCredential({
		name: 'Fiwano sandbox (speed)',
		type: CREDENTIAL_TYPE,
		data: { apiKey: SANDBOX_API_KEY, baseUrl: sandbox.url, webhookSecret: SECRET },
	});

	for (const v of VARIANTS) {
		const wf = prepareWorkflow(
			{
				name: `speed ${v.label}`,
				nodes: [v.node],
				connections: {},
				settings: { executionOrder: 'v1' },
			},
			{ credential },
		);
		const created = await client.createWorkflow(wf);
		await client.activate(created.id, created.versionId);
		await client.waitPublished(created.id);
		const node = wf.nodes[0];
		v.url =
			node.type === TRIGGER_TYPE
				? productionWebhookUrl(n8n.url, node)
				: `${n8n.url}/webhook/${node.parameters.path}`;
		v.workflowId = created.id;
	}
	p.step(
		`${VARIANTS.length} workflows published; credential ${CREDENTIAL_TYPE} carries the webhook secret`,
	);

	// The Fiwano Trigger must really verify: a wrong signature is refused.
	for (const v of VARIANTS.filter((x) => x.key.startsWith('fiwano'))) {
		const { body } = signedEvent(0, 'forged');
		const r = await load(v.url, [{ body, sig: `sha256=${'0'.repeat(64)}` }], 1);
		if (!r.statuses[401])
			throw new Error(`${v.label} accepted a forged signature: ${JSON.stringify(r.statuses)}`);
	}
	p.step('forged signatures are refused with 401 by both trigger versions');

	const finished = async (workflowId) => {
		const filter = encodeURIComponent(
			JSON.stringify({ workflowId, status: ['success', 'error', 'crashed', 'canceled'] }),
		);
		const r = await client.call('GET', `/rest/executions?filter=${filter}&limit=1`);
		return Number(r.count ?? 0);
	};
	/** Fires `bodies`, then waits for their executions; returns the load result plus `processedRps`. */
	const measure = async (v, bodies) => {
		const base = await finished(v.workflowId);
		const t0 = process.hrtime.bigint();
		const r = await load(v.url, bodies, CONCURRENCY);
		const accepted = r.statuses[200] ?? 0;
		// Under overload n8n can leave an execution in "new" for good (its database write timed
		// out): stop waiting once nothing finished for 20 s, and report those as lost.
		let last = -1;
		let lastChange = Date.now();
		let done = 0;
		await waitFor(
			async () => {
				done = (await finished(v.workflowId)) - base;
				if (done !== last) [last, lastChange] = [done, Date.now()];
				return done >= accepted || Date.now() - lastChange > 20_000;
			},
			{
				timeoutMs: 20 * 60_000,
				intervalMs: 250,
				what: `${accepted} executions of ${v.label} to finish`,
			},
		);
		const seconds = Number(process.hrtime.bigint() - t0) / 1e9 - (done < accepted ? 20 : 0);
		if (done < accepted) r.statuses['lost (no execution finished)'] = accepted - done;
		return { ...r, processedRps: Math.min(done, accepted) / seconds, doneSeconds: seconds };
	};

	if (PARTS.has('throughput')) {
		for (const v of VARIANTS) {
			const w = await measure(
				v,
				Array.from({ length: WARMUP }, (_, i) => signedEvent(i, `warm-${v.key}`)),
			);
			if (!w.statuses[200]) throw new Error(`${v.label} warm-up: ${JSON.stringify(w.statuses)}`);
			v.runs = [];
		}
		p.step(
			`warmed up (${WARMUP} requests each); measuring ${ROUNDS} rounds × ${REQUESTS} requests, concurrency ${CONCURRENCY}`,
		);

		for (let round = 1; round <= ROUNDS; round++) {
			const order = round % 2 ? VARIANTS : [...VARIANTS].reverse();
			for (const v of order) {
				const bodies = Array.from({ length: REQUESTS }, (_, i) =>
					signedEvent(i, `r${round}-${v.key}`),
				);
				const r = await measure(v, bodies);
				v.runs.push(r);
				p.step(
					`round ${round} ${v.label.padEnd(28)} answered ${r.rps.toFixed(1).padStart(6)}/s  processed ${r.processedRps.toFixed(1).padStart(6)}/s  ${JSON.stringify(r.statuses)}`,
				);
			}
		}

		const base = median(VARIANTS[0].runs.map((r) => r.processedRps));
		const f2 = VARIANTS.find((v) => v.key === 'fiwano2');
		const w1 = VARIANTS.find((v) => v.key === 'webhook1');
		if (f2 && w1)
			SUMMARY.throughput =
				median(f2.runs.map((r) => r.processedRps)) / median(w1.runs.map((r) => r.processedRps));
		const rows = VARIANTS.map((v) => {
			const rps = median(v.runs.map((r) => r.processedRps));
			const non200 = v.runs.reduce(
				(n, r) =>
					n +
					Object.entries(r.statuses)
						.filter(([k]) => k !== '200')
						.reduce((a, [, c]) => a + c, 0),
				0,
			);
			return {
				variant: v.label,
				'processed/s': rps.toFixed(1),
				'answered/s': median(v.runs.map((r) => r.rps)).toFixed(1),
				'p50 ms': median(v.runs.map((r) => r.p50)).toFixed(1),
				'p95 ms': median(v.runs.map((r) => r.p95)).toFixed(1),
				[`vs ${VARIANTS[0].label}`]: `${(rps / base).toFixed(2)}×`,
				'non-200': non200,
			};
		});
		const fiwano2 = VARIANTS.find((v) => v.key === 'fiwano2');
		const execs = fiwano2 ? await client.executions(fiwano2.workflowId, { limit: 1 }) : [];
		process.stdout.write(
			`\nn8n 2.41.1, Node 24, ${REQUESTS} requests × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, keep-alive, loopback\n`,
		);
		console.table(rows);
		const rpsOf = (k) => {
			const v = VARIANTS.find((x) => x.key === k);
			return v ? median(v.runs.map((x) => x.processedRps)) : NaN;
		};
		const ratios = [
			['Fiwano Trigger v2 / Webhook v2', 'fiwano2', 'webhook2'],
			['Fiwano Trigger v1 / Webhook v2', 'fiwano1', 'webhook2'],
			['Fiwano Trigger v1 / Webhook v1', 'fiwano1', 'webhook1'],
			['Webhook v1 / Webhook v2', 'webhook1', 'webhook2'],
			['Fiwano Trigger v2 / Fiwano Trigger v1', 'fiwano2', 'fiwano1'],
		]
			.map(([label, a, b]) => [label, rpsOf(a) / rpsOf(b)])
			.filter(([, x]) => Number.isFinite(x))
			.map(([label, x]) => `${label.padEnd(38)} = ${x.toFixed(2)}×`);
		process.stdout.write(
			[
				...ratios,
				'(ratios of the median processed/s; p50/p95 are the latencies of the answers)',
				`(executions saved as n8n does by default; last Fiwano v2 execution: ${execs[0]?.status ?? 'n/a'})`,
				'',
			].join('\n'),
		);
	}
	if (PARTS.has('latency')) await latencyRow(stack, credential);
	if (PARTS.has('storm')) await stormRows(stack, credential);
	printSummary();
}

/** The three rows of issue 9 side by side, with their targets. */
function printSummary() {
	const lines = ['', 'Fiwano Trigger v2 against the targets (issue 9):'];
	if (SUMMARY.throughput !== undefined)
		lines.push(
			`  executions finished per second vs Webhook v1: ${SUMMARY.throughput.toFixed(2)}× (target ≥ 1.00×)`,
		);
	if (SUMMARY.latency)
		lines.push(
			`  inbound → reply median: ${SUMMARY.latency.fiwano} ms vs ${SUMMARY.latency.webhook} ms for Webhook v1 → HTTP Request = ${(SUMMARY.latency.fiwano / SUMMARY.latency.webhook).toFixed(2)}× (target ≤ 1.00×); p90 ${SUMMARY.latency.fiwano90} vs ${SUMMARY.latency.webhook90} ms`,
		);
	if (SUMMARY.storm)
		lines.push(
			`  storm ${STORM_N} at ${STORM_C}, then again: ${SUMMARY.storm['extra executions']} extra executions, ${SUMMARY.storm['answered twice']} events answered twice (target 0)`,
		);
	process.stdout.write(`${lines.join('\n')}\n`);
}

/** The echo: Fiwano Trigger v2 (manual, signed) → Fiwano Send Text, as in workflows/fiwano-echo-bot.json. */
function fiwanoEchoWorkflow() {
	const echo = readWorkflow('fiwano-echo-bot.json').nodes.find((n) => n.name === 'Echo text');
	const trigger = { ...fiwanoTrigger(2), name: 'Fiwano Trigger' };
	return {
		name: 'speed latency: Fiwano Trigger v2 → Fiwano Send',
		nodes: [trigger, { ...structuredClone(echo), id: undefined, position: [300, 0] }],
		connections: { 'Fiwano Trigger': { main: [[{ node: echo.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The same reply by n8n's own nodes: Webhook v1 → HTTP Request to /api/v1/messages/send. */
function webhookEchoWorkflow(sandboxUrl) {
	return {
		name: 'speed latency: Webhook v1 → HTTP Request',
		nodes: [
			{
				...webhookNode(1),
				name: 'Webhook',
				parameters: { ...webhookNode(1).parameters, path: 'speed-latency-webhook-v1' },
			},
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [300, 0],
				parameters: {
					method: 'POST',
					url: `${sandboxUrl}/api/v1/messages/send`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-API-Key', value: SANDBOX_API_KEY }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ channel_id: $json.body.channel_id, recipient: $json.body.data.from, text: "Echo: " + $json.body.data.text }) }}',
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const SUMMARY = {};
const pct = (xs, q) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Inbound → reply, one delivery at a time, alternating the two workflows. */
async function latencyRow({ client, n8n, sandbox }, credential) {
	const variants = [];
	for (const [key, label, wfDef] of [
		['fiwano', 'Fiwano Trigger v2 → Fiwano Send', fiwanoEchoWorkflow()],
		['webhook', 'Webhook v1 → HTTP Request', webhookEchoWorkflow(sandbox.url)],
	]) {
		const wf = prepareWorkflow(wfDef, { credential });
		const created = await client.createWorkflow(wf);
		await client.activate(created.id, created.versionId);
		await client.waitPublished(created.id);
		const node = wf.nodes[0];
		const url =
			node.type === TRIGGER_TYPE
				? productionWebhookUrl(n8n.url, node)
				: `${n8n.url}/webhook/${node.parameters.path}`;
		variants.push({ key, label, url, workflowId: created.id, ms: [], answerMs: [] });
	}
	const sample = async (v, i, record) => {
		const tag = `lat-${v.key}-${i}-${randomUUID().slice(0, 8)}`;
		const { body, sig } = signedEvent(i, tag);
		const want = `Echo: msg ${tag} ${i}`;
		const from = sandbox.state.log.length;
		const t0 = Date.now();
		const r = await load(v.url, [{ body, sig }], 1);
		if (!r.statuses[200]) throw new Error(`${v.label}: ${JSON.stringify(r.statuses)}`);
		const answered = Date.now();
		const deadline = answered + 30_000;
		for (;;) {
			const log = sandbox.state.log;
			let hit;
			for (let k = Math.max(0, from - 10); k < log.length; k++) {
				const e = log[k];
				if (e.path === '/api/v1/messages/send' && e.body?.text === want) hit = e;
			}
			if (hit && hit.status) {
				if (hit.status !== 200) throw new Error(`${v.label}: the send got ${hit.status}`);
				if (record) {
					v.ms.push(hit.ts - t0);
					v.answerMs.push(answered - t0);
				}
				break;
			}
			if (Date.now() > deadline) throw new Error(`${v.label}: no reply "${want}" within 30 s`);
			await sleep(2);
		}
		// Let the execution finish (its save) before the next sample starts.
		await settledCounts(client, v.workflowId, { quietMs: 0 });
	};
	const warm = Math.min(20, LATENCY_SAMPLES);
	for (let i = 0; i < warm; i++) for (const v of variants) await sample(v, i, false);
	p.step(
		`latency: warmed up (${warm} each); measuring ${LATENCY_SAMPLES} samples each, alternating`,
	);
	for (let i = 0; i < LATENCY_SAMPLES; i++) {
		const order = i % 2 ? variants : [...variants].reverse();
		for (const v of order) await sample(v, warm + i, true);
	}
	const [f, w] = variants;
	process.stdout.write(
		`\nLatency: inbound (delivery sent to n8n) → reply (the sandbox receives the send), ${LATENCY_SAMPLES} samples each, one at a time\n`,
	);
	console.table(
		variants.map((v) => ({
			path: v.label,
			'median ms': pct(v.ms, 0.5),
			'p90 ms': pct(v.ms, 0.9),
			'min ms': pct(v.ms, 0),
			'answer median ms': pct(v.answerMs, 0.5),
		})),
	);
	if (PROFILE) await printProfile(variants);
	SUMMARY.latency = {
		fiwano: pct(f.ms, 0.5),
		webhook: pct(w.ms, 0.5),
		fiwano90: pct(f.ms, 0.9),
		webhook90: pct(w.ms, 0.9),
	};
	process.stdout.write(
		`latency median Fiwano / Webhook v1 → HTTP Request = ${(pct(f.ms, 0.5) / pct(w.ms, 0.5)).toFixed(2)}× (target ≤ 1.00×)\n`,
	);
}

/** The probe's figures for the latency row's two paths (warm-up included), by step. */
async function printProfile(variants) {
	await sleep(1500);
	const { readFileSync, existsSync } = await import('node:fs');
	if (!existsSync(PROFILE_OUT)) return p.step(`profile: ${PROFILE_OUT} not written`);
	const data = JSON.parse(readFileSync(PROFILE_OUT, 'utf8'));
	// The probe tags by webhook path; only the latency row's two workflows are shown.
	const labelOf = (path) =>
		variants.find((v) => new URL(v.url).pathname.replace(/^\/webhook\//, '') === path)?.label;
	const rows = Object.entries(data)
		.map(([k, v]) => {
			const [path, step] = k.split(' | ');
			return { label: labelOf(path), step, v };
		})
		.filter((r) => r.label)
		.sort((a, b) => `${a.label}${a.step}`.localeCompare(`${b.label}${b.step}`))
		.map(({ label, step, v }) => ({
			path: label,
			step,
			n: v.n,
			'median ms': v.median,
			'p90 ms': v.p90,
		}));
	process.stdout.write(
		`\nProfile (SPEED_PROFILE=1, warm-up included; ${PROFILE_OUT}): time per step, per request\n`,
	);
	console.table(rows);
}

/**
 * N distinct signed events at concurrency C into Fiwano Trigger v2 → Fiwano Send, then the same N
 * again. A delivery answered other than 200 is sent again (up to 8 rounds), as Fiwano does. The
 * replies the sandbox received count events answered twice even when n8n lost executions.
 */
async function stormRows({ client, n8n, sandbox }, credential) {
	const wf = prepareWorkflow(
		{ ...fiwanoEchoWorkflow(), name: 'speed storm: Fiwano Trigger v2 → Fiwano Send' },
		{ credential },
	);
	const created = await client.createWorkflow(wf);
	await client.activate(created.id, created.versionId);
	await client.waitPublished(created.id);
	const url = productionWebhookUrl(n8n.url, wf.nodes[0]);
	const tag = `storm-${randomUUID().slice(0, 8)}`;
	const bodies = Array.from({ length: STORM_N }, (_, i) => signedEvent(i, tag));
	const untilAccepted = async () => {
		const tally = {};
		let pending = bodies;
		for (let round = 1; pending.length && round <= 8; round++) {
			if (round > 1) await sleep(2000);
			const r = await load(url, pending, STORM_C);
			for (const [k, c] of Object.entries(r.statuses)) tally[k] = (tally[k] ?? 0) + c;
			pending = pending.filter((_, i) => r.codes[i] !== 200);
		}
		return tally;
	};
	const first = await untilAccepted();
	const again = await untilAccepted();
	const after = await settledCounts(client, created.id, { atLeast: STORM_N, quietMs: 2000 });
	const replies = sandbox.state.messages.filter((m) => m.text?.startsWith(`Echo: msg ${tag} `));
	const distinct = new Set(replies.map((m) => m.text)).size;
	const row = {
		path: 'Fiwano Trigger v2 → Fiwano Send',
		events: STORM_N,
		concurrency: STORM_C,
		executions: after.total,
		'extra executions': after.total - STORM_N,
		'answered twice': replies.length - distinct,
		'never answered': STORM_N - distinct,
		'first pass attempts': JSON.stringify(first),
		'redelivery attempts': JSON.stringify(again),
	};
	SUMMARY.storm = row;
	process.stdout.write(
		`\nStorm: ${STORM_N} distinct signed events at concurrency ${STORM_C}, then all ${STORM_N} again (a Webhook node would start ${STORM_N} extra: it has no duplicate guard)\n`,
	);
	console.table([row]);
}

main()
	.then(() => cleanupAll())
	.then(() => process.exit(0))
	.catch(async (error) => {
		process.stderr.write(`\nspeed failed: ${error.stack || error.message}\n`);
		const tail = tailFile(LOG_FILE, 40);
		if (tail) process.stderr.write(`\nLast lines of ${LOG_FILE}:\n${tail}\n`);
		await cleanupAll();
		process.exit(1);
	});
