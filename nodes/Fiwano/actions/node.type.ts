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
	/** The operation's fields, already limited to its resource and operation with updateDisplayOptions. */
	description: INodeProperties[];
	/** Runs the operation for one item. The router owns the item loop, pairing and Continue On Fail. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationOutput>;
	/**
	 * Set on operations that send messages: items run concurrently, except that items with the
	 * same key (channel + recipient) run one after another in item order.
	 */
	orderingKey?(this: IExecuteFunctions, itemIndex: number): string;
}

/** Typed dispatch: leaving out an operation of the map fails to compile. */
export type ResourceOperations<R extends FiwanoResource> = Record<FiwanoMap[R], FiwanoOperation>;

export interface ResourceModule<R extends FiwanoResource> {
	/** The resource's Operation selector and every operation's fields. */
	description: INodeProperties[];
	operations: ResourceOperations<R>;
}
