import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { freeSlotTypes } from '../actions/subscription/shared';
import { channelPath } from '../helpers/apiPath';
import type { Channel, Subscription, SubscriptionList } from '../helpers/types';
import { TYPE_LABEL } from '../helpers/channelLabel';
import { fiwanoApiRequest } from '../transport';

/** The channel picked in the node being edited, if it is a plain value (not an expression). */
function pickedChannelId(ctx: ILoadOptionsFunctions): string | undefined {
	let value: unknown;
	try {
		value = ctx.getCurrentNodeParameter('channelId', { extractValue: true });
	} catch {
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const id = value.trim();
	return id && !id.startsWith('=') ? id : undefined;
}

function day(value: unknown): string | undefined {
	return typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : undefined;
}

/** "Pro · paddle · renews 2026-11-01 · a1b2c3d4e5f67890", plus the free slots when no type is known. */
function label(subscription: Subscription, showFree: boolean): string {
	const tier = String(subscription.tier ?? '');
	const end = day(subscription.expires_at);
	const parts = [
		tier ? tier[0].toUpperCase() + tier.slice(1) : 'Subscription',
		String(subscription.source ?? ''),
		end ? `${subscription.auto_renew === true ? 'renews' : 'ends'} ${end}` : undefined,
		subscription.id,
	];
	if (showFree)
		parts.push(
			`free: ${freeSlotTypes(subscription)
				.map((t) => TYPE_LABEL[t] ?? t)
				.join(', ')}`,
		);
	return parts.filter(Boolean).join(' · ');
}

/**
 * Subscriptions a channel can move to (Channel → Update Webhook → Move to Subscription): active,
 * with a free slot of the picked channel's type, not the one it is on. Without a picked channel,
 * every subscription with any free slot, labelled with its free types.
 */
export async function searchSubscriptions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const channelId = pickedChannelId(this);
	let channel: Channel | undefined;
	if (channelId) {
		channel = (await fiwanoApiRequest.call(this, 'GET', channelPath(channelId))) as Channel;
	}
	const type = channel?.channel_type;
	const current = channel?.subscription?.id ?? undefined;
	const answer = (await fiwanoApiRequest.call(this, 'GET', '/subscriptions')) as SubscriptionList;
	const needle = (filter ?? '').toLowerCase();
	const results: INodeListSearchItems[] = (answer?.subscriptions ?? [])
		.filter((s) => {
			const free = freeSlotTypes(s);
			return type ? free.includes(type) && s.id !== current : free.length > 0;
		})
		.map((s) => ({ name: label(s, !type), value: s.id }))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}
