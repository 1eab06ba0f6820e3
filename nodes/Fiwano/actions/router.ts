import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as channel from './channel';
import * as contact from './contact';
import * as media from './media';
import * as message from './message';
import type {
	FiwanoMap,
	FiwanoOperation,
	FiwanoResource,
	OperationOutput,
	ResourceModule,
	ResourceModules,
	RunItem,
} from './node.type';
import * as redirect from './redirect';
import * as subscription from './subscription';
import * as template from './template';

const resources: ResourceModules = {
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

/** What an error item under Continue On Fail keeps from the error's context. */
const ERROR_FACTS = 'status code hint detail retryAfter maybeSent sentParts request'.split(' ');

/**
 * The JSON of an error item under Continue On Fail: what failed, with status, code and hint.
 * n8n sends an item to the error output ("Continue (using error output)") only when its JSON
 * holds nothing else than `error`: 1.x accepts `error` alone or with `message`, 2.x also
 * `details` (WorkflowExecute.handleNodeErrorOutput in n8n-core 1.122 and 2.41). So there the
 * facts go into `error` as an object, `{ error: { message, httpCode, … } }`, as n8n's HTTP Request
 * node does with Continue On Fail.
 */
function errorItemJson(error: Error, toErrorOutput: boolean): IDataObject {
	const facts: IDataObject = {};
	const e = error as Partial<NodeApiError>;
	if (e.description) facts.description = e.description;
	if (e.httpCode) facts.httpCode = e.httpCode;
	const context = (e.context ?? {}) as IDataObject;
	for (const key of ERROR_FACTS) {
		if (context[key] !== undefined) facts[key] = context[key];
	}
	return toErrorOutput
		? { error: { message: error.message, ...facts } }
		: { error: error.message, ...facts };
}

/** An error as n8n shows it, with the failing item's index. */
function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number) {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error, { itemIndex });
	nodeError.context = { ...nodeError.context, itemIndex };
	return nodeError;
}

/**
 * The only loop over input items. It runs each item's operation, pairs every output item with
 * its input and handles Continue On Fail. Items run one after another and the first failure
 * stops the node, unless the operation brings its own `runItems` (the send engine in
 * message/sendEngine.ts), which decides order and concurrency and calls back `runItem`.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const op = operationFor(this);
	const itemCount = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';

	const runItem: RunItem = async (itemIndex, failure) => {
		try {
			if (failure) throw failure;
			return toItems(await op.execute.call(this, itemIndex), itemIndex);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error as Error, itemIndex);
			return [
				{ json: errorItemJson(error as Error, toErrorOutput), pairedItem: { item: itemIndex } },
			];
		}
	};

	if (op.runItems) return [await op.runItems.call(this, itemCount, runItem)];
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		output.push(...(await runItem(itemIndex)));
	}
	return [output];
}
