import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { describeIndexes } from '../../nodes/Fiwano/actions/message/sendEngine';
import { API_KEY, fiwanoApi, fiwanoCredentials, runFiwano, setupHttp } from '../helpers/harness';
import { later, type LocalServer, startHttpServer, type TestResponse } from '../helpers/node';

setupHttp();

const CHANNEL = 'a0a0a0a0a0a0a001';

interface Msg {
	to: string;
	text: string;
}

/** Send Text (typeVersion 2) to `$json.to` with `$json.text`, `concurrency` in flight. */
const sendText = (concurrency?: number) => ({
	resource: 'message',
	operation: 'send',
	channelId: { __rl: true, mode: 'id', value: CHANNEL },
	recipient: '={{ $json.to }}',
	text: '={{ $json.text }}',
	options: concurrency === undefined ? {} : { concurrency },
});

const body = (m: Msg) => ({ channel_id: CHANNEL, recipient: m.to, text: m.text });
const sent = (id: string) => ({ success: true, message_id: id, status: 'sent' });

type Reply = [number, IDataObject] | [number, IDataObject, Record<string, string>];
type ReplyCallback = (error: Error | null, reply: Reply) => void;

/**
 * Records the order in which requests reach the API and how many are in flight at once;
 * `answer` decides each reply and when it is sent.
 */
function recorder() {
	const arrived: string[] = [];
	const inFlight = new Set<string>();
	let maxInFlight = 0;
	const waiters: Array<{ ready: () => boolean; go: () => void }> = [];
	const check = () => {
		for (const waiter of waiters.splice(0)) {
			if (waiter.ready()) waiter.go();
			else waiters.push(waiter);
		}
	};
	return {
		arrived,
		/** Re-evaluates the conditions of held answers (after a test's own timer changed state). */
		poke: check,
		get maxInFlight() {
			return maxInFlight;
		},
		/** An interceptor for message `m` that answers with `reply` once `ready()` holds. */
		intercept(
			scope: nock.Scope,
			m: Msg,
			reply: Reply,
			ready: () => boolean = () => true,
		): nock.Scope {
			return scope
				.post('/api/v1/messages/send', body(m))
				.reply((_uri, _body, callback: ReplyCallback) => {
					arrived.push(m.text);
					inFlight.add(m.text);
					maxInFlight = Math.max(maxInFlight, inFlight.size);
					const go = () => {
						inFlight.delete(m.text);
						callback(null, reply);
						check();
					};
					waiters.push({ ready, go });
					check();
					// A request whose condition never comes true still gets its answer, so a broken
					// router fails the assertions below instead of hanging the test.
					later(3000, () => {
						const index = waiters.findIndex((w) => w.go === go);
						if (index >= 0) waiters.splice(index, 1)[0].go();
					});
				});
		},
		has: (text: string) => arrived.includes(text),
		done: (text: string) => arrived.includes(text) && !inFlight.has(text),
	};
}

describe('router: concurrency and order', () => {
	it('sends to different recipients concurrently, up to the concurrency option', async () => {
		const msgs: Msg[] = [0, 1, 2, 3].map((i) => ({ to: `1555000000${i}`, text: `m${i}` }));
		const rec = recorder();
		const scope = fiwanoApi();
		// Every answer waits until three requests are in flight at once: only a router that
		// really runs three items together gets its answers without the 3 s fallback.
		for (const m of msgs)
			rec.intercept(scope, m, [200, sent(`id-${m.text}`)], () => rec.maxInFlight >= 3);
		const { items, error } = await runFiwano(sendText(3), {
			input: msgs as unknown as IDataObject[],
		});
		expect(error).toBeUndefined();
		expect(rec.maxInFlight).toBe(3);
		expect(items.map((i) => [i.json.message_id, i.pairedItem])).toEqual([
			['id-m0', { item: 0 }],
			['id-m1', { item: 1 }],
			['id-m2', { item: 2 }],
			['id-m3', { item: 3 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('never overlaps or reorders messages to one recipient, while others go past', async () => {
		const alice = '15550000001';
		const bob = '15550000002';
		const msgs: Msg[] = [
			{ to: alice, text: 'a1' },
			{ to: bob, text: 'b1' },
			{ to: alice, text: 'a2' },
			{ to: bob, text: 'b2' },
			{ to: alice, text: 'a3' },
		];
		const rec = recorder();
		const scope = fiwanoApi();
		let aliceOverlap = false;
		const alone = (text: string) => () => {
			// Alice's messages are answered only if no other message of hers is in flight.
			if (rec.arrived.filter((t) => t.startsWith('a') && !rec.done(t) && t !== text).length)
				aliceOverlap = true;
			return true;
		};
		// Alice's first answer waits until both of Bob's messages were sent: Bob is not held up
		// by Alice, and Alice's second message must not start before her first is answered.
		rec.intercept(scope, msgs[0], [200, sent('id-a1')], () => rec.done('b2'));
		rec.intercept(scope, msgs[1], [200, sent('id-b1')]);
		rec.intercept(scope, msgs[2], [200, sent('id-a2')], alone('a2'));
		rec.intercept(scope, msgs[3], [200, sent('id-b2')]);
		rec.intercept(scope, msgs[4], [200, sent('id-a3')], alone('a3'));
		const { items, error } = await runFiwano(sendText(5), {
			input: msgs as unknown as IDataObject[],
		});
		expect(error).toBeUndefined();
		expect(rec.arrived.filter((t) => t.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
		expect(rec.arrived.filter((t) => t.startsWith('b'))).toEqual(['b1', 'b2']);
		// Both of Bob's messages went out while Alice's first was still waiting for its answer.
		expect(rec.arrived.indexOf('b2')).toBeLessThan(rec.arrived.indexOf('a2'));
		expect(aliceOverlap).toBe(false);
		// Output stays in input order, each item paired with its input.
		expect(items.map((i) => [i.json.message_id, i.pairedItem])).toEqual([
			['id-a1', { item: 0 }],
			['id-b1', { item: 1 }],
			['id-a2', { item: 2 }],
			['id-b2', { item: 3 }],
			['id-a3', { item: 4 }],
		]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('router: retries', () => {
	it.each([
		[429, 'Rate limit exceeded'],
		[503, 'Temporarily overloaded'],
	])('a %i on one item repeats only that item’s request', async (status, detail) => {
		const msgs: Msg[] = [0, 1, 2].map((i) => ({ to: `1555000001${i}`, text: `r${i}` }));
		const rec = recorder();
		const scope = fiwanoApi();
		rec.intercept(scope, msgs[0], [200, sent('id-r0')]);
		rec.intercept(scope, msgs[1], [status, { detail }, { 'Retry-After': '0' }]);
		rec.intercept(scope, msgs[1], [200, sent('id-r1')]);
		rec.intercept(scope, msgs[2], [200, sent('id-r2')]);
		const { items, error } = await runFiwano(sendText(3), {
			input: msgs as unknown as IDataObject[],
		});
		expect(error).toBeUndefined();
		expect([...rec.arrived].sort()).toEqual(['r0', 'r1', 'r1', 'r2']);
		expect(items.map((i) => i.json.message_id)).toEqual(['id-r0', 'id-r1', 'id-r2']);
		expect(scope.isDone()).toBe(true);
	});

	it('does not send again after a 500: one request, an error item, the rest sent', async () => {
		const msgs: Msg[] = [0, 1, 2].map((i) => ({ to: `1555000002${i}`, text: `x${i}` }));
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', body(msgs[0]))
			.reply(200, sent('id-x0'))
			.post('/api/v1/messages/send', body(msgs[1]))
			.reply(500, { detail: 'Internal error' })
			.post('/api/v1/messages/send', body(msgs[2]))
			.reply(200, sent('id-x2'));
		// A second request for item 1 would find this interceptor.
		const again = fiwanoApi()
			.post('/api/v1/messages/send', body(msgs[1]))
			.reply(200, sent('id-dup'));
		const { items } = await runFiwano(sendText(3), {
			input: msgs as unknown as IDataObject[],
			continueOnFail: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(again.isDone()).toBe(false);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.message_id).toBe('id-x0');
		expect(items[1].json).toMatchObject({ error: 'Fiwano 500: Internal error', httpCode: '500' });
		expect(items[1].json.maybeSent).toBeUndefined();
		expect(items[2].json.message_id).toBe('id-x2');
	});
});

/**
 * Connections that break after the request was written, over a real loopback socket: nock's
 * replyWithError emits the socket error twice, and the second one, unhandled once n8n's HTTP
 * client has let go of the socket, fails whichever test is running. A client timeout is the
 * same case for the router (the transport flags both as maybe sent; its tests cover timeouts).
 */
describe('router: connections broken after the request was written', () => {
	let local: LocalServer | undefined;
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());
	afterEach(async () => {
		await local?.close();
		local = undefined;
	});

	/** A Fiwano stand-in: `answer` gets the request's text and replies with a sent body or resets. */
	async function fiwanoServer(
		answer: (text: string, res: TestResponse, reset: () => void) => void,
	) {
		local = await startHttpServer((req, res, raw) => {
			const text = String((JSON.parse(raw) as IDataObject).text);
			answer(text, res, () => req.socket.destroy());
		});
		return local;
	}

	const reply = (res: TestResponse, id: string) => {
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(sent(id)));
	};

	/** The requests the server received, as `METHOD path key body`, in arrival order. */
	const received = (server: LocalServer) =>
		server.requests.map((r) => `${r.method} ${r.url} ${String(r.headers['x-api-key'])} ${r.body}`);
	const request = (m: Msg) => `POST /api/v1/messages/send ${API_KEY} ${JSON.stringify(body(m))}`;

	it('does not send again after a connection reset: one request, an error item, the rest sent', async () => {
		const msgs: Msg[] = [0, 1, 2].map((i) => ({ to: `1555000002${i}`, text: `x${i}` }));
		const server = await fiwanoServer((text, res, reset) =>
			text === 'x1' ? reset() : reply(res, `id-${text}`),
		);
		const { items } = await runFiwano(sendText(3), {
			input: msgs as unknown as IDataObject[],
			continueOnFail: true,
			credentials: fiwanoCredentials({ baseUrl: server.url }),
		});
		expect([...received(server)].sort()).toEqual(msgs.map(request).sort());
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.message_id).toBe('id-x0');
		expect(items[1].json.error).toMatch(/ECONNRESET.*was not sent again/);
		expect(items[1].json.maybeSent).toBe(true);
		expect(items[2].json.message_id).toBe('id-x2');
	});

	it('lets items in flight finish, starts no new one, and flags a send that may have gone out', async () => {
		const msgs: Msg[] = [0, 1, 2, 3, 4, 5].map((i) => ({ to: `1555000005${i}`, text: `f${i}` }));
		// Item 0's connection breaks once items 1 and 2 are in flight; they are answered only
		// well after the failure reached the node.
		const held: Array<() => void> = [];
		let resetFirst: (() => void) | undefined;
		const server = await fiwanoServer((text, res, reset) => {
			if (text === 'f0') resetFirst = reset;
			else held.push(() => reply(res, `id-${text}`));
			if (resetFirst && held.length === 2) {
				resetFirst();
				later(600, () => held.forEach((answer) => answer()));
			}
		});
		const { error } = await runFiwano(sendText(3), {
			input: msgs as unknown as IDataObject[],
			credentials: fiwanoCredentials({ baseUrl: server.url }),
		});
		expect([...received(server)].sort()).toEqual(msgs.slice(0, 3).map(request).sort());
		const context = error?.context as IDataObject;
		expect(context.sentItems).toEqual([1, 2]);
		expect(context.failedItems).toEqual([0]);
		expect(context.maybeSentItems).toEqual([0]);
		expect(context.notAttemptedItems).toEqual([3, 4, 5]);
		expect(context.sent).toEqual([
			{ item: 1, message_ids: ['id-f1'] },
			{ item: 2, message_ids: ['id-f2'] },
		]);
		expect(error?.description).toContain('Of these, item 0 may have reached Fiwano anyway');
	});
});

describe('router: failures', () => {
	it('with Continue On Fail keeps every item, in input order, paired, errors in place', async () => {
		const msgs: Msg[] = [0, 1, 2, 3, 4].map((i) => ({ to: `1555000003${i}`, text: `c${i}` }));
		const rec = recorder();
		const scope = fiwanoApi();
		// Answers come back in reverse order; the output must not follow them.
		const after = (text: string) => () => rec.done(text);
		rec.intercept(scope, msgs[0], [200, sent('id-c0')], after('c1'));
		rec.intercept(scope, msgs[1], [400, { detail: 'Channel is inactive' }], after('c2'));
		rec.intercept(scope, msgs[2], [200, sent('id-c2')], after('c3'));
		rec.intercept(
			scope,
			msgs[3],
			[200, { success: false, status: 'failed', error: 'Recipient invalid', error_code: 131026 }],
			after('c4'),
		);
		rec.intercept(scope, msgs[4], [200, sent('id-c4')], () => rec.maxInFlight >= 5);
		const { items, error } = await runFiwano(sendText(5), {
			input: msgs as unknown as IDataObject[],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(rec.arrived.slice(-1)).toEqual(['c4']);
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items.map((i) => i.json.message_id ?? i.json.error)).toEqual([
			'id-c0',
			'Fiwano 400: Channel is inactive',
			'id-c2',
			expect.stringMatching(/Meta error 131026/),
			'id-c4',
		]);
		expect(items[1].json.httpCode).toBe('400');
		expect(scope.isDone()).toBe(true);
	});

	it('with "Continue (using error output)" sends failed items to the error output, paired', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', body({ to: '15550000040', text: 'e0' }))
			.reply(200, sent('id-e0'))
			.post('/api/v1/messages/send', body({ to: '15550000041', text: 'e1' }))
			.reply(404, { detail: 'Channel not found' });
		const { outputs, error } = await runFiwano(sendText(1), {
			input: [
				{ to: '15550000040', text: 'e0' },
				{ to: '15550000041', text: 'e1' },
			],
			onError: 'continueErrorOutput',
		});
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(2);
		expect(outputs[0].map((i) => [i.json.message_id, i.pairedItem])).toEqual([
			['id-e0', { item: 0 }],
		]);
		// `error` alone: the only shape both n8n 1.x and 2.x route to the error output.
		expect(outputs[1].map((i) => [Object.keys(i.json), i.json.error, i.pairedItem])).toEqual([
			[
				['error'],
				expect.objectContaining({ message: 'Fiwano 404: Channel not found', httpCode: '404' }),
				{ item: 1 },
			],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('stops at a failure and says which items were sent, failed and not attempted', async () => {
		const msgs: Msg[] = [0, 1, 2, 3, 4].map((i) => ({ to: `1555000004${i}`, text: `s${i}` }));
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', body(msgs[0]))
			.reply(200, sent('id-s0'))
			.post('/api/v1/messages/send', body(msgs[1]))
			.reply(200, sent('id-s1'))
			.post('/api/v1/messages/send', body(msgs[2]))
			.reply(404, { detail: 'Channel not found' });
		const rest = fiwanoApi().post('/api/v1/messages/send').reply(200, sent('id-never'));
		const { error } = await runFiwano(sendText(1), { input: msgs as unknown as IDataObject[] });
		expect(scope.isDone()).toBe(true);
		expect(rest.isDone()).toBe(false);
		expect(error?.message).toBe('Fiwano 404: Channel not found');
		const context = error?.context as IDataObject;
		expect(context.itemIndex).toBe(2);
		expect(context.sentItems).toEqual([0, 1]);
		expect(context.failedItems).toEqual([2]);
		expect(context.maybeSentItems).toEqual([]);
		expect(context.notAttemptedItems).toEqual([3, 4]);
		expect(context.sent).toEqual([
			{ item: 0, message_ids: ['id-s0'] },
			{ item: 1, message_ids: ['id-s1'] },
		]);
		expect(error?.description).toContain('Already sent, do not send again: items 0-1 (2 of 5');
		expect(error?.description).toContain('Failed: item 2 (item 2: Fiwano 404: Channel not found)');
		expect(error?.description).toContain('Not attempted: items 3-4.');
		// Fiwano's own words and the hint stay first.
		expect(error?.description).toMatch(/^Not found: the ID is wrong/);
	});
});

describe('router: a split text that fails midway', () => {
	it('reports the parts already sent, so only the rest is resent', async () => {
		const long = `${'A'.repeat(1500)}\n\n${'B'.repeat(1500)}`;
		const partOf = (letter: string) => (b: IDataObject) =>
			b.channel_id === CHANNEL &&
			b.recipient === '7890123456789012' &&
			String(b.text).startsWith(letter);
		const scope = fiwanoApi()
			.post('/api/v1/messages/send', partOf('A'))
			.reply(200, sent('id-p1'))
			.post('/api/v1/messages/send', partOf('B'))
			.reply(400, { detail: 'Channel is inactive' });
		const rest = fiwanoApi().post('/api/v1/messages/send').reply(200, sent('id-never'));
		const { error } = await runFiwano(
			{ ...sendText(1), options: { concurrency: 1, channelType: 'facebook' } },
			{
				input: [
					{ to: '7890123456789012', text: long },
					{ to: '7890123456789013', text: 'next' },
				],
			},
		);
		expect(scope.isDone()).toBe(true);
		expect(rest.isDone()).toBe(false);
		const context = error?.context as IDataObject;
		expect(context.sentItems).toEqual([]);
		expect(context.failedItems).toEqual([0]);
		expect(context.partlySent).toEqual([{ item: 0, message_ids: ['id-p1'] }]);
		expect(context.notAttemptedItems).toEqual([1]);
		expect(error?.description).toContain('Split into several messages, item 0 failed midway');
	});
});

describe('describeIndexes', () => {
	it('writes runs of items as ranges', () => {
		expect(describeIndexes([])).toBe('none');
		expect(describeIndexes([4])).toBe('4');
		expect(describeIndexes([0, 1, 2, 5, 7, 8, 10])).toBe('0-2, 5, 7-8, 10');
	});
});
