import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
export function errorItemJson(error: Error, toErrorOutput: boolean): IDataObject {
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
export function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number) {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error, { itemIndex });
	nodeError.context = { ...nodeError.context, itemIndex };
	return nodeError;
}
