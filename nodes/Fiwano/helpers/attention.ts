import type { Channel } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days before the end of a subscription period from which a channel counts as about to lapse. */
export const DEFAULT_LAPSE_WARNING_DAYS = 7;

/** Why a channel needs someone to act, in the order Get Many and the monitor report them. */
export type AttentionReason =
	| 'health_action_required'
	| 'subscription_inactive'
	| 'subscription_expiring';

/**
 * Fiwano's timestamps are ISO-8601 UTC, sometimes without the `Z` (`2026-10-06T10:30:00`):
 * read them as UTC either way. NaN when missing or unreadable.
 */
export function parseUtc(value: unknown): number {
	if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
	const text = value.trim();
	const zoned = /[zZ]$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`;
	return Date.parse(zoned);
}

/** Whether the channel's health says Meta no longer lets Fiwano work with it. */
export function healthNeedsAction(channel: Channel): boolean {
	return channel.health?.status === 'action_required';
}

/** The channel's subscription status; `none` when Fiwano sent no subscription. */
export function subscriptionStatus(channel: Channel): string {
	const status: unknown = channel.subscription?.status;
	return typeof status === 'string' && status !== '' ? status : 'none';
}

/**
 * The end of the period of an active subscription that will not renew by itself, when it is
 * within `days` of `now` (or already past: status flips shortly after). Undefined otherwise.
 * A Paddle subscription with `auto_renew` renews at `expires_at` (and may sit briefly past it
 * while a payment is retried, subscriptions.md), so it is never "about to lapse".
 */
export function lapsesSoon(channel: Channel, days: number, now: number): string | undefined {
	const subscription = channel.subscription;
	if (!subscription || subscription.status !== 'active' || subscription.auto_renew === true)
		return undefined;
	const end = parseUtc(subscription.expires_at);
	if (Number.isNaN(end)) return undefined;
	return end - now <= Math.max(0, days) * DAY_MS ? String(subscription.expires_at) : undefined;
}

/** Every reason the channel needs attention: health, an inactive subscription, one about to lapse. */
export function attentionReasons(channel: Channel, days: number, now: number): AttentionReason[] {
	const reasons: AttentionReason[] = [];
	if (healthNeedsAction(channel)) reasons.push('health_action_required');
	if (subscriptionStatus(channel) !== 'active') reasons.push('subscription_inactive');
	else if (lapsesSoon(channel, days, now) !== undefined) reasons.push('subscription_expiring');
	return reasons;
}
