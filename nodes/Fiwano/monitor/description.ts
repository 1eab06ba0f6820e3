import type { INodeProperties } from 'n8n-workflow';

import { channelTypesOption } from '../descriptions/common';
import { DEFAULT_LAPSE_WARNING_DAYS } from '../helpers/attention';
import { MONITOR_EVENTS } from './changes';

export const monitorProperties: INodeProperties[] = [
	{
		displayName:
			'Checks your Fiwano channels on the schedule above and starts the workflow once per change. The first check after the workflow is published only takes note of how things are; from then on every change fires.',
		name: 'monitorNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Channel Back to OK',
				value: 'health.ok',
				description: 'A channel that needed action works again',
			},
			{
				name: 'Channel Needs Action',
				value: 'health.action_required',
				description:
					'Meta no longer lets Fiwano work with the channel (access or a permission revoked, number removed, account blocked): reconnect it',
			},
			{
				name: 'Subscription About to Lapse',
				value: 'subscription.expiring',
				description:
					'A channel’s subscription ends within Days Before Lapse and does not renew by itself',
			},
			{
				name: 'Subscription Lapsed',
				value: 'subscription.lapsed',
				description: 'A channel’s subscription is no longer active: it cannot send or receive',
			},
			{
				name: 'Webhook URL Removed',
				value: 'webhook.removed',
				description:
					'A channel that had a webhook URL has none: Fiwano delivers none of its events',
			},
		],
		default: [...MONITOR_EVENTS],
		description: 'Which changes start the workflow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			channelTypesOption('Watch only channels of these types. Empty: all.'),
			{
				displayName: 'Days Before Lapse',
				name: 'lapseWarningDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_LAPSE_WARNING_DAYS,
				description:
					'Subscription About to Lapse fires when a subscription that does not renew by itself has this many days or fewer left',
			},
			{
				displayName: 'Include Inactive Channels',
				name: 'includeInactive',
				type: 'boolean',
				default: false,
				description: 'Whether to watch deactivated channels too',
			},
		],
	},
];
