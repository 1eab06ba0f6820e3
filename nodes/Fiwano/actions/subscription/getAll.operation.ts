import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SubscriptionList } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import {
	CHANNEL_TYPE_OPTIONS,
	filtersCollection,
	returnAllLimitFields,
} from '../../descriptions/common';
import { applyLimit } from '../../helpers/parameters';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { freeSlotTypes, subscriptionsOf } from './shared';

const properties: INodeProperties[] = [
	...returnAllLimitFields(),
	filtersCollection([
		{
			displayName: 'Active Only',
			name: 'activeOnly',
			type: 'boolean',
			default: true,
			description: 'Whether to return only active subscriptions',
		},
		{
			displayName: 'With a Free Slot For',
			name: 'freeSlotFor',
			type: 'options',
			options: CHANNEL_TYPE_OPTIONS,
			default: 'whatsapp',
			description: 'Return only subscriptions that can take one more channel of this type',
		},
	]),
];

export const description = operationDescription('subscription', 'getAll', properties);

/**
 * Lists the account's subscriptions (`GET /subscriptions`), one item each: tier, status, source,
 * expiry, the channel in each slot (`assigned_channels`), and `free_slots`, the channel types
 * this subscription can still take.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const answer = (await fiwanoApiRequest.call(this, 'GET', '/subscriptions', {
		itemIndex,
	})) as SubscriptionList;
	let subscriptions = subscriptionsOf(answer).map((s) => ({ ...s, free_slots: freeSlotTypes(s) }));
	if (filters.activeOnly === true)
		subscriptions = subscriptions.filter((s) => s.status === 'active');
	const type = filters.freeSlotFor;
	if (typeof type === 'string' && type !== '')
		subscriptions = subscriptions.filter((s) => (s.free_slots as string[]).includes(type));
	return applyLimit(this, itemIndex, subscriptions);
}
