import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as channel from './channel';
import * as contact from './contact';
import { asNodeError, errorItemJson } from './errorItem';
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
