import type {
	IDisplayOptions,
	INodeProperties,
	INodePropertyMode,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * Channel IDs the ID mode accepts. Fiwano's are 16 lowercase hex characters (a1b2c3d4e5f67890);
 * the check is looser so that a sandbox's or a future ID format is not refused in the editor.
 */
const CHANNEL_ID_REGEX = '^[A-Za-z0-9_-]{4,64}$';

/** Shown only under typeVersion 1 (the saved shape of the 1.x package). */
export const V1_ONLY = { '@version': [1] };

/** Shown from typeVersion 2 on. */
export const V2_ON = { '@version': [{ _cnd: { gte: 2 } }] };

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

/**
 * The Filters collection of a Get Many; `show` limits it to a typeVersion where 1.x had none.
 * Read it with `getNodeParameter('filters', itemIndex, {})`.
 */
export function filtersCollection(
	options: INodeProperties[],
	show?: IDisplayOptions['show'],
): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		...(show ? { displayOptions: { show } } : {}),
		options,
	};
}

/**
 * The editor's check of an ID typed into a picker's ID mode: the ID must match `regex`, else
 * `errorMessage` is shown.
 */
export function idValidation(regex: string, errorMessage: string): INodePropertyMode['validation'] {
	return [{ type: 'regex', properties: { regex, errorMessage } }];
}

/**
 * A typeVersion 2 picker: "From List" searches with `searchListMethod` (methods/listSearch.ts);
 * `field.modes` are the modes to enter the value by hand (an ID, a name). Saved as
 * `{ __rl, mode, value }`; read it with `extractValue` (helpers/parameters.ts requiredString).
 */
export function resourceLocator(
	field: Pick<INodeProperties, 'displayName' | 'name'> &
		Partial<INodeProperties> & { modes: INodePropertyMode[] },
	searchListMethod: string,
	listPlaceholder: string,
): INodeProperties {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		...field,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: listPlaceholder,
				typeOptions: { searchListMethod, searchable: true },
			},
			...field.modes,
		],
	};
}

/**
 * Channel picker for typeVersion 2: a list with search (name, type, number or username) or an ID.
 * typeVersion 1 keeps the plain `channelId` string of the 1.x contract.
 */
export function channelLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return resourceLocator(
		{
			displayName: 'Channel',
			name: 'channelId',
			description:
				'The Fiwano channel (WhatsApp number, Instagram account or Facebook Page) to use',
			...overrides,
			modes: [
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. a1b2c3d4e5f67890',
					validation: idValidation(CHANNEL_ID_REGEX, 'Not a valid Fiwano channel ID'),
				},
			],
		},
		'searchChannels',
		'Select a channel...',
	);
}

/** Plain channel ID field of the 1.x contract (typeVersion 1). */
function channelIdString(overrides: Partial<INodeProperties> = {}): INodeProperties {
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

export const CHANNEL_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'WhatsApp', value: 'whatsapp' },
	{ name: 'Instagram', value: 'instagram' },
	{ name: 'Facebook Messenger', value: 'facebook' },
];

/** The Channel Types option of both triggers: which channel types to watch; empty means all. */
export function channelTypesOption(description: string): INodeProperties {
	return {
		displayName: 'Channel Types',
		name: 'channelTypes',
		type: 'multiOptions',
		options: CHANNEL_TYPE_OPTIONS,
		default: [],
		description,
	};
}

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
