import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as del from './delete.operation';
import * as exchangeCode from './exchangeCode.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as setupUrl from './setupUrl.operation';
import * as update from './update.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Deactivate a channel',
				description:
					'Deactivate a connected channel (soft delete): it stops sending and receiving and can be reconnected later',
			},
			{
				name: 'Exchange OAuth Code',
				value: 'exchangeCode',
				action: 'Exchange a setup code for a channel',
				description:
					'Finish connecting a channel: turn the one-time code from the OAuth redirect into a channel ID, optionally setting its webhook',
			},
			{
				name: 'Generate OAuth URL',
				value: 'setupUrl',
				action: 'Generate a channel setup link',
				description:
					'Start connecting (or reconnecting) a WhatsApp number, Instagram account or Facebook Page: returns a Meta login URL to open in a browser',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a channel',
				description: 'Get one channel with its webhook settings and subscription state',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many channels',
				description: 'List the connected WhatsApp numbers, Instagram accounts and Facebook Pages',
			},
			{
				name: 'Update Webhook',
				value: 'update',
				action: 'Update a channel webhook',
				description:
					'Change where and which events a channel delivers (webhook URL, secret, events), or move it to another subscription',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...setupUrl.description,
	...exchangeCode.description,
	...update.description,
	...del.description,
];

export const operations: ResourceOperations<'channel'> = {
	getAll,
	get,
	setupUrl,
	exchangeCode,
	update,
	delete: del,
};
