// `npm run test:e2e`: redeliveries under load against the published echo bot (regular mode, one
// n8n process). Fiwano redelivers an event whenever n8n did not answer 2xx within 5 s, which is
// exactly when deliveries overlap; every redelivery must still start no second execution.
//   E2E_STORM_N (500) distinct events at E2E_STORM_CONCURRENCY (20), then all of them again;
//   a redelivery that arrives while the first delivery's execution is still running.
import { executionCounts, runStorm, settledCounts, stormFigures } from '../lib/storm.mjs';
import { sleep, waitFor } from '../lib/util.mjs';

const N = Number(process.env.E2E_STORM_N || 500);
const C = Number(process.env.E2E_STORM_CONCURRENCY || 20);

export async function stormChecks({
	check,
	assert,
	sb,
	client,
	wf,
	channelId,
	from,
	needs,
	quietMs = 3000,
	say,
}) {
	// 500 replies on one channel would otherwise wait for the sandbox's 10 sends/s per channel.
	const { perChannelSendsPerSecond } = await sb('GET', '/_sandbox/config');
	await sb('POST', '/_sandbox/config', { perChannelSendsPerSecond: 100_000 });
	try {
		await check(
			`redelivery storm: ${N} distinct events at concurrency ${C}, then all ${N} again → ${N} executions, ${N} replies`,
			async () => {
				const r = await runStorm({
					sb,
					client,
					workflowId: wf.id,
					channelId,
					from,
					n: N,
					concurrency: C,
					quietMs,
					say,
				});
				const figures = stormFigures(r);
				say?.(`storm: ${figures}`);
				assert(r.duplicateReplies === 0, `${r.duplicateReplies} events answered twice: ${figures}`);
				assert(r.extra === 0, `${r.extra} extra executions: ${figures}`);
				assert(r.replies === N && r.distinctReplies === N, `replies: ${figures}`);
				return figures;
			},
			{ needs },
		);

		await check(
			'a redelivery that arrives while the first delivery is still running starts no second execution',
			async () => {
				const before = await settledCounts(client, wf.id, { quietMs: 500 });
				const seq = Math.max(0, ...(await sb('GET', '/_sandbox/messages')).map((m) => m.seq));
				const tag = `held-${Date.now().toString(36)}`;
				// The sandbox holds every API request 4 s: the execution sits in its send while we redeliver.
				await sb('POST', '/_sandbox/config', { latencyMs: 4000 });
				let held;
				try {
					const event = {
						event: 'message.received',
						channel_id: channelId,
						channel_type: 'whatsapp',
						timestamp: new Date().toISOString(),
						data: { message_id: `wamid.${tag}`, from, from_name: 'Held', type: 'text', text: tag },
					};
					const first = await sb('POST', '/_sandbox/deliver', { channel_id: channelId, event });
					assert(first.status === 200, `first delivery answered ${first.status}`);
					held = await waitFor(
						async () =>
							(await sb('GET', '/_sandbox/log')).find(
								(e) =>
									e.path === '/api/v1/messages/send' &&
									e.body?.text === `Echo: ${tag}` &&
									!e.status,
							),
						{
							timeoutMs: 20_000,
							intervalMs: 100,
							what: 'the first execution to be sending its reply',
						},
					);
					const running = await executionCounts(client, wf.id);
					assert(
						running.total > running.done,
						`no execution running while the send is held (${JSON.stringify(running)})`,
					);
					const again = await sb('POST', '/_sandbox/redeliver', { delivery_id: first.delivery_id });
					assert(again.status >= 200 && again.status < 300, `redelivery answered ${again.status}`);
					await sleep(500);
				} finally {
					await sb('POST', '/_sandbox/config', { latencyMs: 0 });
				}
				const after = await settledCounts(client, wf.id, { atLeast: before.total + 1, quietMs });
				const replies = (await sb('GET', `/_sandbox/messages?since=${seq}`)).filter(
					(m) => m.text === `Echo: ${tag}`,
				);
				assert(
					after.total - before.total === 1,
					`${after.total - before.total} executions, want 1 (${replies.length} replies)`,
				);
				assert(replies.length === 1, `${replies.length} replies, want 1`);
				return `redelivered while the execution held its send (sandbox log #${held.seq}); 1 execution, 1 reply`;
			},
			{ needs },
		);
	} finally {
		await sb('POST', '/_sandbox/config', { perChannelSendsPerSecond });
	}
}
