import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as getAll from './getAll.operation';
import * as getFreeSlots from './getFreeSlots.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['subscription'] } },
		options: [
			{
				name: 'Get Free Slots',
				value: 'getFreeSlots',
				action: 'Get free channel slots',
				description:
					'Whether another WhatsApp number, Instagram account or Facebook Page can be connected now, as one summary item',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many subscriptions',
				description:
					'List the subscriptions with their tier, status, expiry, the channel in each slot and the free slots',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...getFreeSlots.description,
];

export const operations: ResourceOperations<'subscription'> = { getAll, getFreeSlots };
