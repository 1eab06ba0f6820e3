import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChannelType } from './types';

/** A phone number as people write it: digits with an optional leading +, spaces, dashes, dots, parentheses. */
const PHONE_LIKE = /^\+?[\d\s\-().]*\d[\d\s\-().]*$/;

/**
 * Reads the `recipient` parameter as text. Expressions often hand over a number (kept as
 * digits) or, by mistake, a whole object; an object, an array or an empty value is a clear
 * error for this item instead of a request Fiwano would reject.
 */
export function readRecipient(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'recipient',
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw !== null && typeof raw === 'object') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Recipient must be text, but it is ${Array.isArray(raw) ? 'a list' : 'an object'}`,
			{
				itemIndex,
				description:
					'Use the phone number (WhatsApp), IGSID (Instagram) or PSID (Messenger) itself, e.g. {{ $json.data.from }} from a Fiwano Trigger, not the whole object.',
			},
		);
	}
	let value: string;
	if (typeof raw === 'number') {
		if (!Number.isSafeInteger(raw) || raw < 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Recipient ${raw} is not a whole number that can be sent exactly`,
				{
					itemIndex,
					description:
						'Pass the recipient as text (IGSIDs and PSIDs are too long for numbers), e.g. {{ String($json.data.from) }}.',
				},
			);
		}
		value = String(raw);
	} else {
		value = typeof raw === 'string' ? raw.trim() : '';
	}
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), 'Recipient is empty', {
			itemIndex,
			description:
				'Set the phone number (WhatsApp, e.g. 15551234567), IGSID (Instagram) or PSID (Messenger) to send to. When replying, map {{ $json.data.from }} from the Fiwano Trigger.',
		});
	}
	return value;
}

/**
 * True when the recipient is written like a phone number: digits, maybe with +, spaces, dashes,
 * dots or parentheses (reducing plain digits to digits changes nothing).
 */
function isPhoneLike(recipient: string): boolean {
	return PHONE_LIKE.test(recipient);
}

/**
 * The recipient as Fiwano expects it on this channel type: WhatsApp numbers are digits only
 * (a leading +, spaces, dashes, dots and parentheses are removed); Instagram and Messenger IDs
 * are kept as they are. With no known channel type the value is returned unchanged.
 */
export function normalizeRecipient(
	recipient: string,
	channelType: ChannelType | undefined,
): string {
	if (channelType === 'whatsapp' && isPhoneLike(recipient)) return recipient.replace(/\D/g, '');
	return recipient;
}

/**
 * Checks the recipient's shape for the channel type before any request, as Fiwano's preflight
 * would: Instagram and Messenger take numeric IDs (IGSID, PSID). WhatsApp values are passed on,
 * since Meta may accept identifiers other than plain numbers.
 */
export function assertRecipientFits(
	ctx: IExecuteFunctions,
	recipient: string,
	channelType: ChannelType | undefined,
	itemIndex: number,
): void {
	if (channelType === 'instagram' || channelType === 'facebook') {
		if (!/^\d+$/.test(recipient)) {
			const id = channelType === 'instagram' ? 'IGSID' : 'PSID';
			throw new NodeOperationError(
				ctx.getNode(),
				`Recipient "${recipient}" is not a valid ${id}: ${channelType === 'instagram' ? 'Instagram' : 'Messenger'} recipients are numeric IDs`,
				{
					itemIndex,
					description: `Use the ${id} of the person (digits only, e.g. 6543217890123456), as in data.from of the Fiwano Trigger's message.received event.`,
				},
			);
		}
	}
}

/**
 * The key the router uses to keep one person's messages in order. It must not fail or wait,
 * so a formatted phone number is reduced to digits whatever the channel type.
 */
export function recipientOrderingKey(ctx: IExecuteFunctions, itemIndex: number): string {
	try {
		const recipient = readRecipient(ctx, itemIndex);
		return isPhoneLike(recipient) ? recipient.replace(/\D/g, '') : recipient;
	} catch {
		return `#item-${itemIndex}`;
	}
}
