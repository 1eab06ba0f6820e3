import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { CHANNEL_TYPE_OPTIONS } from '../../descriptions/common';
import { requiredString } from '../../helpers/parameters';
import { requireHttpsUrl } from '../../helpers/url';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	{
		displayName: 'Channel Type',
		name: 'channelType',
		type: 'options',
		options: CHANNEL_TYPE_OPTIONS,
		default: 'whatsapp',
		required: true,
		description: 'The type of channel to connect (or reconnect) via Meta OAuth',
	},
	{
		displayName: 'Redirect URI',
		name: 'redirectUri',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://yourapp.com/callback',
		description:
			'Exact HTTPS URL the user lands on after OAuth, with ?code=… to use in Exchange OAuth Code. It must match a pattern registered with Redirect URI → Add.',
	},
];

export const description = operationDescription('channel', 'setupUrl', properties);

/** 402 from setup-url means one thing only (changelog 14 September 2026). */
const NO_SUBSCRIPTION_HINT =
	'The account has no active subscription, so no channel can be connected or reconnected. Subscribe (or renew) on the Billing page of the Fiwano portal. This is not a full slot: that is 409 no_free_slot.';

function channelNames(occupiedBy: unknown): string {
	if (!Array.isArray(occupiedBy)) return '';
	return occupiedBy
		.map((entry) => {
			if (typeof entry === 'string') return entry;
			const channel = (entry ?? {}) as IDataObject;
			const id = typeof channel.id === 'string' ? channel.id : String(channel.channel_id ?? '');
			return typeof channel.name === 'string' && channel.name ? `${channel.name} (${id})` : id;
		})
		.filter(Boolean)
		.join(', ');
}

/**
 * Sharpens the hint of the two refusals setup-url keeps apart: 402 (no active subscription) and
 * 409 `no_free_slot` (subscriptions exist, every slot of the type is taken, `occupied_by` says by
 * whom). Status, Fiwano's detail and code stay as the transport set them.
 */
function setupRefusal(error: NodeApiError, channelType: string): NodeApiError {
	const context = (error.context ?? {}) as IDataObject;
	let hint: string | undefined;
	if (context.status === 402) hint = NO_SUBSCRIPTION_HINT;
	if (context.status === 409 && context.code === 'no_free_slot') {
		const holders = channelNames((context.detail as IDataObject | undefined)?.occupied_by);
		hint = `Every ${channelType} slot of your subscriptions is taken${holders ? ` (by ${holders})` : ''}. Reconnect one of those channels (Generate OAuth URL reconnects in place), or deactivate one and release its slot (Channel → Update Webhook → Release Subscription Slot), or add a subscription. Subscription → Get Free Slots shows what is free.`;
	}
	if (hint) {
		error.description = [hint, error.description].filter(Boolean).join(' ');
		error.context = { ...context, hint };
	}
	return error;
}

/**
 * Creates a Meta OAuth setup URL (`POST /channels/setup-url`) to open in a browser. Fiwano answers
 * 402 without an active subscription and 409 `no_free_slot` when every slot of the type is taken;
 * each error keeps Fiwano's detail and gets its own hint (setupRefusal).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelType = requiredString(this, 'channelType', 'Channel Type', itemIndex);
	const redirectUri = requireHttpsUrl(
		this,
		requiredString(this, 'redirectUri', 'Redirect URI', itemIndex),
		'Redirect URI',
		itemIndex,
	);
	try {
		return asObject(
			await fiwanoApiRequest.call(this, 'POST', '/channels/setup-url', {
				body: { channel_type: channelType, redirect_uri: redirectUri },
				itemIndex,
			}),
		);
	} catch (error) {
		throw error instanceof NodeApiError ? setupRefusal(error, channelType) : error;
	}
}
