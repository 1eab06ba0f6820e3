import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';
import * as send from './send.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendTemplate from './sendTemplate.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send Media',
				value: 'sendMedia',
				action: 'Send a media message',
				description:
					'Send an image, audio, video, document or sticker by HTTPS URL on WhatsApp, Instagram or Messenger',
			},
			{
				name: 'Send Template',
				value: 'sendTemplate',
				action: 'Send a template message',
				description:
					'Send an approved WhatsApp template, e.g. to start a conversation outside the 24-hour window',
			},
			{
				name: 'Send Text',
				value: 'send',
				action: 'Send a text message',
				description:
					'Send a text message on WhatsApp, Instagram or Messenger, e.g. a reply within 24 hours of the customer’s last message',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendTemplate.description,
	...sendMedia.description,
];

export const operations: ResourceOperations<'message'> = { send, sendTemplate, sendMedia };
