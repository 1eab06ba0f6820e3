import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as channel from './channel';
import { DEFAULT_CONCURRENCY } from './common.descriptions';
import * as contact from './contact';
import * as media from './media';
import * as message from './message';
import type {
	FiwanoMap,
	FiwanoOperation,
	FiwanoResource,
	OperationOutput,
	ResourceModule,
} from './node.type';
import * as redirect from './redirect';
import * as subscription from './subscription';
import * as template from './template';

const resources: { [R in FiwanoResource]: ResourceModule<R> } = {
	channel,
	contact,
	media,
	message,
	redirect,
	subscription,
	template,
};

function operationFor(ctx: IExecuteFunctions): FiwanoOperation {
	const resource = ctx.getNodeParameter('resource', 0) as FiwanoResource;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const module = resources[resource] as ResourceModule<FiwanoResource> | undefined;
	const op = module?.operations[operation as FiwanoMap[FiwanoResource]];
	if (!op) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	return op;
}

function toItems(output: OperationOutput, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(output) ? output : [output];
	return list.map((entry) => {
		const isExecutionData =
			entry !== null &&
			typeof entry === 'object' &&
			'json' in entry &&
			typeof entry.json === 'object';
		const item: INodeExecutionData = isExecutionData
			? { ...(entry as INodeExecutionData) }
			: { json: entry as IDataObject };
		item.pairedItem = { item: itemIndex };
		return item;
	});
}

/** The JSON of an error item under Continue On Fail: what failed, with status, code and hint. */
export function errorItemJson(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const e = error as Partial<NodeApiError>;
	if (e.description) json.description = e.description;
	if (e.httpCode) json.httpCode = e.httpCode;
	const context = (e.context ?? {}) as IDataObject;
	for (const key of [
		'status',
		'code',
		'hint',
		'detail',
		'retryAfter',
		'maybeSent',
		'sentParts',
		'request',
	]) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return json;
}

/**
 * n8n sends an item to the error output ("Continue (using error output)") only when its JSON
 * holds nothing else than `error`: 1.x accepts `error` alone or with `message`, 2.x also
 * `details` (WorkflowExecute.handleNodeErrorOutput in n8n-core 1.122 and 2.41). So there the
 * facts go into `error` as an object, `{ error: { message, httpCode, … } }`, as n8n's HTTP Request
 * node does with Continue On Fail.
 */
function errorItemFor(error: Error, toErrorOutput: boolean): IDataObject {
	const json = errorItemJson(error);
	if (!toErrorOutput) return json;
	const { error: message, ...details } = json;
	return { error: { message, ...details } };
}

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
	return context && typeof context === 'object' ? (context as IDataObject) : {};
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
			if (heap[parent] <= value) break;
			heap[i] = heap[parent];
			i = parent;
		}
		heap[i] = value;
	}

	pop(): number | undefined {
		const heap = this.heap;
		if (!heap.length) return undefined;
		const top = heap[0];
		const last = heap.pop() as number;
		if (heap.length) {
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				if (left >= heap.length) break;
				const right = left + 1;
				const child = right < heap.length && heap[right] < heap[left] ? right : left;
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
		message_ids: messageIdsOf(results[item] ?? []),
	}));
	// A split text that failed midway: its first parts went out (the send operation says which).
	const partlySent: IDataObject[] = [];
	for (const f of failures) {
		const parts = contextOf(f.error).sentParts;
		if (!Array.isArray(parts) || !parts.length) continue;
		const ids = parts
			.map((part) =>
				part && typeof part === 'object' ? (part as IDataObject).message_id : undefined,
			)
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

/**
 * The only loop over input items. It runs each item's operation, pairs every output item with
 * its input, handles Continue On Fail, and keeps output in input order.
 *
 * Sends run with bounded concurrency, but items with the same ordering key (channel +
 * recipient) run one after another in item order, so one person's messages never overtake
 * each other. Among the items free to start, the earliest in the input goes first. When an
 * item fails without Continue On Fail, no new item starts; the node waits for those in flight
 * and then fails, saying which items were already sent so a re-run can skip them.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const op = operationFor(this);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const orderingKey = op.orderingKey;
	const concurrent = typeof orderingKey === 'function';
	const limit = concurrent
		? Math.max(
				1,
				Math.floor(
					Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) || 1,
				),
			)
		: 1;
	const cancelSignal = this.getExecutionCancelSignal?.();

	const results: Array<INodeExecutionData[] | undefined> = new Array(items.length);
	const failures: Failure[] = [];

	// Items of one ordering key form a chain in input order; only a chain's head is runnable,
	// and an item that settles makes the next of its chain runnable.
	const nextOfKey: number[] = new Array(items.length).fill(-1);
	const keyErrors = new Map<number, Error>();
	const heads: number[] = [];
	const tails = new Map<string, number>();
	for (let i = 0; i < items.length; i++) {
		let key = '';
		if (orderingKey) {
			try {
				key = orderingKey.call(this, i);
			} catch (error) {
				// The item fails on its own turn, with the error its parameters raised.
				keyErrors.set(i, error as Error);
				key = `\u0000item ${i}`;
			}
		}
		const tail = tails.get(key);
		if (tail === undefined) {
			heads.push(i);
		} else {
			nextOfKey[tail] = i;
		}
		tails.set(key, i);
	}
	tails.clear();

	const runnable = new IndexHeap();
	for (const i of heads) runnable.push(i);

	let inFlight = 0;
	let stopped = false;
	let cancelled = false;

	const runItem = async (i: number): Promise<void> => {
		const keyError = keyErrors.get(i);
		try {
			if (keyError) throw keyError;
			const output = await op.execute.call(this, i);
			results[i] = toItems(output, i);
		} catch (error) {
			if (continueOnFail) {
				results[i] = [
					{ json: errorItemFor(error as Error, toErrorOutput), pairedItem: { item: i } },
				];
			} else {
				failures.push({ index: i, error: error as Error });
				stopped = true;
			}
		}
	};

	await new Promise<void>((finish) => {
		const pump = () => {
			if (!stopped && cancelSignal?.aborted) {
				stopped = true;
				cancelled = true;
			}
			while (!stopped && inFlight < limit && runnable.size) {
				const i = runnable.pop() as number;
				inFlight += 1;
				void runItem(i)
					.catch((error: Error) => {
						failures.push({ index: i, error });
						stopped = true;
					})
					.then(() => {
						inFlight -= 1;
						if (nextOfKey[i] >= 0) runnable.push(nextOfKey[i]);
						pump();
					});
			}
			if (inFlight === 0) finish();
		};
		pump();
	});

	if (failures.length || cancelled) {
		failures.sort((a, b) => a.index - b.index);
		const first = failures[0] as Failure | undefined;
		const report = concurrent || cancelled ? stopReport(results, failures, cancelled) : undefined;
		const itemIndex = first?.index;
		let error: NodeApiError | NodeOperationError;
		if (
			first &&
			(first.error instanceof NodeApiError || first.error instanceof NodeOperationError)
		) {
			error = first.error;
		} else if (first) {
			error = new NodeOperationError(this.getNode(), first.error, { itemIndex });
		} else {
			error = new NodeOperationError(
				this.getNode(),
				'The execution was cancelled before every item was sent',
			);
		}
		if (report) {
			error.description = [error.description, report.text].filter(Boolean).join(' ');
			error.context = { ...error.context, ...report.context };
		}
		if (itemIndex !== undefined) error.context = { ...error.context, itemIndex };
		throw error;
	}

	const output: INodeExecutionData[] = [];
	for (const r of results) if (r) output.push(...r);
	return [output];
}
