import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelPath } from '../../helpers/apiPath';
import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { channelIdFields } from '../../descriptions/common';
import { getChannelId } from '../../helpers/parameters';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	...channelIdFields(
		'The channel ID (from Get Many or the Fiwano portal)',
		'The channel to deactivate. It stops sending and receiving but keeps its ID, history and subscription slot, and can be reconnected later.',
	),
];

export const description = operationDescription('channel', 'delete', properties);

/** Deactivates a channel (`DELETE /channels/{id}`, a soft delete). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const response = asObject(
		await fiwanoApiRequest.call(this, 'DELETE', channelPath(channelId), { itemIndex }),
	);
	if (isV1(this)) return response;
	return { ...response, channel_id: channelId, deactivated: true };
}
