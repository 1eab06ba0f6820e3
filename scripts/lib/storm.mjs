// The redelivery storm shared by `npm run test:e2e`, `npm run test:e2e:queue` and `npm run speed`:
// N distinct signed events at concurrency C, then every one of them again at concurrency C (what
// Fiwano does when n8n answered too slowly the first time), and how many executions that started.
// Deliveries go through the sandbox's control API, so they are signed with the channel's real
// secret and the redelivery carries the very same body and signature.
import { sleep, waitFor } from './util.mjs';

/** Runs `fn` over `items` with at most `concurrency` in flight; returns the results in order. */
export async function pool(items, concurrency, fn) {
	const out = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	return out;
}

/**
 * Executions of one workflow: `total` (any status) and `done` (finished one way or another).
 * Without a status filter n8n's list counts only completed executions, so both name statuses.
 */
export async function executionCounts(client, workflowId) {
	const count = async (status) => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
		const r = await client.call('GET', `/rest/executions?filter=${filter}&limit=1`);
		return Number(r.count ?? 0);
	};
	const DONE = ['success', 'error', 'crashed', 'canceled'];
	const [total, done] = await Promise.all([
		count([...DONE, 'new', 'running', 'waiting', 'unknown']),
		count(DONE),
	]);
	return { total, done };
}

/**
 * Waits until every execution of the workflow has finished and the count held still for
 * `quietMs` (late redeliveries can still start one); returns the final counts.
 */
export async function settledCounts(
	client,
	workflowId,
	{ atLeast = 0, quietMs = 3000, timeoutMs = 10 * 60_000 } = {},
) {
	let last = null;
	let since = 0;
	return await waitFor(
		async () => {
			const c = await executionCounts(client, workflowId);
			const same = last && c.total === last.total && c.done === last.done;
			if (!same) {
				last = c;
				since = Date.now();
			}
			const still = Date.now() - since;
			// An execution n8n left in "new" (its database write timed out under load) never
			// finishes: after 20 s without any change, settle anyway and report it as stuck.
			if (c.total >= atLeast && c.done === c.total && still >= quietMs) return c;
			return still >= Math.max(quietMs, 20_000) ? { ...c, stuck: c.total - c.done } : null;
		},
		{ timeoutMs, intervalMs: 250, what: `executions of workflow ${workflowId} to settle` },
	);
}

/** A message.received event from `from` on `channelId` with a unique message_id. */
export function inboundEvent({ channelId, channelType = 'whatsapp', from, text, messageId }) {
	return {
		event: 'message.received',
		channel_id: channelId,
		channel_type: channelType,
		timestamp: new Date().toISOString(),
		data: { message_id: messageId, from, from_name: 'Storm', type: 'text', text },
	};
}

/**
 * The storm. `sb(method, path, body)` is the sandbox control API; the channel must be wired to
 * the workflow. Returns the figures; asserts nothing (callers decide what passes).
 */
export async function runStorm({
	sb,
	client,
	workflowId,
	channelId,
	from,
	n = 500,
	concurrency = 20,
	tag = `storm-${Date.now().toString(36)}`,
	quietMs = 3000,
	maxAttempts = 8,
	say = () => {},
}) {
	const before = await settledCounts(client, workflowId, { quietMs: 500 });
	const seq = Math.max(0, ...(await sb('GET', '/_sandbox/messages')).map((m) => m.seq));
	const events = Array.from({ length: n }, (_, i) =>
		inboundEvent({ channelId, from, text: `${tag} ${i}`, messageId: `wamid.${tag}-${i}` }),
	);
	// Like Fiwano, a delivery that got no 2xx (n8n too slow for the 5 s, or refused) is sent again,
	// same body and signature, until it is accepted; every attempt's outcome is tallied.
	const firstStatuses = {};
	const redeliveryStatuses = {};
	const until2xx = async (tally, first) => {
		let r = await first();
		for (let attempt = 1; ; attempt++) {
			const k = r.status ?? (String(r.error ?? '').includes('timeout') ? 'timeout' : 'error');
			tally[k] = (tally[k] ?? 0) + 1;
			if ((r.status >= 200 && r.status < 300) || attempt >= maxAttempts) return r;
			await sleep(Math.min(5000, 500 * 2 ** attempt));
			r = await sb('POST', '/_sandbox/redeliver', { delivery_id: r.delivery_id });
		}
	};
	const t0 = Date.now();
	const first = await pool(events, concurrency, async (event) => {
		const r = await until2xx(firstStatuses, () =>
			sb('POST', '/_sandbox/deliver', { channel_id: channelId, event }),
		);
		return r.delivery_id;
	});
	const firstSeconds = (Date.now() - t0) / 1000;
	say(
		`storm: ${n} distinct events delivered in ${firstSeconds.toFixed(1)} s, attempts ${JSON.stringify(firstStatuses)}`,
	);
	const t1 = Date.now();
	await pool(first, concurrency, (delivery_id) =>
		until2xx(redeliveryStatuses, () => sb('POST', '/_sandbox/redeliver', { delivery_id })),
	);
	const againSeconds = (Date.now() - t1) / 1000;
	say(
		`storm: ${n} redeliveries in ${againSeconds.toFixed(1)} s, attempts ${JSON.stringify(redeliveryStatuses)}`,
	);
	const statuses = firstStatuses;
	const redo = redeliveryStatuses;
	const accepted = Object.entries(statuses)
		.filter(([k]) => Number(k) >= 200 && Number(k) < 300)
		.reduce((a, [, c]) => a + c, 0);
	// Executions can still start for deliveries answered too late, so wait for at least the accepted ones.
	const after = await settledCounts(client, workflowId, {
		atLeast: before.total + accepted,
		quietMs,
	});
	const executions = after.total - before.total;
	// The echo's replies count duplicates even when n8n lost executions under load (then
	// `executions - n` understates them): a text answered twice ran twice.
	const replies = (await sb('GET', `/_sandbox/messages?since=${seq}`)).filter((m) =>
		m.text?.startsWith(`Echo: ${tag} `),
	);
	const distinct = new Set(replies.map((m) => m.text)).size;
	return {
		replies: replies.length,
		distinctReplies: distinct,
		duplicateReplies: replies.length - distinct,
		n,
		concurrency,
		tag,
		executions,
		accepted,
		stuck: after.stuck ?? 0,
		extra: executions - n,
		firstStatuses: statuses,
		redeliveryStatuses: redo,
		firstSeconds,
		againSeconds,
		seconds: (Date.now() - t0) / 1000,
	};
}

/** One line with everything a storm measured. */
export function stormFigures(r) {
	return [
		`${r.executions} executions for ${r.n} events (${r.extra} extra${r.stuck ? `, ${r.stuck} stuck in "new"` : ''})`,
		`${r.replies} replies, ${r.distinctReplies} distinct (${r.duplicateReplies} events answered twice, ${r.n - r.distinctReplies} never answered)`,
		`first pass ${r.firstSeconds.toFixed(1)} s, attempts ${JSON.stringify(r.firstStatuses)}`,
		`redeliveries ${r.againSeconds.toFixed(1)} s, attempts ${JSON.stringify(r.redeliveryStatuses)}`,
	].join('; ');
}
