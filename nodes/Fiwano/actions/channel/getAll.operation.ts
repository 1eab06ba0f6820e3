import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Channel, ChannelList } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import { applyLimit } from '../../helpers/parameters';
import { asObject } from '../../helpers/types';
import { CHANNEL_TYPE_OPTIONS, returnAllLimitFields, V2_ON } from '../../descriptions/common';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';

const properties: INodeProperties[] = [
	...returnAllLimitFields(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: V2_ON },
		options: [
			{
				displayName: 'Active Only',
				name: 'activeOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to return only active channels (those that can send and receive messages)',
			},
			{
				displayName: 'Channel Type',
				name: 'channelType',
				type: 'options',
				options: CHANNEL_TYPE_OPTIONS,
				default: 'whatsapp',
				description: 'Return only channels of this type',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['channel'], operation: ['getAll'] } },
	properties,
);

/**
 * Lists the account's channels. typeVersion 2 returns one item per channel (filtered, limited);
 * typeVersion 1 keeps the 1.x output, one item holding `channels` and `total`.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const v1 = isV1(this);
	const filters = v1 ? {} : (this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const response = (await fiwanoApiRequest.call(this, 'GET', '/channels', {
		itemIndex,
	})) as ChannelList;
	if (v1) return asObject(response);

	let channels: Channel[] = Array.isArray(response?.channels) ? response.channels : [];
	if (typeof filters.channelType === 'string' && filters.channelType) {
		channels = channels.filter((c) => c.channel_type === filters.channelType);
	}
	if (filters.activeOnly === true) channels = channels.filter((c) => c.is_active === true);
	return applyLimit(this, itemIndex, channels);
}
