import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemRunner, RunItem } from '../node.type';

/**
 * Messages in flight at once unless the node's options say otherwise: enough to use the
 * documented 10 sends/s per channel when a send takes about a second (the gate prevents 429s).
 */
const DEFAULT_CONCURRENCY = 10;

/** The Concurrency option of the send operations; the engine reads it from `options.concurrency`. */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: DEFAULT_CONCURRENCY,
	description:
		'Messages in flight at once; messages to the same recipient always go in order. Fiwano accepts up to 10 sends per second per channel and the node paces itself to that.',
};

/** Item indexes as short ranges: `0-149, 151, 160-162`. */
export function describeIndexes(indexes: number[]): string {
	if (!indexes.length) return 'none';
	const parts: string[] = [];
	let first = indexes[0];
	let last = first;
	for (const index of indexes.slice(1).concat(Number.NaN)) {
		if (index === last + 1) {
			last = index;
			continue;
		}
		parts.push(first === last ? String(first) : `${first}-${last}`);
		first = index;
		last = index;
	}
	return parts.join(', ');
}

/** "item 3", "items 0-2, 5" or "none". */
function itemsText(indexes: number[]): string {
	if (!indexes.length) return 'none';
	return `${indexes.length === 1 ? 'item' : 'items'} ${describeIndexes(indexes)}`;
}

/** Message IDs in an item's output: one per output item (a split text gives one per part). */
function messageIdsOf(outputs: INodeExecutionData[]): string[] {
	return outputs
		.map(({ json }) => json.message_id)
		.filter((id): id is string => typeof id === 'string');
}

function contextOf(error: Error): IDataObject {
	const context = (error as Partial<NodeApiError>).context;
	return (context ?? {}) as IDataObject;
}

/** Binary min-heap of item indexes: the runnable item that comes first in the input. */
class IndexHeap {
	private readonly heap: number[] = [];

	get size(): number {
		return this.heap.length;
	}

	push(value: number): void {
		const heap = this.heap;
		heap.push(value);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			// Stryker disable next-line EqualityOperator: item indexes are unique, so < and <= agree
			if (heap[parent] <= value) break;
			heap[i] = heap[parent];
			i = parent;
		}
		heap[i] = value;
	}

	pop(): number | undefined {
		const heap = this.heap;
		const top = heap[0];
		const last = heap.pop() as number;
		if (heap.length) {
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				if (left >= heap.length) break;
				const right = left + 1;
				// Past the end heap[right] is undefined and `undefined < n` is false: the left child.
				// Stryker disable next-line EqualityOperator: item indexes are unique, so < and <= agree
				const child = heap[right] < heap[left] ? right : left;
				// Stryker disable next-line EqualityOperator: item indexes are unique, so > and >= agree
				if (heap[child] >= last) break;
				heap[i] = heap[child];
				i = child;
			}
			heap[i] = last;
		}
		return top;
	}
}

interface Failure {
	index: number;
	error: Error;
}

/**
 * The "already sent" report of a stopped batch: which items were sent (with their message
 * IDs), which failed (and whether a failed one may still have gone out), which never started.
 */
function stopReport(
	results: Array<INodeExecutionData[] | undefined>,
	failures: Failure[],
	cancelled: boolean,
): { text: string; context: IDataObject } {
	const sent: number[] = [];
	const notAttempted: number[] = [];
	const failedAt = new Map(failures.map((f) => [f.index, f.error]));
	for (let i = 0; i < results.length; i++) {
		if (results[i] !== undefined) sent.push(i);
		else if (!failedAt.has(i)) notAttempted.push(i);
	}
	const failed = failures.map((f) => f.index);
	const maybeSent = failures
		.filter((f) => contextOf(f.error).maybeSent === true)
		.map((f) => f.index);
	const sentDetails: IDataObject[] = sent.map((item) => ({
		item,
		// Stryker disable next-line ArrayDeclaration: unreachable, `sent` holds only items with a result
		message_ids: messageIdsOf(results[item] ?? []),
	}));
	// A split text that failed midway: its first parts went out (the send operation says which).
	const partlySent: IDataObject[] = [];
	for (const f of failures) {
		const parts = contextOf(f.error).sentParts;
		if (!Array.isArray(parts) || !parts.length) continue;
		const ids = parts
			.map((part) => (part as IDataObject | null)?.message_id)
			.filter((id): id is string => typeof id === 'string');
		partlySent.push({ item: f.index, message_ids: ids });
	}
	const reasons = failures
		.slice(0, 5)
		.map((f) => `item ${f.index}: ${f.error.message}`)
		.join('; ');
	const lines = [
		cancelled ? 'The execution was cancelled.' : undefined,
		`Already sent, do not send again: ${itemsText(sent)} (${sent.length} of ${results.length}; item numbers count from 0).`,
		`Failed: ${itemsText(failed)}${failures.length ? ` (${reasons}${failures.length > 5 ? '; …' : ''})` : ''}.`,
		maybeSent.length
			? `Of these, ${itemsText(maybeSent)} may have reached Fiwano anyway (the connection broke after the request was written): check the recipients' conversations before resending them.`
			: undefined,
		partlySent.length
			? `Split into several messages, ${itemsText(partlySent.map((p) => p.item as number))} failed midway: the first parts were sent; resend only the rest.`
			: undefined,
		`Not attempted: ${itemsText(notAttempted)}.`,
		"To finish the batch, send only the failed and not attempted items (this report is in the error's context: sentItems, failedItems, maybeSentItems, partlySent, notAttemptedItems).",
	];
	return {
		text: lines.filter(Boolean).join(' '),
		context: {
			sentItems: sent,
			failedItems: failed,
			maybeSentItems: maybeSent,
			partlySent,
			notAttemptedItems: notAttempted,
			sent: sentDetails,
		},
	};
}

/** The key of an item's ordered chain: items with equal keys run one after another, in item order. */
export type OrderingKey = (this: IExecuteFunctions, itemIndex: number) => string;

/**
 * The send engine: how a send operation's items run, ordered, concurrent and paced.
 *
 * An operation opts in by exporting what this returns as `runItems`:
 *
 * ```ts
 * export const runItems = sendEngine(orderingKey);
 * ```
 *
 * Without `runItems` the router runs items one after another; that is right for anything that
 * does not send in bulk (an operation that sends one question and then waits, for example,
 * may use either). With it:
 * - up to `options.concurrency` items (default {@link DEFAULT_CONCURRENCY}) are in flight;
 *   pacing to Fiwano's rate limit is the transport's rate gate, not this module's;
 * - items with the same `orderingKey` (channel + recipient) form a chain that runs in item
 *   order, one at a time, so one person's messages never overtake each other; among the items
 *   free to start, the earliest in the input goes first;
 * - an `orderingKey` that throws fails that item on its own turn, with the thrown error;
 * - when an item fails (the router's `runItem` throws: no Continue On Fail) or the execution is
 *   cancelled, no new item starts; the engine waits for those in flight and throws the first
 *   failure with a report of which items were sent, failed, may have been sent, and never
 *   started, so a re-run can skip what went out.
 * Output is in input order. Pairing and Continue On Fail stay the router's (`runItem`).
 */
export function sendEngine(orderingKey: OrderingKey): ItemRunner {
	return async function runItems(this: IExecuteFunctions, itemCount: number, runItem: RunItem) {
		const limit = Math.max(
			1,
			Math.floor(Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) || 1),
		);
		const cancelSignal = this.getExecutionCancelSignal?.();
		const results: Array<INodeExecutionData[] | undefined> = new Array(itemCount);
		const failures: Failure[] = [];

		// Items of one ordering key form a chain in input order; only a chain's head is runnable,
		// and an item that settles makes the next of its chain runnable.
		const nextOfKey: number[] = new Array(itemCount).fill(-1);
		const keyErrors = new Map<number, Error>();
		const runnable = new IndexHeap();
		const tails = new Map<string, number>();
		for (let i = 0; i < itemCount; i++) {
			// Stryker disable next-line StringLiteral: only a lone item keeps this key, and one key is as good as another for it
			let key = '';
			try {
				// One item has nothing to be ordered against: skip evaluating its key's expressions
				// (a bot's reply is one item per execution; this is its common path).
				if (itemCount > 1) key = orderingKey.call(this, i);
			} catch (error) {
				keyErrors.set(i, error as Error);
				key = `\u0000item ${i}`;
			}
			const tail = tails.get(key);
			if (tail === undefined) runnable.push(i);
			else nextOfKey[tail] = i;
			tails.set(key, i);
		}

		let inFlight = 0;
		let stopped = false;
		let cancelled = false;
		await new Promise<void>((finish) => {
			const pump = () => {
				if (!stopped && cancelSignal?.aborted) {
					stopped = true;
					cancelled = true;
				}
				while (!stopped && inFlight < limit && runnable.size) {
					const i = runnable.pop() as number;
					inFlight += 1;
					void runItem(i, keyErrors.get(i))
						.then(
							(output) => {
								results[i] = output;
							},
							(error: Error) => {
								failures.push({ index: i, error });
								stopped = true;
							},
						)
						.then(() => {
							inFlight -= 1;
							if (nextOfKey[i] !== -1) runnable.push(nextOfKey[i]);
							pump();
						});
				}
				if (inFlight === 0) finish();
			};
			pump();
		});

		if (failures.length || cancelled) {
			failures.sort((a, b) => a.index - b.index);
			const error =
				(failures[0]?.error as NodeApiError | NodeOperationError | undefined) ??
				new NodeOperationError(
					this.getNode(),
					'The execution was cancelled before every item was sent',
				);
			const report = stopReport(results, failures, cancelled);
			error.description = [error.description, report.text].filter(Boolean).join(' ');
			error.context = { ...error.context, ...report.context };
			throw error;
		}
		const output: INodeExecutionData[] = [];
		// Nothing failed and nothing was cancelled: every item has its output.
		for (const r of results) output.push(...(r as INodeExecutionData[]));
		return output;
	};
}
