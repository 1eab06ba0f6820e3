#!/usr/bin/env node
// `npm run bench`: bulk sends through the compiled Fiwano node (dist/) inside n8n-core's
// WorkflowExecute, against the local Fiwano sandbox (test/sandbox/server.mjs, in a child
// process). Prints one table; the figures are for reading, there are no pass/fail checks.
//
// 1. Rate-limited: 300 sends to 300 recipients, sandbox limited to 20 requests/s per key.
// 2. Latency-bound: 200 sends with 100 ms latency and no binding limit, vs concurrency 1.
// 3. Same recipient: 50 messages to one person (interleaved with 50 to others), jittered
//    latency; the sandbox's message log must show them in item order.
// 4. Faults: 300 sends, 10% answered 503 + Retry-After, 2% connections reset after the
//    request was written (processed, but the client never hears back).
// 5. Peak memory of this process (the sandbox runs in its own).
//
// Options: BENCH_ONLY=1,3 runs only those rows.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runFiwanoNode } from './bench/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const API_KEY = 'mip_live_sandbox_demo_key';
const WHATSAPP = 'a0a0a0a0a0a0a001';
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean).map(Number);
const wanted = (row) => !only.length || only.includes(row);

let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const sampleMemory = () => {
	const { rss, heapUsed } = process.memoryUsage();
	peakRss = Math.max(peakRss, rss);
	peakHeap = Math.max(peakHeap, heapUsed);
};
setInterval(sampleMemory, 20).unref();

/** Starts a fresh sandbox in a child process (a new port, so no pacing state carries over). */
async function startSandbox(options) {
	const child = spawn(
		process.execPath,
		[join(here, 'bench', 'sandbox-child.mjs'), JSON.stringify(options)],
		{
			stdio: ['pipe', 'pipe', 'inherit'],
		},
	);
	const url = await new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const line = out.split('\n')[0];
			if (out.includes('\n')) resolve(JSON.parse(line).url);
		});
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	const call = async (method, path, body) => {
		const response = await fetch(`${url}${path}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		return await response.json();
	};
	return {
		url,
		get: (path) => call('GET', path),
		post: (path, body) => call('POST', path, body),
		close: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** Send Text (typeVersion 2) on the sandbox's WhatsApp channel to `$json.to` with `$json.text`. */
async function sendBatch(sandbox, items, { concurrency, continueOnFail = false } = {}) {
	sampleMemory();
	const result = await runFiwanoNode({
		parameters: {
			resource: 'message',
			operation: 'send',
			channelId: { __rl: true, mode: 'id', value: WHATSAPP },
			recipient: '={{ $json.to }}',
			text: '={{ $json.text }}',
			options: concurrency === undefined ? {} : { concurrency },
		},
		input: items,
		credentials: { apiKey: API_KEY, baseUrl: sandbox.url, webhookSecret: '' },
		continueOnFail,
	});
	sampleMemory();
	return result;
}

/** Recipients that the sandbox accepts as ordinary WhatsApp numbers. */
const recipient = (i) => `4917${String(10_000_000 + i)}`;

/**
 * What happened to each item: delivered (in the sandbox's message log), reported as sent or
 * failed by the node (its output items), lost (neither delivered nor reported failed, or
 * reported sent but not delivered) and duplicated (delivered more than once).
 */
async function tally(sandbox, items, result) {
	const [messages, log] = await Promise.all([
		sandbox.get('/_sandbox/messages'),
		sandbox.get('/_sandbox/log'),
	]);
	const deliveries = new Map();
	for (const m of messages) deliveries.set(m.text, (deliveries.get(m.text) ?? 0) + 1);
	const outputs = result.items;
	const paired =
		outputs.length === items.length && outputs.every((o, i) => o.pairedItem?.item === i);
	let delivered = 0;
	let duplicated = 0;
	let reportedFailed = 0;
	let maybeSent = 0;
	let lost = 0;
	items.forEach((item, i) => {
		const count = deliveries.get(item.text) ?? 0;
		const out = outputs[i]?.json;
		// An error item carries the error message; a successful send's answer has `error: null`.
		const failed = out ? typeof out.error === 'string' : result.error !== undefined;
		if (count > 0) delivered += 1;
		if (count > 1) duplicated += count - 1;
		if (failed) reportedFailed += 1;
		if (failed && out?.maybeSent === true) maybeSent += 1;
		if ((count === 0 && !failed) || (!failed && out?.message_id === undefined)) lost += 1;
	});
	const sends = log.filter((e) => e.path === '/api/v1/messages/send');
	return {
		delivered,
		duplicated,
		reportedFailed,
		maybeSent,
		lost,
		paired,
		requests: sends.length,
		status429: sends.filter((e) => e.status === 429).length,
		status503: sends.filter((e) => e.fault === '503').length,
		resets: sends.filter((e) => e.fault === 'reset').length,
		messages,
	};
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

// A running n8n instance has its modules loaded and its code compiled: warm up the same way.
{
	const sandbox = await startSandbox({ perChannelSendsPerSecond: 100_000 });
	const items = Array.from({ length: 50 }, (_, i) => ({ to: recipient(i), text: `warm-up #${i}` }));
	await sendBatch(sandbox, items);
	await sandbox.close();
}
const rows = [];
const notes = [];

if (wanted(1)) {
	const sandbox = await startSandbox({
		perKeyPerSecond: 20,
		perKeyIncludesSends: true,
		perChannelSendsPerSecond: null,
	});
	const items = Array.from({ length: 300 }, (_, i) => ({ to: recipient(i), text: `bench1 #${i}` }));
	const result = await sendBatch(sandbox, items);
	const t = await tally(sandbox, items, result);
	const floor = 15_000;
	rows.push([
		'1 Rate-limited',
		`300 sends / 300 recipients, 20 req/s per key, default concurrency (10)`,
		`wall ${s(result.wallMs)} | floor ${s(floor)} | ratio ${(result.wallMs / floor).toFixed(3)} | 429s ${t.status429} | lost ${t.lost} | duplicated ${t.duplicated} | requests ${t.requests}${result.error ? ` | node error: ${result.error.message}` : ''}${t.paired ? '' : ' | NOT PAIRED'}`,
	]);
	await sandbox.close();
}

if (wanted(2)) {
	const options = { latencyMs: 100, perChannelSendsPerSecond: 100_000, perKeyPerSecond: null };
	const run = async (concurrency) => {
		const sandbox = await startSandbox(options);
		const items = Array.from({ length: 200 }, (_, i) => ({
			to: recipient(i),
			text: `bench2 c${concurrency ?? 'd'} #${i}`,
		}));
		const result = await sendBatch(sandbox, items, { concurrency });
		const t = await tally(sandbox, items, result);
		await sandbox.close();
		return { result, t };
	};
	const one = await run(1);
	const five = await run(5);
	const byDefault = await run(undefined);
	const line = (label, r) =>
		`${label}: ${s(r.result.wallMs)} (×${(one.result.wallMs / r.result.wallMs).toFixed(2)} vs concurrency 1)`;
	rows.push([
		'2 Latency-bound',
		'200 sends, 100 ms latency, no binding limit',
		`concurrency 1: ${s(one.result.wallMs)} | ${line('default (10)', byDefault)} | ${line('concurrency 5', five)} | lost ${
			one.t.lost + five.t.lost + byDefault.t.lost
		} | duplicated ${one.t.duplicated + five.t.duplicated + byDefault.t.duplicated}`,
	]);
	notes.push(
		'Row 2: "no binding limit" = the sandbox advertises 100000 sends/s in X-RateLimit-*. A server that sends no rate-limit headers at all gets the documented 10 sends/s per channel from the node.',
	);
}

if (wanted(3)) {
	const sandbox = await startSandbox({
		latencyMs: 10,
		jitterMs: 90,
		perChannelSendsPerSecond: 100_000,
		randomSeed: 7,
	});
	const person = recipient(999_999);
	const items = [];
	for (let i = 0; i < 50; i++) {
		items.push({ to: person, text: `bench3 same #${i}` });
		items.push({ to: recipient(i), text: `bench3 other #${i}` });
	}
	const result = await sendBatch(sandbox, items);
	const t = await tally(sandbox, items, result);
	const arrived = t.messages
		.filter((m) => m.recipient === person)
		.map((m) => Number(m.text.split('#')[1]));
	const inOrder = arrived.length === 50 && arrived.every((n, i) => n === i);
	const others = t.messages
		.filter((m) => m.recipient !== person)
		.map((m) => Number(m.text.split('#')[1]));
	const othersInterleaved = others.some((n, i) => n !== i);
	rows.push([
		'3 Same recipient',
		'50 messages to one recipient (+50 to others, interleaved), latency 10-100 ms jitter',
		`in order: ${inOrder ? 'yes' : 'NO'} (sandbox log: ${arrived.length}/50, ${
			inOrder ? '#0…#49 in sequence' : arrived.join(',')
		}) | other recipients overtook each other: ${othersInterleaved ? 'yes (concurrent)' : 'no'} | wall ${s(
			result.wallMs,
		)} | lost ${t.lost} | duplicated ${t.duplicated}`,
	]);
	await sandbox.close();
}

if (wanted(4)) {
	const sandbox = await startSandbox({
		perKeyPerSecond: 20,
		perKeyIncludesSends: true,
		perChannelSendsPerSecond: null,
		randomSeed: 42,
		faults: {
			status503Ratio: 0.1,
			resetAfterWriteRatio: 0.02,
			retryAfterSeconds: 1,
			scope: 'sends',
		},
	});
	const items = Array.from({ length: 300 }, (_, i) => ({ to: recipient(i), text: `bench4 #${i}` }));
	const result = await sendBatch(sandbox, items, { continueOnFail: true });
	const t = await tally(sandbox, items, result);
	rows.push([
		'4 Faults',
		'300 sends, 10% 503 + Retry-After: 1, 2% reset after write, 20 req/s per key, Continue On Fail',
		`delivered ${t.delivered} | reported failed ${t.reportedFailed} (flagged maybeSent: ${t.maybeSent}) | lost ${t.lost} | duplicated ${t.duplicated} | wall ${s(
			result.wallMs,
		)} | 503s ${t.status503}, resets ${t.resets}, 429s ${t.status429}, requests ${t.requests}${t.paired ? '' : ' | NOT PAIRED'}`,
	]);
	notes.push(
		'Row 4: a reset connection is reported as a failed item (maybeSent: true) and not retried: the sandbox processed it, so it counts as delivered and as reported.',
	);
	await sandbox.close();
}

sampleMemory();
if (wanted(5)) {
	rows.push([
		'5 Peak memory',
		'this process: n8n-core + the node (sampled every 20 ms)',
		`rss ${(peakRss / 2 ** 20).toFixed(1)} MiB | heap used ${(peakHeap / 2 ** 20).toFixed(1)} MiB`,
	]);
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(
	`\nFiwano bulk-send bench (Node ${process.version}, n8n-core WorkflowExecute, dist/ build)\n`,
);
for (const [name, setup, figures] of rows) {
	console.log(`${name.padEnd(width)}  ${setup}`);
	console.log(
		`${''.padEnd(width)}  ${figures.split(' | ').join('\n' + ''.padEnd(width) + '  ')}\n`,
	);
}
for (const note of notes) console.log(note);
process.exit(0);
