import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as getProfile from './getProfile.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Get Profile',
				value: 'getProfile',
				action: 'Get a contact profile',
				description:
					'Get the name, username and profile picture of a person who messaged an Instagram or Facebook Messenger channel',
			},
		],
		default: 'getProfile',
	},
	...getProfile.description,
];

export const operations: ResourceOperations<'contact'> = { getProfile };
