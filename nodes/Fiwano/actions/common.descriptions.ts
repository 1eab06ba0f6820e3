import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Channel IDs the ID mode accepts. Fiwano's are 16 lowercase hex characters (a1b2c3d4e5f67890);
 * the check is looser so that a sandbox's or a future ID format is not refused in the editor.
 */
export const CHANNEL_ID_REGEX = '^[A-Za-z0-9_-]{4,64}$';

/** Shown only under typeVersion 1 (the saved shape of the 1.x package). */
export const V1_ONLY = { '@version': [1] };

/** Shown from typeVersion 2 on. */
export const V2_ON = { '@version': [{ _cnd: { gte: 2 } }] };

/** True for nodes saved with typeVersion 1, which keep the 1.x requests and output shape. */
export function isV1(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().typeVersion < 2;
}

/** A response body as an object, so every output item has JSON even when an API answers with nothing. */
export function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}

/**
 * "Return All" and "Limit" for a typeVersion 2 Get Many. Fiwano's list endpoints are not paged,
 * so the limit is applied to the list the API returns.
 */
export function returnAllLimitFields(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: V2_ON },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...V2_ON, returnAll: [false] } },
		},
	];
}

/** Applies Return All / Limit (typeVersion 2) to a list the API returned in one piece. */
export function applyLimit<T>(ctx: IExecuteFunctions, itemIndex: number, list: T[]): T[] {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	return list.slice(0, Math.max(1, Math.floor(limit) || 1));
}

/**
 * A required string parameter (a plain string or a resource locator's value), trimmed; a number
 * from an expression is taken as its digits. Empty is an error naming the field, with
 * `description` saying what to enter.
 */
export function requiredString(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	description = `Enter the ${label.toLowerCase()} or map it from an earlier node.`,
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!value)
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex, description });
	return value;
}

/**
 * Checks that a URL Fiwano will call or redirect to is absolute HTTPS, without credentials or a
 * fragment (Fiwano refuses both). With `wildcards`, `*` is accepted where a redirect URI pattern
 * may hold one (a whole left-most host label, the path or the query).
 */
export function requireHttpsUrl(
	ctx: IExecuteFunctions,
	value: string,
	label: string,
	itemIndex: number,
	options: { wildcards?: boolean } = {},
): string {
	const url = value.trim();
	const fail = (why: string) =>
		new NodeOperationError(ctx.getNode(), `${label} must be an absolute HTTPS URL: ${why}`, {
			itemIndex,
			description: `Got "${url}". Example: https://yourapp.com/callback`,
		});
	if (!/^https:\/\//i.test(url)) throw fail('it does not start with https://');
	if (/\s/.test(url)) throw fail('it contains spaces');
	let parsed: URL;
	try {
		parsed = new URL(options.wildcards ? url.replace(/\*/g, 'wildcard') : url);
	} catch {
		throw fail('it is not a valid URL');
	}
	if (!parsed.hostname) throw fail('it has no host');
	if (parsed.username || parsed.password) throw fail('it must not contain a user name or password');
	if (url.includes('#')) throw fail('it must not contain a #fragment');
	return url;
}

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

/**
 * The channel field of both versions: the plain ID of the 1.x contract in typeVersion 1, the
 * picker from typeVersion 2. Both are saved as `channelId`; read it with {@link getChannelId}.
 */
export function channelIdFields(v1Description: string, v2Description: string): INodeProperties[] {
	return [
		channelIdString({ description: v1Description, displayOptions: { show: V1_ONLY } }),
		channelLocator({ description: v2Description, displayOptions: { show: V2_ON } }),
	];
}

/** Reads `channelId` whether it is a 1.x string or a v2 resource locator. */
export function getChannelId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'channelId',
): string {
	return requiredString(ctx, name, 'Channel', itemIndex, 'Pick a channel or enter its ID.');
}

export const CHANNEL_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'WhatsApp', value: 'whatsapp' },
	{ name: 'Instagram', value: 'instagram' },
	{ name: 'Facebook Messenger', value: 'facebook' },
];

/** Every webhook event Fiwano documents (api-reference.md plus the newer webhooks.md). */
export const WEBHOOK_EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Conversation Referral',
		value: 'conversation.referral',
		description: 'A user opened a conversation from an ad or link (Instagram, Facebook)',
	},
	{
		name: 'Message Delivered',
		value: 'message.delivered',
		description: 'Delivered to the recipient’s device',
	},
	{
		name: 'Message Echo',
		value: 'message.echo',
		description: 'A message your business sent outside Fiwano',
	},
	{ name: 'Message Failed', value: 'message.failed', description: 'Delivery failed' },
	{ name: 'Message Read', value: 'message.read', description: 'Read by the recipient' },
	{ name: 'Message Received', value: 'message.received', description: 'A user sent a message' },
	{ name: 'Message Sent', value: 'message.sent', description: 'Accepted by Meta (WhatsApp)' },
];

/** The five events of the 1.x contract (typeVersion 1 options). */
export const WEBHOOK_EVENT_OPTIONS_V1: INodePropertyOptions[] = WEBHOOK_EVENT_OPTIONS.filter((o) =>
	[
		'message.received',
		'message.sent',
		'message.delivered',
		'message.read',
		'message.failed',
	].includes(String(o.value)),
);
