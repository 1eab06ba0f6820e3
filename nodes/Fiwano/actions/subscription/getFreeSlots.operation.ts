import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SlotCount, SubscriptionList } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { SLOT_TYPES, subscriptionsOf } from './shared';

const properties: INodeProperties[] = [
	{
		displayName:
			'Answers "can I connect another channel?": one item with can_connect per channel type and the free slots by tier. A reconnect of an existing channel needs no free slot.',
		name: 'freeSlotsNotice',
		type: 'notice',
		default: '',
	},
];

export const description = operationDescription('subscription', 'getFreeSlots', properties);

function slotCount(value: unknown): SlotCount {
	const count = (value ?? {}) as IDataObject;
	const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
	return { total: number(count.total), starter: number(count.starter), pro: number(count.pro) };
}

/**
 * The account's free channel slots as one summary item (`GET /subscriptions`): `can_connect` per
 * channel type (Fiwano's signal: `available_slots.<type>.total > 0`, subscriptions.md), the
 * counts by tier, and how many subscriptions there are and are active.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const answer = (await fiwanoApiRequest.call(this, 'GET', '/subscriptions', {
		itemIndex,
	})) as SubscriptionList;
	const available = answer?.available_slots ?? {};
	const canConnect: IDataObject = {};
	const slots: IDataObject = {};
	for (const type of SLOT_TYPES) {
		const count = slotCount(available[type]);
		slots[type] = count;
		canConnect[type] = count.total > 0;
	}
	const subscriptions = subscriptionsOf(answer);
	return {
		can_connect: canConnect,
		available_slots: slots,
		subscriptions: typeof answer?.total === 'number' ? answer.total : subscriptions.length,
		active_subscriptions:
			typeof answer?.active_total === 'number'
				? answer.active_total
				: subscriptions.filter((s) => s.status === 'active').length,
	};
}
