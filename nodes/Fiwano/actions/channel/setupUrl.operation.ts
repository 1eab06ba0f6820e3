import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { CHANNEL_TYPE_OPTIONS } from '../../descriptions/common';
import { requiredString } from '../../helpers/parameters';
import { requireHttpsUrl } from '../../helpers/url';
import type { OperationOutput } from '../node.type';

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

export const description = updateDisplayOptions(
	{ show: { resource: ['channel'], operation: ['setupUrl'] } },
	properties,
);

/**
 * Creates a Meta OAuth setup URL (`POST /channels/setup-url`) to open in a browser. Fiwano answers
 * 409 `no_free_slot` when every subscription slot of the type is taken; the error keeps that detail.
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
	return asObject(
		await fiwanoApiRequest.call(this, 'POST', '/channels/setup-url', {
			body: { channel_type: channelType, redirect_uri: redirectUri },
			itemIndex,
		}),
	);
}
