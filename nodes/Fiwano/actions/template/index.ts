import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a template',
				description: 'Submit a new WhatsApp message template to Meta for review',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a template',
				description: 'Delete a WhatsApp message template (one language or all)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a template',
				description: 'Get one WhatsApp template with its components, status and variables',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many templates',
				description: 'List the WhatsApp templates of a channel, optionally by review status',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a template',
				description: 'Replace the content of a WhatsApp template; it goes back to Meta review',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...del.description,
];

export const operations: ResourceOperations<'template'> = {
	getAll,
	get,
	create,
	update,
	delete: del,
};
