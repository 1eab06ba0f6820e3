import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { channelPath } from '../../helpers/apiPath';
import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { channelIdFields } from '../../descriptions/common';
import { getChannelId, requiredString } from '../../helpers/parameters';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	...channelIdFields(
		'The Instagram or Facebook channel ID',
		'The Instagram or Facebook Messenger channel the person wrote to (WhatsApp has no profile lookup)',
	),
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 6543217890123456',
		description:
			'The numeric IGSID (Instagram) or PSID (Facebook) of the person, as sent in data.from of a Fiwano Trigger event. Not a username or phone number.',
		hint: 'Map {{ $json.data.from }} from a Fiwano Trigger node',
	},
	{
		displayName:
			"WhatsApp is not supported: the sender's name is always in the webhook payload (data.from_name). Fiwano caches profiles for 5 minutes.",
		name: 'profileNotice',
		type: 'notice',
		default: '',
	},
];

export const description = operationDescription('contact', 'getProfile', properties);

/**
 * The Meta profile of a person who wrote to an Instagram or Messenger channel
 * (`GET /channels/{id}/profile/{user_id}`). `profile` is null when Meta has none to give.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const userId = requiredString(this, 'userId', 'User ID', itemIndex);
	if (!isV1(this) && !/^\d+$/.test(userId)) {
		throw new NodeOperationError(
			this.getNode(),
			`User ID must be the numeric IGSID or PSID, got "${userId}"`,
			{
				itemIndex,
				description:
					'Use data.from of the incoming Instagram or Messenger event (digits only), not a username, name or phone number.',
			},
		);
	}
	return asObject(
		await fiwanoApiRequest.call(this, 'GET', channelPath(channelId, 'profile', userId), {
			itemIndex,
		}),
	);
}
