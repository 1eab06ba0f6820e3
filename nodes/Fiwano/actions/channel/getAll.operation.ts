import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { attentionReasons, DEFAULT_LAPSE_WARNING_DAYS } from '../../helpers/attention';
import type { Channel, ChannelList } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import { applyLimit } from '../../helpers/parameters';
import { asObject } from '../../helpers/types';
import {
	CHANNEL_TYPE_OPTIONS,
	filtersCollection,
	returnAllLimitFields,
	V2_ON,
} from '../../descriptions/common';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	...returnAllLimitFields(),
	filtersCollection(
		[
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
			{
				displayName: 'Needs Attention Only',
				name: 'needsAttention',
				type: 'boolean',
				default: true,
				description:
					'Whether to return only channels someone has to act on: health says action required (reconnect), the subscription is not active, or it ends within Expiring Within (Days) without renewing. Each returned channel gets an "attention" list saying why.',
			},
			{
				displayName: 'Expiring Within (Days)',
				name: 'expiringWithinDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_LAPSE_WARNING_DAYS,
				description:
					'With Needs Attention Only: a subscription that ends within this many days and does not renew by itself counts as needing attention',
			},
		],
		V2_ON,
	),
];

export const description = operationDescription('channel', 'getAll', properties);

/**
 * Lists the account's channels, each with its `health` and `subscription` as Fiwano sends them.
 * typeVersion 2 returns one item per channel (filtered, limited); Needs Attention Only keeps the
 * channels with a reason (see attentionReasons) and adds them as `attention`. typeVersion 1 keeps
 * the 1.x output, one item holding `channels` and `total`.
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
	if (filters.needsAttention === true) {
		const days = Number(filters.expiringWithinDays ?? DEFAULT_LAPSE_WARNING_DAYS);
		const now = Date.now();
		channels = channels
			.map((c) => ({ ...c, attention: attentionReasons(c, Number.isFinite(days) ? days : 0, now) }))
			.filter((c) => c.attention.length > 0);
	}
	return applyLimit(this, itemIndex, channels);
}
