import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

/** Operations per resource, as saved in workflows (1.x contract values). */
export type FiwanoMap = {
	message: 'send' | 'sendTemplate' | 'sendMedia';
	media: 'download';
	channel: 'getAll' | 'get' | 'setupUrl' | 'exchangeCode' | 'update' | 'delete';
	contact: 'getProfile';
	template: 'getAll' | 'get' | 'create' | 'update' | 'delete';
	redirect: 'getAll' | 'add' | 'delete';
	subscription: 'getAll' | 'getFreeSlots';
};

export type FiwanoResource = keyof FiwanoMap;

export type OperationOutput = IDataObject | IDataObject[] | INodeExecutionData[];

export interface FiwanoOperation {
	/** The operation's fields, already limited to its resource and operation (operationDescription.ts). */
	description: INodeProperties[];
	/** Runs the operation for one item. The router owns the item loop, pairing and Continue On Fail. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationOutput>;
	/**
	 * How the items run, when not one after another: the send operations set it to the send
	 * engine (`runItems = sendEngine(orderingKey)`, see message/sendEngine.ts).
	 */
	runItems?: ItemRunner;
}

/**
 * The router's step for one item: runs the operation (or fails with `failure`, if given), pairs
 * the output and applies Continue On Fail. It throws, as a NodeApiError or NodeOperationError
 * carrying the item's index, only when the item failed and Continue On Fail is off.
 */
export type RunItem = (itemIndex: number, failure?: Error) => Promise<INodeExecutionData[]>;

/** Runs items 0..itemCount-1 through `runItem` in an order of its choosing; returns output in input order. */
export type ItemRunner = (
	this: IExecuteFunctions,
	itemCount: number,
	runItem: RunItem,
) => Promise<INodeExecutionData[]>;

/** Typed dispatch: leaving out an operation of the map fails to compile. */
export type ResourceOperations<R extends FiwanoResource> = Record<FiwanoMap[R], FiwanoOperation>;

export interface ResourceModule<R extends FiwanoResource> {
	/** The resource's Operation selector and every operation's fields. */
	description: INodeProperties[];
	operations: ResourceOperations<R>;
}

/** Every resource's module, keyed by resource: the router's dispatch table. */
export type ResourceModules = { [R in FiwanoResource]: ResourceModule<R> };
