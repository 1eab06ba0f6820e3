import type { ChannelType } from './types';

const CHANNEL_TYPES: readonly ChannelType[] = ['whatsapp', 'instagram', 'facebook'];

/** True for the channel types Fiwano connects (whatsapp, instagram, facebook). */
export function isChannelType(value: unknown): value is ChannelType {
	return typeof value === 'string' && (CHANNEL_TYPES as readonly string[]).includes(value);
}
