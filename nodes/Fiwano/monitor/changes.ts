import type { IDataObject } from 'n8n-workflow';

import { lapsesSoon, parseUtc, subscriptionStatus } from '../helpers/attention';
import type { Channel } from '../helpers/types';
import { channelLabel } from '../helpers/channelLabel';

/** What the monitor reports, one item per change. */
export type MonitorEvent =
	| 'health.action_required'
	| 'health.ok'
	| 'subscription.expiring'
	| 'subscription.lapsed'
	| 'webhook.removed';

export const MONITOR_EVENTS: readonly MonitorEvent[] = [
	'health.action_required',
	'health.ok',
	'subscription.expiring',
	'subscription.lapsed',
	'webhook.removed',
];

/**
 * What the monitor remembers of a channel between polls (in the node's static data): only what
 * its events compare, and nothing secret (Fiwano never shows a webhook secret anyway).
 */
export interface ChannelSnapshot extends IDataObject {
	/** health.status; '' when Fiwano sent no health (then health events cannot fire). */
	health: string;
	/** subscription.status ('none' without one). */
	subscription: string;
	/** expires_at of a subscription about to lapse, '' when it is not. */
	expiring: string;
	/** The webhook URL, '' when none. */
	webhook: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function snapshotOf(channel: Channel, days: number, now: number): ChannelSnapshot {
	const health = channel.health?.status;
	return {
		health: typeof health === 'string' ? health : '',
		subscription: subscriptionStatus(channel),
		expiring: lapsesSoon(channel, days, now) ?? '',
		webhook: typeof channel.webhook_url === 'string' ? channel.webhook_url.trim() : '',
	};
}

interface Change {
	event: MonitorEvent;
	previous: string | null;
	current: string | null;
}

/** The changes between two snapshots of one channel, in MONITOR_EVENTS order. */
export function changesBetween(before: ChannelSnapshot, after: ChannelSnapshot): Change[] {
	const changes: Change[] = [];
	if (before.health === 'ok' && after.health === 'action_required')
		changes.push({ event: 'health.action_required', previous: 'ok', current: 'action_required' });
	if (before.health === 'action_required' && after.health === 'ok')
		changes.push({ event: 'health.ok', previous: 'action_required', current: 'ok' });
	// A new end date inside the window (a subscription that just stopped renewing, or moved) warns
	// again; the same date does not.
	if (after.subscription === 'active' && after.expiring && after.expiring !== before.expiring)
		changes.push({
			event: 'subscription.expiring',
			previous: before.expiring || null,
			current: after.expiring,
		});
	if (before.subscription === 'active' && after.subscription !== 'active')
		changes.push({
			event: 'subscription.lapsed',
			previous: before.subscription,
			current: after.subscription,
		});
	if (before.webhook && !after.webhook)
		changes.push({ event: 'webhook.removed', previous: before.webhook, current: null });
	return changes;
}

function summaryOf(channel: Channel, change: Change, now: number): string {
	const name = channelLabel(channel);
	switch (change.event) {
		case 'health.action_required':
			return `${name} needs action${channel.health?.reason ? `: ${String(channel.health.reason)}` : ''}. Reconnect it (Generate OAuth URL for the same account).`;
		case 'health.ok':
			return `${name} works again.`;
		case 'subscription.expiring': {
			const end = parseUtc(change.current);
			const days = Number.isNaN(end) ? undefined : Math.max(0, Math.floor((end - now) / DAY_MS));
			return `The subscription of ${name} ends ${days === undefined ? 'soon' : days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`} (${String(change.current)}) and does not renew by itself.`;
		}
		case 'subscription.lapsed':
			return `The subscription of ${name} is ${String(change.current)}: the channel cannot send or receive until a subscription is bound again.`;
		case 'webhook.removed':
			return `${name} no longer has a webhook URL: Fiwano delivers none of its events.`;
	}
}

/** One output item: what changed, in words and as values, with the channel as it is now. */
export function changeItem(
	channel: Channel,
	change: Change,
	now: number,
	extra: IDataObject = {},
): IDataObject {
	return {
		event: change.event,
		summary: summaryOf(channel, change, now),
		channel_id: channel.id,
		channel_type: channel.channel_type,
		channel_name: channel.name ?? null,
		previous: change.previous,
		current: change.current,
		detected_at: new Date(now).toISOString(),
		...extra,
		channel,
	};
}

/**
 * What holds for a channel right now, as the changes that would have led there. Used by a
 * manual "Fetch Test Event", which has no earlier poll to compare with. A webhook URL cannot
 * be seen to go away in one look, so webhook.removed never shows here.
 */
export function currentConditions(channel: Channel, days: number, now: number): Change[] {
	const now_ = snapshotOf(channel, days, now);
	const calm: ChannelSnapshot = {
		health: now_.health === 'action_required' ? 'ok' : now_.health,
		subscription: 'active',
		expiring: '',
		webhook: now_.webhook,
	};
	return changesBetween(calm, now_).map((change) => ({ ...change, previous: null }));
}
