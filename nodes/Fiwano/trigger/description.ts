import type { INodeProperties } from 'n8n-workflow';

import {
	channelTypesOption,
	channelLocator,
	WEBHOOK_EVENT_OPTIONS,
	WEBHOOK_EVENT_OPTIONS_V1,
	V1_ONLY,
	V2_ON,
} from '../descriptions/common';

const UNSIGNED_WARNING =
	'without one, deliveries are accepted unsigned and anyone who knows the URL can start this workflow.';

/** typeVersion 1: the 1.x parameters, names, values and defaults unchanged. */
const v1Properties: INodeProperties[] = [
	{
		displayName: 'Webhook Auto-Setup',
		name: 'autoSetup',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Manual',
				value: 'manual',
				description: 'You set the webhook URL on the channel yourself (no credential needed)',
			},
			{
				name: 'All Active Channels',
				value: 'all',
				description:
					'On activation, point every active channel that is not wired elsewhere at this trigger. Channels already pointing at another URL are left alone.',
			},
			{
				name: 'Specific Channel',
				value: 'channel',
				description:
					'On activation, point one channel at this trigger (taking it over from any other URL)',
			},
		],
		default: 'manual',
		description:
			'How this trigger’s webhook URL gets onto your Fiwano channel(s). The automatic setups need a Fiwano credential and wire and unwire the channels when the workflow is activated and deactivated.',
		displayOptions: { show: { ...V1_ONLY } },
	},
	{
		displayName: 'Channel ID',
		name: 'channelId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a1b2c3d4e5f67890',
		description: 'The channel to register this trigger on',
		displayOptions: { show: { ...V1_ONLY, autoSetup: ['channel'] } },
	},
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Secret the signatures of incoming deliveries are checked with; the automatic setups also put it on the channel(s). Empty: the credential’s Webhook Secret is used, and if that is empty too the automatic setups use a secret of their own. New nodes keep the secret in the credential only.',
		displayOptions: { show: { ...V1_ONLY } },
	},
	{
		displayName: 'Event Types',
		name: 'events',
		type: 'multiOptions',
		options: WEBHOOK_EVENT_OPTIONS_V1,
		default: ['message.received'],
		description:
			'Events that start the workflow; the automatic setups also register them on the channel(s). Empty: every event.',
		displayOptions: { show: { ...V1_ONLY } },
	},
	{
		displayName: `Manual setup: set this node’s Production URL (Webhook URLs, above) as the channel’s webhook in the Fiwano portal, enable the events there, and use the same Webhook Secret on both sides — ${UNSIGNED_WARNING}`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...V1_ONLY, autoSetup: ['manual'] } },
	},
];

/** typeVersion 2, the default for new nodes: a channel picker, every event, options, no secret parameter. */
const v2Properties: INodeProperties[] = [
	{
		displayName: 'Webhook Setup',
		name: 'autoSetup',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Channel',
				value: 'channel',
				description:
					'On activation, point the chosen channel at this trigger (taking it over from any other URL); on deactivation, clear it',
			},
			{
				name: 'All Active Channels',
				value: 'all',
				description:
					'On activation, point every active channel that is not wired elsewhere at this trigger; channels already sending to another URL are left alone',
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'You set the webhook URL in the Fiwano portal yourself',
			},
		],
		default: 'channel',
		description: 'How this trigger’s webhook URL gets onto your Fiwano channel(s)',
		displayOptions: { show: { ...V2_ON } },
	},
	channelLocator({
		description: 'The channel whose events start this workflow',
		displayOptions: { show: { ...V2_ON, autoSetup: ['channel'] } },
	}),
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: WEBHOOK_EVENT_OPTIONS,
		default: ['message.received'],
		description:
			'Events that start the workflow; the automatic setups also register them on the channel(s). Empty: every event.',
		displayOptions: { show: { ...V2_ON } },
	},
	{
		displayName:
			'On activation the trigger points the channel(s) at its Production URL with these events and a signing secret it keeps to itself (or the credential’s Webhook Secret), and checks every delivery’s signature. Deactivating clears the channel(s). Listening for a test event borrows a channel that sends to this workflow (production receives nothing meanwhile) and puts it back afterwards; channels that send elsewhere are not used for tests.',
		name: 'autoNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...V2_ON, autoSetup: ['channel', 'all'] } },
	},
	{
		displayName: `Manual setup: in the Fiwano portal, set this node’s Production URL (Webhook URLs, above) as the channel’s webhook URL and enable the events. Put the channel’s webhook secret into the Fiwano credential’s Webhook Secret — ${UNSIGNED_WARNING}`,
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...V2_ON, autoSetup: ['manual'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...V2_ON } },
		options: [
			channelTypesOption(
				'Start the workflow only for events from these channel types; All Active Channels also wires only channels of these types. Empty: every type.',
			),
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the file of an incoming image, audio, video or document into binary data, with its MIME type and file name. Fiwano is answered before the download starts.',
			},
			{
				displayName: 'Put Media in Field',
				name: 'binaryProperty',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field the downloaded file goes into',
				displayOptions: { show: { downloadMedia: [true] } },
			},
		],
	},
];

export const triggerProperties: INodeProperties[] = [...v1Properties, ...v2Properties];
