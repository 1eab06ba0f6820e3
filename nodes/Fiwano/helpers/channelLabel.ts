import type { Channel } from './types';

export const TYPE_LABEL: Record<string, string> = {
	whatsapp: 'WhatsApp',
	instagram: 'Instagram',
	facebook: 'Messenger',
};

/** "My Business — WhatsApp +1234567890", the way a user recognises a channel. */
export function channelLabel(channel: Channel): string {
	const handle =
		channel.phone_number ?? (channel.ig_username ? `@${channel.ig_username}` : channel.page_id);
	const parts = [
		channel.name || channel.id,
		`${TYPE_LABEL[channel.channel_type] ?? channel.channel_type}${handle ? ` ${handle}` : ''}`,
	];
	return `${parts.join(' — ')}${channel.is_active === false ? ' (inactive)' : ''}`;
}
