import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelPath } from '../../helpers/apiPath';
import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { channelIdFields } from '../../descriptions/common';
import { getChannelId } from '../../helpers/parameters';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	...channelIdFields('The channel ID (from Get Many or the Fiwano portal)', 'The channel to get'),
];

export const description = operationDescription('channel', 'get', properties);

/** One channel with its webhook settings and subscription state (`GET /channels/{id}`). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	return asObject(await fiwanoApiRequest.call(this, 'GET', channelPath(channelId), { itemIndex }));
}
