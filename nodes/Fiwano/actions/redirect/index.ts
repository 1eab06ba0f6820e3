import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as add from './add.operation';
import * as del from './delete.operation';
import * as getAll from './getAll.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['redirect'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a redirect URI',
				description:
					'Allow an HTTPS URL (or pattern) that users return to after connecting a channel; needed before Generate OAuth URL',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a redirect URI',
				description: 'Remove an allowed OAuth redirect URI',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many allowed redirects',
				description: 'List the OAuth redirect URIs allowed for this API key',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...add.description,
	...del.description,
];

export const operations: ResourceOperations<'redirect'> = { getAll, add, delete: del };
