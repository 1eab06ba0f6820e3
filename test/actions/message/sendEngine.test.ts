import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeIndexes, sendEngine } from '../../../nodes/Fiwano/actions/message/sendEngine';
import type { RunItem } from '../../../nodes/Fiwano/actions/node.type';
import { delay } from '../../helpers/node';
import { UNIT_NODE } from '../../helpers/unitNode';

const NODE = UNIT_NODE;

/** The few context calls the engine makes: the concurrency option, the node, the cancel signal. */
function context(concurrency?: unknown, signal?: AbortSignal): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _index: number, fallback: unknown) =>
			name === 'options.concurrency' && concurrency !== undefined ? concurrency : fallback,
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
	} as unknown as IExecuteFunctions;
}

/** A runItem whose items finish when the test says so; it records starts and the most in flight. */
function controlledItems() {
	const started: number[] = [];
	const finishers = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
	let inFlight = 0;
	let most = 0;
	const runItem: RunItem = async (itemIndex, failure) => {
		if (failure) throw failure;
		started.push(itemIndex);
		inFlight += 1;
		most = Math.max(most, inFlight);
		try {
			await new Promise<void>((ok, fail) => finishers.set(itemIndex, { ok, fail }));
		} finally {
			inFlight -= 1;
		}
		return [{ json: { message_id: `m${itemIndex}` }, pairedItem: { item: itemIndex } }];
	};
	return {
		runItem,
		started,
		most: () => most,
		finish: (i: number) => finishers.get(i)?.ok(),
		fail: (i: number, e: Error) => finishers.get(i)?.fail(e),
	};
}

/** Lets every pending promise callback run (a macrotask turn; no clock involved). */
const tick = async () => await delay(0);
const byItem = (keys: string[]) =>
	function (this: IExecuteFunctions, i: number) {
		return keys[i];
	};

describe('send engine', () => {
	it('runs up to the concurrency option, earliest runnable item first, output in input order', async () => {
		const items = controlledItems();
		const run = sendEngine(byItem(['a', 'b', 'c', 'd', 'e'])).call(context(2), 5, items.runItem);
		await tick();
		expect(items.started).toEqual([0, 1]);
		items.finish(1);
		await tick();
		expect(items.started).toEqual([0, 1, 2]);
		items.finish(0);
		await tick();
		expect(items.started).toEqual([0, 1, 2, 3]);
		for (const i of [4, 3, 2]) {
			items.finish(i);
			await tick();
		}
		items.finish(4);
		const output = await run;
		expect(output.map((o) => o.json.message_id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
		expect(items.most()).toBe(2);
	});

	it('runs where n8n has no cancel signal to give (getExecutionCancelSignal is missing)', async () => {
		const ctx = context(2) as unknown as Record<string, unknown>;
		delete ctx.getExecutionCancelSignal;
		const items = controlledItems();
		const run = sendEngine(byItem(['a', 'b'])).call(
			ctx as unknown as IExecuteFunctions,
			2,
			items.runItem,
		);
		await tick();
		items.finish(0);
		items.finish(1);
		expect((await run).map((o) => o.json.message_id)).toEqual(['m0', 'm1']);
	});

	it('runs items of one key one after another, in item order, while others go past', async () => {
		const items = controlledItems();
		const keys = ['x', 'x', 'y', 'x', 'y'];
		const run = sendEngine(byItem(keys)).call(context(10), 5, items.runItem);
		await tick();
		expect(items.started).toEqual([0, 2]);
		items.finish(2);
		await tick();
		expect(items.started).toEqual([0, 2, 4]);
		items.finish(0);
		await tick();
		expect(items.started).toEqual([0, 2, 4, 1]);
		items.finish(1);
		await tick();
		expect(items.started).toEqual([0, 2, 4, 1, 3]);
		items.finish(3);
		items.finish(4);
		expect(await run).toHaveLength(5);
	});

	it('one at a time, always starts the earliest item, whichever chains become free', async () => {
		const keys = ['x', 'y', 'x', 'z', 'y', 'y', 'w', 'x', 'z', 'v', 'w', 'x', 'u', 'y', 'x', 't'];
		const items = controlledItems();
		const run = sendEngine(byItem(keys)).call(context(1), keys.length, items.runItem);
		for (let i = 0; i < keys.length; i++) {
			await tick();
			expect(items.started).toEqual(keys.slice(0, i + 1).map((_, j) => j));
			items.finish(i);
		}
		expect(await run).toHaveLength(keys.length);
	});

	it('with room for more, prefers the earliest free item over later heads', async () => {
		// Concurrency 3: 0, 1, 2 start (keys a, b, c); 3 and 4 wait behind 0 and 1, 5 (d) waits for room.
		const keys = ['a', 'b', 'c', 'a', 'b', 'd', 'e'];
		const items = controlledItems();
		const run = sendEngine(byItem(keys)).call(context(3), keys.length, items.runItem);
		await tick();
		expect(items.started).toEqual([0, 1, 2]);
		items.finish(1);
		await tick();
		// Item 4 (b, now free) comes before 5 and 6.
		expect(items.started).toEqual([0, 1, 2, 4]);
		items.finish(0);
		await tick();
		expect(items.started).toEqual([0, 1, 2, 4, 3]);
		items.finish(2);
		await tick();
		expect(items.started).toEqual([0, 1, 2, 4, 3, 5]);
		for (const i of [3, 4, 5, 6]) {
			items.finish(i);
			await tick();
		}
		expect(items.started).toEqual([0, 1, 2, 4, 3, 5, 6]);
		expect(await run).toHaveLength(7);
	});

	it.each([
		[undefined, 10],
		[3, 3],
		[0, 1],
		[2.7, 2],
		['nonsense', 1],
	])('reads concurrency %p as %p in flight', async (concurrency, expected) => {
		const items = controlledItems();
		const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
		const run = sendEngine(byItem(keys)).call(context(concurrency), 12, items.runItem);
		await tick();
		expect(items.started).toHaveLength(expected);
		for (let round = 0; round < 12; round++) {
			for (const i of items.started) items.finish(i);
			await tick();
		}
		expect(await run).toHaveLength(12);
		expect(items.most()).toBe(expected);
	});

	it('fails an item whose ordering key throws on its own turn, with that error', async () => {
		const keyError = new Error('broken key');
		const calls: Array<[number, Error | undefined]> = [];
		const runItem: RunItem = async (i, failure) => {
			calls.push([i, failure]);
			if (failure) return [{ json: { error: failure.message }, pairedItem: { item: i } }];
			return [{ json: { ok: i }, pairedItem: { item: i } }];
		};
		const key = function (this: IExecuteFunctions, i: number) {
			if (i === 1) throw keyError;
			return 'same';
		};
		const output = await sendEngine(key).call(context(1), 3, runItem);
		expect(calls).toEqual([
			[0, undefined],
			[1, keyError],
			[2, undefined],
		]);
		expect(output.map((o) => o.json)).toEqual([{ ok: 0 }, { error: 'broken key' }, { ok: 2 }]);
	});

	it('evaluates no ordering key for a single item, and every key for two', async () => {
		const asked: number[] = [];
		const key = function (this: IExecuteFunctions, i: number) {
			asked.push(i);
			throw new Error('a key was evaluated');
		};
		const runItem: RunItem = async (i, failure) => [
			{ json: { ok: i, failure: failure?.message ?? null }, pairedItem: { item: i } },
		];
		const one = await sendEngine(key).call(context(), 1, runItem);
		expect(asked).toEqual([]);
		expect(one.map((o) => o.json)).toEqual([{ ok: 0, failure: null }]);
		await sendEngine(key).call(context(), 2, runItem);
		expect(asked).toEqual([0, 1]);
	});

	it('stops at a failure: starts nothing new, waits for those in flight, reports what went out', async () => {
		const items = controlledItems();
		const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
		const run = sendEngine(byItem(keys)).call(context(3), 6, items.runItem);
		await tick();
		expect(items.started).toEqual([0, 1, 2]);
		items.finish(0);
		await tick();
		const failure = new NodeOperationError(NODE, 'Fiwano said no', {
			itemIndex: 3,
			description: 'Because.',
		});
		failure.context = {
			maybeSent: true,
			sentParts: [{ part: 1, message_id: 'p1' }, 'junk', null],
		};
		items.fail(3, failure);
		await tick();
		expect(items.started).toEqual([0, 1, 2, 3]);
		items.finish(1);
		items.finish(2);
		const error = (await run.catch((e: Error) => e)) as NodeOperationError;
		expect(error).toBe(failure);
		expect(error.context).toStrictEqual({
			maybeSent: true,
			sentParts: [{ part: 1, message_id: 'p1' }, 'junk', null],
			sentItems: [0, 1, 2],
			failedItems: [3],
			maybeSentItems: [3],
			partlySent: [{ item: 3, message_ids: ['p1'] }],
			notAttemptedItems: [4, 5],
			sent: [
				{ item: 0, message_ids: ['m0'] },
				{ item: 1, message_ids: ['m1'] },
				{ item: 2, message_ids: ['m2'] },
			],
		});
		expect(error.description).toBe(
			'Because. Already sent, do not send again: items 0-2 (3 of 6; item numbers count from 0). ' +
				'Failed: item 3 (item 3: Fiwano said no). ' +
				"Of these, item 3 may have reached Fiwano anyway (the connection broke after the request was written): check the recipients' conversations before resending them. " +
				'Split into several messages, item 3 failed midway: the first parts were sent; resend only the rest. ' +
				'Not attempted: items 4-5. ' +
				"To finish the batch, send only the failed and not attempted items (this report is in the error's context: sentItems, failedItems, maybeSentItems, partlySent, notAttemptedItems).",
		);
	});

	it('throws the earliest failed item and lists up to five reasons', async () => {
		const runItem: RunItem = async (i) => {
			if (i === 0) {
				return [
					{ json: { message_id: 'm0' }, pairedItem: { item: 0 } },
					{ json: { note: 'no id' }, pairedItem: { item: 0 } },
				];
			}
			throw new NodeApiError(NODE, { message: `no ${i}` }, { message: `no ${i}`, itemIndex: i });
		};
		const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
		const error = (await sendEngine(byItem(keys))
			.call(context(8), 8, runItem)
			.catch((e: Error) => e)) as NodeApiError;
		expect(error.message).toBe('no 1');
		expect(error.context.failedItems).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(error.context.maybeSentItems).toEqual([]);
		expect(error.context.partlySent).toEqual([]);
		expect(error.context.sent).toStrictEqual([{ item: 0, message_ids: ['m0'] }]);
		expect(error.description).toContain(
			'Failed: items 1-7 (item 1: no 1; item 2: no 2; item 3: no 3; item 4: no 4; item 5: no 5; …).',
		);
		expect(error.description).toContain('Already sent, do not send again: item 0 (1 of 8;');
		expect(error.description).toContain('Not attempted: none.');
		expect(error.description).not.toContain('may have reached Fiwano');
		expect(error.description).not.toContain('failed midway');
	});

	it('reports the earliest item as the failure even when a later one failed first', async () => {
		const items = controlledItems();
		const run = sendEngine(byItem(['a', 'b', 'c'])).call(context(3), 3, items.runItem);
		await tick();
		const second = new NodeOperationError(NODE, 'second');
		const first = new NodeOperationError(NODE, 'first');
		items.fail(2, second);
		await tick();
		items.fail(1, first);
		items.finish(0);
		const error = (await run.catch((e: Error) => e)) as NodeOperationError;
		expect(error).toBe(first);
		expect(error.context.failedItems).toEqual([1, 2]);
		expect(error.description).toContain('Failed: items 1-2 (item 1: first; item 2: second).');
	});

	it('lists five reasons without an ellipsis', async () => {
		const runItem: RunItem = async (i) => {
			throw new NodeOperationError(NODE, `no ${i}`);
		};
		const keys = ['a', 'b', 'c', 'd', 'e'];
		const error = (await sendEngine(byItem(keys))
			.call(context(5), 5, runItem)
			.catch((e: Error) => e)) as NodeOperationError;
		expect(error.description).toContain(
			'Failed: items 0-4 (item 0: no 0; item 1: no 1; item 2: no 2; item 3: no 3; item 4: no 4).',
		);
	});

	it('gives each item whose key throws a chain of its own', async () => {
		const started: number[] = [];
		const release: Array<() => void> = [];
		const runItem: RunItem = async (i, failure) => {
			started.push(i);
			await new Promise<void>((ok) => release.push(ok));
			return [{ json: { failed: failure?.message ?? null }, pairedItem: { item: i } }];
		};
		const key = function (this: IExecuteFunctions, i: number): string {
			throw new Error(`key ${i}`);
		};
		const run = sendEngine(key).call(context(2), 2, runItem);
		await tick();
		expect(started).toEqual([0, 1]);
		for (const ok of release) ok();
		expect((await run).map((o) => o.json.failed)).toEqual(['key 0', 'key 1']);
	});

	it('a cancel after a failure does not call the batch cancelled', async () => {
		const abort = new AbortController();
		const items = controlledItems();
		const run = sendEngine(byItem(['a', 'b', 'c'])).call(
			context(2, abort.signal),
			3,
			items.runItem,
		);
		await tick();
		items.fail(0, new NodeOperationError(NODE, 'no'));
		await tick();
		abort.abort();
		items.finish(1);
		const error = (await run.catch((e: Error) => e)) as NodeOperationError;
		expect(error.message).toBe('no');
		expect(error.description).toMatch(/^Already sent, do not send again: item 1 \(1 of 3;/);
		expect(error.context.notAttemptedItems).toEqual([2]);
	});

	it('reports a plain error too (no context)', async () => {
		const runItem: RunItem = async (i) => {
			if (i === 1) throw new Error('plain');
			return [{ json: { message_id: `m${i}` }, pairedItem: { item: i } }];
		};
		const error = (await sendEngine(byItem(['a', 'b']))
			.call(context(1), 2, runItem)
			.catch((e: Error) => e)) as NodeOperationError;
		expect(error.message).toBe('plain');
		expect(error.context).toStrictEqual({
			sentItems: [0],
			failedItems: [1],
			maybeSentItems: [],
			partlySent: [],
			notAttemptedItems: [],
			sent: [{ item: 0, message_ids: ['m0'] }],
		});
	});

	it('on cancel starts nothing new and says what was sent', async () => {
		const abort = new AbortController();
		const items = controlledItems();
		const run = sendEngine(byItem(['a', 'b', 'c'])).call(
			context(1, abort.signal),
			3,
			items.runItem,
		);
		await tick();
		abort.abort();
		items.finish(0);
		const error = (await run.catch((e: Error) => e)) as NodeOperationError;
		expect(items.started).toEqual([0]);
		expect(error.message).toBe('The execution was cancelled before every item was sent');
		expect(error.description).toMatch(
			/^The execution was cancelled\. Already sent, do not send again: item 0 \(1 of 3;.*Failed: none\..*Not attempted: items 1-2\./,
		);
		expect(error.context.notAttemptedItems).toEqual([1, 2]);
	});

	it('returns nothing for no items', async () => {
		const runItem: RunItem = async () => {
			throw new Error('not called');
		};
		const output: INodeExecutionData[] = await sendEngine(byItem([])).call(context(), 0, runItem);
		expect(output).toEqual([]);
	});
});

describe('describeIndexes', () => {
	it('writes runs of items as ranges', () => {
		expect(describeIndexes([])).toBe('none');
		expect(describeIndexes([4])).toBe('4');
		expect(describeIndexes([0, 1, 2, 5, 7, 8, 10])).toBe('0-2, 5, 7-8, 10');
	});
});
