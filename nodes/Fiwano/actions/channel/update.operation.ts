import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelIdFields, V1_ONLY, V2_ON } from '../../descriptions/common';
import { getChannelId } from '../../helpers/parameters';
import type { OperationOutput } from '../node.type';
import {
	webhookBody,
	webhookOptionsV1,
	webhookOptionsV2,
	webhookOutput,
	webhookRequest,
	webhookSecretNotice,
} from './webhookSettings';

const properties: INodeProperties[] = [
	...channelIdFields(
		'The channel ID (from Get Many or the Fiwano portal)',
		'The channel whose webhook settings to change',
	),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: V1_ONLY },
		options: webhookOptionsV1('update'),
	},
	webhookSecretNotice(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: V2_ON },
		options: webhookOptionsV2('update'),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['channel'], operation: ['update'] } },
	properties,
);

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
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = await webhookBody(this, itemIndex, fields, 'update');
	const response = await webhookRequest(
		this,
		'PATCH',
		`/channels/${encodeURIComponent(channelId)}`,
		// 1.x sent no body at all when no field was filled in.
		Object.keys(body).length ? body : undefined,
		itemIndex,
	);
	return webhookOutput(this, response, body);
}
