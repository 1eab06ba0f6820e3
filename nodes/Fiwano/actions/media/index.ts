import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as download from './download.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				action: 'Download a received media file',
				description:
					'Download a file a customer sent (image, audio, video, document) into binary data. Files are kept for 60 minutes after the message arrives.',
			},
		],
		default: 'download',
	},
	...download.description,
];

export const operations: ResourceOperations<'media'> = { download };
