import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Messages in flight at once unless the node's options say otherwise: enough to use the
 * documented 10 sends/s per channel when a send takes about a second (the gate prevents 429s).
 */
export const DEFAULT_CONCURRENCY = 10;

/** Fiwano channel IDs are 16 lowercase hex characters (e.g. a1b2c3d4e5f67890). */
export const CHANNEL_ID_REGEX = '^[A-Za-z0-9_-]{4,64}$';

/**
 * Channel picker for typeVersion 2: a list with search (name, type, number or username) or an ID.
 * typeVersion 1 keeps the plain `channelId` string of the 1.x contract.
 */
export function channelLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Channel',
		name: 'channelId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Fiwano channel (WhatsApp number, Instagram account or Facebook Page) to use',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a channel...',
				typeOptions: { searchListMethod: 'searchChannels', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. a1b2c3d4e5f67890',
				validation: [
					{
						type: 'regex',
						properties: { regex: CHANNEL_ID_REGEX, errorMessage: 'Not a valid Fiwano channel ID' },
					},
				],
			},
		],
		...overrides,
	};
}

/** Plain channel ID field of the 1.x contract (typeVersion 1). */
export function channelIdString(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Channel ID',
		name: 'channelId',
		type: 'string',
		default: '',
		required: true,
		description: 'ID of the Fiwano channel',
		...overrides,
	};
}

/** Reads `channelId` whether it is a 1.x string or a v2 resource locator. */
export function getChannelId(ctx: IExecuteFunctions, itemIndex: number, name = 'channelId'): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), 'Channel is empty: pick a channel or enter its ID', {
			itemIndex,
		});
	}
	return value;
}

export const CHANNEL_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'WhatsApp', value: 'whatsapp' },
	{ name: 'Instagram', value: 'instagram' },
	{ name: 'Facebook Messenger', value: 'facebook' },
];

/** Every webhook event Fiwano documents (api-reference.md plus the newer webhooks.md). */
export const WEBHOOK_EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Conversation Referral', value: 'conversation.referral', description: 'A user opened a conversation from an ad or link (Instagram, Facebook)' },
	{ name: 'Message Delivered', value: 'message.delivered', description: 'Delivered to the recipient’s device' },
	{ name: 'Message Echo', value: 'message.echo', description: 'A message your business sent outside Fiwano' },
	{ name: 'Message Failed', value: 'message.failed', description: 'Delivery failed' },
	{ name: 'Message Read', value: 'message.read', description: 'Read by the recipient' },
	{ name: 'Message Received', value: 'message.received', description: 'A user sent a message' },
	{ name: 'Message Sent', value: 'message.sent', description: 'Accepted by Meta (WhatsApp)' },
];

/** The five events of the 1.x contract (typeVersion 1 options). */
export const WEBHOOK_EVENT_OPTIONS_V1: INodePropertyOptions[] = WEBHOOK_EVENT_OPTIONS.filter((o) =>
	['message.received', 'message.sent', 'message.delivered', 'message.read', 'message.failed'].includes(
		String(o.value),
	),
);
