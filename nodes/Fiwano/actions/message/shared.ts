import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isChannelType } from '../../helpers/channelType';
import {
	assertRecipientFits,
	normalizeRecipient,
	recipientOrderingKey,
} from '../../helpers/recipient';
import type { ChannelType, SendResponse } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import { sendFailedError } from '../../transport/errors';
import { channelTypeOf } from '../../transport/lookups';
import { CHANNEL_TYPE_OPTIONS, channelIdFields, V1_ONLY, V2_ON } from '../../descriptions/common';
import { getChannelId } from '../../helpers/parameters';

/** The sending channel: the 1.x plain ID in typeVersion 1, the channel picker from typeVersion 2. */
export function channelFields(): INodeProperties[] {
	return channelIdFields(
		'The channel to send the message through',
		'The channel to send from: a WhatsApp number, Instagram account or Facebook Page connected to Fiwano',
	);
}

/**
 * The recipient field: the 1.x description in typeVersion 1 (the value is only trimmed there,
 * as the API does), and in typeVersion 2 one that says how WhatsApp numbers are cleaned up.
 */
export function recipientFields(v2Description?: string): INodeProperties[] {
	const base: INodeProperties = {
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 15551234567',
	};
	return [
		{
			...base,
			description:
				'Phone number without + (WhatsApp), IGSID (Instagram), or PSID (Facebook). To reply, map data.from from the Fiwano Trigger.',
			displayOptions: { show: V1_ONLY },
		},
		{
			...base,
			description:
				v2Description ??
				'Who receives the message: a phone number in international format for WhatsApp (e.g. 15551234567; +, spaces and dashes are removed), the IGSID for Instagram or the PSID for Messenger. To reply to an incoming message, map data.from from the Fiwano Trigger.',
			displayOptions: { show: V2_ON },
		},
	];
}

/** A send's Options collection (typeVersion 2 only; 1.x had none). */
export function sendOptions(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: V2_ON },
		options,
	};
}

export const channelTypeOption: INodeProperties = {
	displayName: 'Channel Type',
	name: 'channelType',
	type: 'options',
	options: CHANNEL_TYPE_OPTIONS,
	default: 'whatsapp',
	description:
		'The type of the sending channel, if you know it. When set, the node does not look the channel up; when not set, it asks Fiwano once per run and channel, and only when it needs to know.',
};

/**
 * The recipient of a typeVersion 2 send as Fiwano expects it on the sending channel, checked
 * before any request, with the channel's type when known. The type is Options > Channel Type,
 * else it is looked up (once per run and channel) only when it matters: when the operation
 * `needsType`, or when the recipient is not plain digits, the one case in which cleaning it up
 * or checking it depends on the type.
 */
export async function sendingRecipient(
	ctx: IExecuteFunctions,
	channelId: string,
	rawRecipient: string,
	options: IDataObject,
	itemIndex: number,
	needsType: boolean,
): Promise<{ recipient: string; channelType: ChannelType | undefined }> {
	let channelType = isChannelType(options.channelType) ? options.channelType : undefined;
	if (!channelType && (needsType || !/^\d+$/.test(rawRecipient))) {
		channelType = await channelTypeOf.call(ctx, channelId, itemIndex);
	}
	const recipient = normalizeRecipient(rawRecipient, channelType);
	assertRecipientFits(ctx, recipient, channelType, itemIndex);
	return { recipient, channelType };
}

/**
 * Items with the same channel and recipient run one after another in item order; others run
 * in parallel. It never throws: an item whose fields are broken gets a key of its own and
 * fails in `execute` with a proper error.
 */
export function orderingKey(this: IExecuteFunctions, itemIndex: number): string {
	let channelId: string;
	try {
		channelId = getChannelId(this, itemIndex);
	} catch {
		channelId = `#item-${itemIndex}`;
	}
	return `${channelId}|${recipientOrderingKey(this, itemIndex)}`;
}

/** True when Fiwano reported the send as failed (it answers 200 with `success: false`). */
export function isFailedSend(response: SendResponse): boolean {
	return response?.success === false || response?.status === 'failed';
}

/**
 * Throws the documented error (Meta code, hint) for a send Fiwano answered as failed; a
 * `queued` send is a success Fiwano completes in the background and is returned as it is.
 */
export function assertSent(
	ctx: IExecuteFunctions,
	response: SendResponse,
	itemIndex: number,
): SendResponse {
	if (isFailedSend(response)) throw sendFailedError(ctx.getNode(), response, itemIndex);
	return response;
}

/**
 * Sends one message (`POST /messages/send`, `send-media` or `send-template`) and returns Fiwano's
 * answer; a send Fiwano answered as failed is thrown as its documented error (assertSent).
 */
export async function postSend(
	ctx: IExecuteFunctions,
	path: '/messages/send' | '/messages/send-media' | '/messages/send-template',
	body: IDataObject,
	itemIndex: number,
): Promise<SendResponse> {
	const response = (await fiwanoApiRequest.call(ctx, 'POST', path, {
		body,
		itemIndex,
	})) as SendResponse;
	return assertSent(ctx, response, itemIndex);
}
