import type { ChannelType, Subscription, SubscriptionList } from '../../helpers/types';

/** The channel types a subscription has one slot each for (channels.md "Subscription slots"). */
export const SLOT_TYPES: readonly ChannelType[] = ['whatsapp', 'instagram', 'facebook'];

/**
 * The channel types whose slot in this subscription is free: the subscription is active and no
 * channel is assigned there. A deactivated channel still holds its slot (it is listed).
 */
export function freeSlotTypes(subscription: Subscription): ChannelType[] {
	if (subscription.status !== 'active') return [];
	const assigned = subscription.assigned_channels ?? {};
	return SLOT_TYPES.filter((type) => !assigned[type]);
}

export function subscriptionsOf(answer: SubscriptionList | undefined): Subscription[] {
	return Array.isArray(answer?.subscriptions) ? answer.subscriptions : [];
}
