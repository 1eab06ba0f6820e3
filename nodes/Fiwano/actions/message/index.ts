import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { V1_ONLY, V2_ON } from '../../descriptions/common';

import type { ResourceOperations } from '../node.type';
import * as send from './send.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendTemplate from './sendTemplate.operation';

const SEND_OPTIONS: INodePropertyOptions[] = [
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
];

const operationSelector: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: SEND_OPTIONS,
	default: 'send',
};

export const description: INodeProperties[] = [
	// typeVersion 1 keeps the three operations of the 1.x package.
	{ ...operationSelector, displayOptions: { show: { resource: ['message'], ...V1_ONLY } } },
	{
		...operationSelector,
		displayOptions: { show: { resource: ['message'], ...V2_ON } },
		options: [
			...SEND_OPTIONS.slice(0, 2),
			{
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				action: 'Send message and wait for response',
				description:
					'Ask a person in the chat and pause until they approve, decline or answer, by link or by replying',
			},
			...SEND_OPTIONS.slice(2),
		],
	},
	...send.description,
	...sendTemplate.description,
	...sendMedia.description,
	...sendAndWait.description,
];

export const operations: ResourceOperations<'message'> = { send, sendTemplate, sendMedia };
