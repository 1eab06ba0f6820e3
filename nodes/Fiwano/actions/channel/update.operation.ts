import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelIdFields } from '../../descriptions/common';
import { channelPath } from '../../helpers/apiPath';
import { getChannelId } from '../../helpers/parameters';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { webhookBody, webhookFields, webhookOutput, webhookRequest } from './webhookSettings';

const properties: INodeProperties[] = [
	...channelIdFields(
		'The channel ID (from Get Many or the Fiwano portal)',
		'The channel whose webhook settings to change',
	),
	...webhookFields('update'),
];

export const description = operationDescription('channel', 'update', properties);

/**
 * Changes a channel's webhook URL, secret, events and echo statuses, or its subscription binding
 * (`PATCH /channels/{id}`). Fields left out stay as they are. From typeVersion 2 the output never
 * carries the webhook secret, whether the credential set it or Fiwano generated it (a first URL
 * set on a channel without one; see webhookOutput).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const body = await webhookBody(this, itemIndex, 'update');
	const response = await webhookRequest(
		this,
		'PATCH',
		channelPath(channelId),
		// 1.x sent no body at all when no field was filled in.
		Object.keys(body).length ? body : undefined,
		itemIndex,
	);
	return webhookOutput(this, response, body);
}
