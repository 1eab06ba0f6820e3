import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as channel from './channel';
import * as contact from './contact';
import * as media from './media';
import * as message from './message';
import type { FiwanoMap, FiwanoOperation, FiwanoResource, OperationOutput, ResourceModule } from './node.type';
import * as redirect from './redirect';
import * as template from './template';

const resources: { [R in FiwanoResource]: ResourceModule<R> } = {
	channel,
	contact,
	media,
	message,
	redirect,
	template,
};

/** Items in flight at once for message sends, unless the node's options say otherwise. */
export const DEFAULT_CONCURRENCY = 5;

function operationFor(ctx: IExecuteFunctions): FiwanoOperation {
	const resource = ctx.getNodeParameter('resource', 0) as FiwanoResource;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const module = resources[resource] as ResourceModule<FiwanoResource> | undefined;
	const op = module?.operations[operation as FiwanoMap[FiwanoResource]];
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	return op;
}

function toItems(output: OperationOutput, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(output) ? output : [output];
	return list.map((entry) => {
		const isExecutionData =
			entry !== null && typeof entry === 'object' && 'json' in entry && typeof entry.json === 'object';
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
	for (const key of ['status', 'code', 'hint', 'detail', 'retryAfter', 'maybeSent', 'request']) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return json;
}

function describeIndexes(indexes: number[]): string {
	return indexes.length ? indexes.join(', ') : 'none';
}

/**
 * The only loop over input items. It runs each item's operation, pairs every output item with
 * its input, handles Continue On Fail, and keeps output in input order.
 *
 * Sends run with bounded concurrency, but items with the same ordering key (channel +
 * recipient) run one after another in item order, so one person's messages never overtake
 * each other. When an item fails without Continue On Fail, no new item starts; the node waits
 * for those in flight and then fails, saying which items were already sent so a re-run can
 * skip them.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const op = operationFor(this);
	const continueOnFail = this.continueOnFail();
	const concurrent = typeof op.orderingKey === 'function';
	const limit = concurrent
		? Math.max(1, Math.floor(Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) || 1))
		: 1;

	const results: Array<INodeExecutionData[] | undefined> = new Array(items.length);
	const failures: Array<{ index: number; error: Error }> = [];
	const keys: string[] = [];
	for (let i = 0; i < items.length; i++) {
		keys.push(concurrent ? op.orderingKey!.call(this, i) : '');
	}

	const done = new Array<boolean>(items.length).fill(false);
	const started = new Array<boolean>(items.length).fill(false);
	const busyKeys = new Set<string>();
	let stopped = false;
	let wake: (() => void) | undefined;
	const signal = () => {
		const w = wake;
		wake = undefined;
		w?.();
	};

	/** The first item not yet started whose key is free; earlier items of a key always go first. */
	const nextRunnable = (): number | undefined => {
		const blocked = new Set<string>(busyKeys);
		for (let i = 0; i < items.length; i++) {
			if (started[i]) continue;
			if (!blocked.has(keys[i])) return i;
			blocked.add(keys[i]);
		}
		return undefined;
	};

	const runItem = async (i: number) => {
		try {
			const output = await op.execute.call(this, i);
			results[i] = toItems(output, i);
		} catch (error) {
			if (continueOnFail) {
				results[i] = [{ json: errorItemJson(error as Error), pairedItem: { item: i } }];
			} else {
				failures.push({ index: i, error: error as Error });
				stopped = true;
			}
		}
	};

	const worker = async () => {
		for (;;) {
			if (stopped) return;
			const i = nextRunnable();
			if (i === undefined) {
				if (started.every(Boolean)) return;
				await new Promise<void>((resolve) => {
					const previous = wake;
					wake = () => {
						previous?.();
						resolve();
					};
				});
				continue;
			}
			started[i] = true;
			busyKeys.add(keys[i]);
			await runItem(i);
			done[i] = true;
			busyKeys.delete(keys[i]);
			signal();
		}
	};

	await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));

	if (failures.length) {
		failures.sort((a, b) => a.index - b.index);
		const first = failures[0];
		const completed = results
			.map((r, i) => (r !== undefined ? i : -1))
			.filter((i) => i >= 0);
		const notRun = done.map((d, i) => (!d ? i : -1)).filter((i) => i >= 0 && !failures.some((f) => f.index === i));
		const error = first.error as NodeApiError | NodeOperationError;
		const report = concurrent
			? `Already sent (do not send again): items ${describeIndexes(completed)}. Failed: items ${describeIndexes(
					failures.map((f) => f.index),
				)}. Not attempted: items ${describeIndexes(notRun)}.`
			: undefined;
		if (error instanceof NodeApiError || error instanceof NodeOperationError) {
			if (report) {
				error.description = [error.description, report].filter(Boolean).join(' ');
				error.context = {
					...error.context,
					itemIndex: first.index,
					sentItems: completed,
					failedItems: failures.map((f) => f.index),
					notAttemptedItems: notRun,
					sent: completed.map((i) => ({
						item: i,
						message_ids: (results[i] ?? []).map((r) => r.json.message_id).filter(Boolean),
					})) as unknown as IDataObject,
				};
			} else {
				error.context = { ...error.context, itemIndex: first.index };
			}
			throw error;
		}
		throw new NodeApiError(this.getNode(), { message: String(first.error) } as JsonObject, {
			message: first.error?.message ?? String(first.error),
			description: report,
			itemIndex: first.index,
		});
	}

	const output: INodeExecutionData[] = [];
	for (const r of results) if (r) output.push(...r);
	return [output];
}
