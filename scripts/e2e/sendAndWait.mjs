// Send and Wait in real n8n: workflows/fiwano-approval.json asks the customer to confirm, and
// the answer comes (a) through the link — a link preview and a plain GET leave the execution
// waiting, the page's POST resumes it — (b) as a reply in the chat that quotes the question,
// and (c) from 20 conversations waiting at once while other messages keep arriving.
import { activateOnChannels, importWorkflow, waitForChannelWebhooks } from '../lib/stack.mjs';
import { executionCounts, settledCounts } from '../lib/storm.mjs';
import { httpJson, sleep, waitFor } from '../lib/util.mjs';

const LINK = /https?:\/\/\S+\/webhook-waiting\/\S+/;

export async function sendAndWaitChecks({ check, assert, stack, sb, CH, CUSTOMER, needs }) {
	const { client, credential, n8n } = stack;
	const messages = async () => await sb('GET', '/_sandbox/messages');
	const lastSeq = async () => Math.max(0, ...(await messages()).map((m) => m.seq));
	const botMessage = async (seq, recipient, pred, what) =>
		await waitFor(
			async () =>
				(await messages()).find((m) => m.seq > seq && m.recipient === recipient && pred(m)),
			{ timeoutMs: 30_000, intervalMs: 200, what },
		);
	const inbound = async (from, text, replyTo) =>
		await sb('POST', '/_sandbox/inbound', {
			channel_id: CH.whatsapp,
			from,
			text,
			...(replyTo ? { reply_to: replyTo } : {}),
		});
	/** The customer writes "cancel …" and gets the question with its link. */
	const askedBy = async (from, order) => {
		const seq = await lastSeq();
		await inbound(from, `cancel ${order}`);
		const question = await botMessage(
			seq,
			from,
			(m) => LINK.test(m.text ?? ''),
			`the question with a link to ${from}`,
		);
		assert(
			question.text.startsWith(`Cancel ${order}? This cannot be undone.`),
			`question text ${JSON.stringify(question.text)}`,
		);
		return { question, link: LINK.exec(question.text)[0], seq };
	};
	let wf;
	let hookUrl;
	const count = async (status) => await client.executionCount(wf.id, status);
	/** Attempts to deliver to this workflow, after sandbox log entry `since`. */
	const deliveries = async (since = 0) =>
		(await sb('GET', `/_sandbox/deliveries?since=${since}`)).filter((d) => d.url === hookUrl);
	/** How many deliveries' last attempt failed, so that Fiwano will send them again. */
	const pendingRetries = async () => {
		const last = new Map();
		for (const d of await deliveries()) last.set(d.delivery_id, d.outcome);
		return [...last.values()].filter((outcome) => outcome === 'retrying').length;
	};

	const ACT = 'Send and Wait: the approval workflow activates on every channel';
	await check(
		ACT,
		async () => {
			wf = await importWorkflow(client, 'fiwano-approval.json', { credential });
			({ hookUrl } = await activateOnChannels(client, wf, {
				n8nUrl: n8n.url,
				sb,
				channelIds: Object.values(CH),
			}));
			return hookUrl;
		},
		{ needs },
	);

	await check(
		'Send and Wait by link: a link preview and a GET leave it waiting, only the page’s POST resumes',
		async () => {
			const from = CUSTOMER.whatsapp;
			const { link } = await askedBy(from, '1042');
			const waiting = async () => await count('waiting');
			await waitFor(async () => (await waiting()) === 1, {
				timeoutMs: 20_000,
				what: 'one waiting execution',
			});
			const preview = await httpJson(link, {
				headers: { 'user-agent': 'WhatsApp/2.23.20.0 A' },
				timeoutMs: 20_000,
			});
			const page = await httpJson(link, { timeoutMs: 20_000 });
			assert(
				preview.status === 200 && page.status === 200 && page.text.includes('<form method="post">'),
				`GET → ${preview.status}/${page.status}: ${page.text.slice(0, 200)}`,
			);
			await sleep(1500);
			assert((await waiting()) === 1, 'a GET resumed the execution');
			const seq = await lastSeq();
			const posted = await fetch(link, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'choice=approve',
				signal: AbortSignal.timeout(20_000),
			});
			const body = await posted.text();
			assert(
				posted.status === 200 && body.includes('Your answer was recorded'),
				`POST → ${posted.status}: ${body.slice(0, 200)}`,
			);
			const done = await botMessage(
				seq,
				from,
				(m) => m.text === 'Done: your order is cancelled.',
				'the follow-up after the link answer',
			);
			const again = await fetch(link, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'choice=approve',
				signal: AbortSignal.timeout(20_000),
			});
			const againText = await again.text();
			assert(!againText.includes('Your answer was recorded'), 'a second answer was recorded');
			return `preview + GET kept it waiting; POST → "${done.text}"; a second POST → ${again.status}`;
		},
		{ needs: [ACT] },
	);

	await check(
		'Send and Wait by reply: "yes" quoting the question resumes it and starts no execution',
		async () => {
			const from = CUSTOMER.whatsapp;
			const { question } = await askedBy(from, '7');
			await waitFor(async () => (await count('waiting')) === 1, {
				timeoutMs: 20_000,
				what: 'the question execution to wait',
			});
			const before = await count();
			const seq = await lastSeq();
			await inbound(from, 'yes', question.message_id);
			const done = await botMessage(
				seq,
				from,
				(m) => m.text === 'Done: your order is cancelled.',
				'the follow-up after the reply',
			);
			await sleep(1500);
			const after = await count();
			assert(after === before, `the reply started ${after - before} execution(s)`);
			assert((await count('waiting')) === 0, 'the execution still waits');
			return `reply "yes" → "${done.text}", executions ${before} → ${after}`;
		},
		{ needs: [ACT] },
	);

	await check(
		'Send and Wait under load: 20 conversations wait while 10 other messages a second arrive; every reply resumes its own',
		async () => {
			const people = Array.from({ length: 20 }, (_, i) => `1555777${String(i).padStart(4, '0')}`);
			// Asked a few at a time (people do not all write in the same second); then all wait.
			const questions = [];
			for (let i = 0; i < people.length; i += 5) {
				questions.push(
					...(await Promise.all(
						people.slice(i, i + 5).map((p, j) => askedBy(p, `${500 + i + j}`)),
					)),
				);
			}
			await waitFor(async () => (await count('waiting')) === people.length, {
				timeoutMs: 60_000,
				what: '20 waiting executions',
			});
			const { total: before } = await executionCounts(client, wf.id);
			const seq = await lastSeq();
			const deliverySeq = Math.max(0, ...(await deliveries()).map((d) => d.seq));
			// 10 other messages a second for a fixed 10 s, the replies 1 s in. Fixed, not "until
			// the follow-ups arrive": on these two cores n8n finishes 3–7 of this workflow's
			// executions a second (1.123.81 fewer than 2.41.1), so a backlog builds either way;
			// an open-ended stream made the check's length depend on how fast it drained.
			const NOISE_PER_SECOND = 10;
			const NOISE_SECONDS = 10;
			let noise = 0;
			const noiseLoop = (async () => {
				for (let s = 0; s < NOISE_SECONDS; s += 1) {
					const t0 = Date.now();
					await Promise.all(
						Array.from({ length: NOISE_PER_SECOND }, () => {
							noise += 1;
							return inbound(`1444000${String(noise).padStart(4, '0')}`, `hello ${noise}`);
						}),
					);
					await sleep(Math.max(0, 1000 - (Date.now() - t0)));
				}
			})();
			await sleep(1000);
			await Promise.all(
				questions.map(({ question }, i) => inbound(people[i], 'yes', question.message_id)),
			);
			const t0 = Date.now();
			const follow = await waitFor(
				async () => {
					const all = (await messages()).filter(
						(m) => m.seq > seq && m.text === 'Done: your order is cancelled.',
					);
					return all.length >= people.length && all;
				},
				{ timeoutMs: 120_000, intervalMs: 500, what: '20 follow-ups' },
			);
			const followSeconds = (Date.now() - t0) / 1000;
			await noiseLoop;
			const got = follow.map((m) => m.recipient).sort();
			assert(
				JSON.stringify(got) === JSON.stringify([...people].sort()),
				`follow-ups went to ${JSON.stringify(got)}`,
			);
			// Every other message starts one execution; no reply does. A delivery n8n did not
			// answer within 5 s is sent again by Fiwano 30 s later (then 1, 2 … minutes): wait
			// until none is due, then while the backlog drains (nothing moving for 20 s ends it),
			// then for 3 s of quiet.
			let settled;
			do {
				await waitFor(async () => (await pendingRetries()) === 0, {
					timeoutMs: 5 * 60_000,
					intervalMs: 1000,
					what: 'the deliveries Fiwano will send again',
				});
				settled = await settledCounts(client, wf.id, {
					atLeast: before + noise,
					timeoutMs: 5 * 60_000,
				});
			} while ((await pendingRetries()) > 0);
			const resent = new Set(
				(await deliveries(deliverySeq)).filter((d) => d.attempt > 1).map((d) => d.delivery_id),
			).size;
			const drainSeconds = (Date.now() - t0) / 1000;
			assert(!settled.stuck, `${settled.stuck} execution(s) never finished`);
			const extra = settled.total - before - noise;
			assert(extra === 0, `${extra} execution(s) beyond one per other message`);
			const waitingLeft = await count('waiting');
			assert(waitingLeft === 0, `${waitingLeft} execution(s) still wait`);
			return `20/20 replies resumed their own execution among ${noise} other messages (follow-ups within ${followSeconds.toFixed(1)} s, all ${noise} other executions done within ${drainSeconds.toFixed(1)} s, ${resent} deliveries sent again after n8n answered late); 0 extra executions, 0 left waiting`;
		},
		{ needs: [ACT] },
	);

	await check(
		'Send and Wait: deactivating the approval workflow clears the channels',
		async () => {
			await client.deactivate(wf.id);
			await waitForChannelWebhooks(sb, Object.values(CH), undefined);
		},
		{ needs: [ACT] },
	);
}
