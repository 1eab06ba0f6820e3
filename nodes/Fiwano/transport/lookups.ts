import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isChannelType } from '../helpers/channelType';
import type { Channel, ChannelType, TemplateList } from '../helpers/types';
import { fiwanoApiRequest } from './index';

/**
 * A channel's templates (`GET /channels/{id}/templates`), as Fiwano answers; `qs` takes
 * `status` and `sync`. The one template-list request of the Get Many operation and the pickers.
 */
export async function listTemplates(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	channelId: string,
	qs?: IDataObject,
	itemIndex?: number,
): Promise<TemplateList> {
	return (await fiwanoApiRequest.call(
		ctx,
		'GET',
		`/channels/${encodeURIComponent(channelId)}/templates`,
		{ qs, itemIndex },
	)) as TemplateList;
}

/**
 * Channel types already looked up, per execution: the key is the node's execute context,
 * which lives for one run of the node, so a run asks Fiwano about each channel once however
 * many items it sends, and concurrent items share the same request.
 */
const lookups = new WeakMap<IExecuteFunctions, Map<string, Promise<ChannelType>>>();

/**
 * The type of a channel (whatsapp, instagram or facebook), from `GET /channels/{id}`, fetched
 * once per channel and execution. A failed lookup is not kept, so a later item tries again.
 */
export async function channelTypeOf(
	this: IExecuteFunctions,
	channelId: string,
	itemIndex: number,
): Promise<ChannelType> {
	let perRun = lookups.get(this);
	if (!perRun) {
		perRun = new Map();
		lookups.set(this, perRun);
	}
	let pending = perRun.get(channelId);
	if (!pending) {
		pending = (async () => {
			const channel = (await fiwanoApiRequest.call(
				this,
				'GET',
				`/channels/${encodeURIComponent(channelId)}`,
				{
					itemIndex,
				},
			)) as Channel;
			if (!isChannelType(channel?.channel_type)) {
				throw new NodeOperationError(
					this.getNode(),
					`Fiwano did not say which type channel ${channelId} is`,
					{
						itemIndex,
						description: 'Set the channel type in the node options to skip the lookup.',
					},
				);
			}
			return channel.channel_type;
		})();
		perRun.set(channelId, pending);
		const cache = perRun;
		pending.catch(() => cache.delete(channelId));
	}
	return await pending;
}
