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
//   SPEED_REQUESTS=1000 SPEED_CONCURRENCY=8 SPEED_ROUNDS=3 SPEED_WARMUP=100 npm run speed
import http from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { REPO_DIR } from './lib/package.mjs';
import { tailFile } from './lib/n8n.mjs';
import {
	CREDENTIAL_TYPE,
	TRIGGER_TYPE,
	bringUp,
	prepareWorkflow,
	productionWebhookUrl,
} from './lib/stack.mjs';
import { cleanupAll, progress, waitFor } from './lib/util.mjs';

const REQUESTS = Number(process.env.SPEED_REQUESTS || 1000);
const CONCURRENCY = Number(process.env.SPEED_CONCURRENCY || 8);
const ROUNDS = Number(process.env.SPEED_ROUNDS || 3);
const WARMUP = Number(process.env.SPEED_WARMUP || 100);
const LOG_FILE = join(REPO_DIR, '.e2e', 'speed-n8n.log');
const SECRET = 'speed-test-secret-0123456789abcdef0123456789abcdef';

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
		channel_id: 'a0a0a0a0a0a0a001',
		channel_type: 'whatsapp',
		timestamp: new Date().toISOString(),
		data: {
			message_id: `wamid.speed-${tag}-${i}-${randomUUID()}`,
			from: '15551234567',
			from_name: 'Load',
			type: 'text',
			text: `msg ${i}`,
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
	const one = ({ body, sig }) =>
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
		while (next < bodies.length) await one(bodies[next++]);
	};
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	agent.destroy();
	lat.sort((a, b) => a - b);
	const q = (x) => lat[Math.min(lat.length - 1, Math.floor(x * lat.length))];
	return { rps: bodies.length / seconds, p50: q(0.5), p95: q(0.95), statuses, seconds };
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
		sandbox: false,
		n8nPort: Number(process.env.N8N_PORT || 5678),
		fiwano: {
			apiKey: 'mip_live_speed_test_key',
			baseUrl: 'http://127.0.0.1:9',
			webhookSecret: SECRET,
		},
		// No pruning while counting executions.
		n8nEnv: { N8N_LOG_LEVEL: 'warn', EXECUTIONS_DATA_PRUNE: 'false' },
	});
	const { client, n8n, credential } = stack;

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
		await waitFor(async () => (await finished(v.workflowId)) >= base + accepted, {
			timeoutMs: 20 * 60_000,
			intervalMs: 250,
			what: `${accepted} executions of ${v.label} to finish`,
		});
		const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
		return { ...r, processedRps: accepted / seconds, doneSeconds: seconds };
	};

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
