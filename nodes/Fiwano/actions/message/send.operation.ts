import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { isV1 } from '../../helpers/version';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { readRecipient } from '../../helpers/recipient';
import {
	codePointLength,
	SMALLEST_TEXT_LIMIT,
	splitText,
	TEXT_LIMITS,
} from '../../helpers/textSplit';
import { TYPE_LABEL } from '../../helpers/channelLabel';
import { getChannelId } from '../../helpers/parameters';
import { V1_ONLY, V2_ON } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import {
	channelFields,
	channelTypeOption,
	orderingKey,
	postSend,
	recipientFields,
	sendingRecipient,
	sendOptions,
} from './shared';
import { concurrencyOption, sendEngine } from './sendEngine';

type LongTextMode = 'split' | 'error' | 'send';

/** The Text field; each version says differently what happens to text over the limit. */
const TEXT: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'e.g. Hello! Your order is ready.',
};

const properties: INodeProperties[] = [
	...channelFields(),
	...recipientFields(),
	{
		...TEXT,
		description:
			'The message text. Limits: WhatsApp 4096 characters, Messenger 2000, Instagram 1000 (Fiwano rejects longer text).',
		displayOptions: { show: V1_ONLY },
	},
	{
		...TEXT,
		description:
			'The message text. Limits: WhatsApp 4096 characters, Messenger 2000, Instagram 1000; longer text is handled as set in Options > Long Text (split into several messages by default).',
		displayOptions: { show: V2_ON },
	},
	sendOptions([
		channelTypeOption,
		concurrencyOption,
		{
			displayName: 'Long Text',
			name: 'longText',
			type: 'options',
			default: 'split',
			description: "What to do with text longer than the channel's limit",
			options: [
				{
					name: 'Send As Is',
					value: 'send',
					description: 'Send one message; Fiwano rejects text over the limit',
				},
				{
					name: 'Split Into Several Messages',
					value: 'split',
					description:
						'Send several messages in order, cut at paragraph, sentence or word boundaries (never inside an emoji)',
				},
				{
					name: 'Stop With an Error',
					value: 'error',
					description: 'Fail the item before calling Fiwano',
				},
			],
		},
	]),
];

export const description = operationDescription('message', 'send', properties);

/** The `text` parameter as a string; blank text is refused before the request, as Fiwano would. */
function readText(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('text', itemIndex, '') as unknown;
	if (raw !== null && typeof raw === 'object') {
		throw new NodeOperationError(ctx.getNode(), 'Text must be text, but it is an object', {
			itemIndex,
			description:
				'Map a text field, e.g. {{ $json.reply }}, not a whole object. Use JSON.stringify() to send data as text.',
		});
	}
	const text = raw === undefined || raw === null ? '' : String(raw);
	if (!text.trim()) {
		throw new NodeOperationError(ctx.getNode(), 'Text is empty', {
			itemIndex,
			description:
				'Fiwano refuses messages without any visible character. Check the expression that fills the text.',
		});
	}
	return text;
}

/** Adds to an error which parts of a split text had already been sent, so nobody resends them. */
function withSentParts(
	ctx: IExecuteFunctions,
	caught: unknown,
	sent: IDataObject[],
	total: number,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
	if (sent.length === 0) return error;
	const ids = sent.map((s) => s.message_id).filter(Boolean);
	const note = `The text was split into ${total} messages: parts 1–${sent.length} were already sent (message IDs: ${ids.join(', ')}); part ${sent.length + 1} failed and later parts were not sent. Do not send the whole text again.`;
	error.description = [error.description, note].filter(Boolean).join(' ');
	error.context = {
		...error.context,
		sentParts: sent.map((s) => ({ part: s.part, message_id: s.message_id })),
	};
	return error;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const rawRecipient = readRecipient(this, itemIndex);
	const text = readText(this, itemIndex);

	if (isV1(this)) {
		// The 1.x request and output: one message, the API's answer as the item. A send Fiwano
		// reports as failed is an error here too, never a green item.
		return await postSend(
			this,
			'/messages/send',
			{ channel_id: channelId, recipient: rawRecipient, text },
			itemIndex,
		);
	}

	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const longText = (options.longText as LongTextMode | undefined) ?? 'split';
	const length = codePointLength(text);
	// The channel's limit matters only for text longer than the smallest limit of all types.
	const lengthMatters = longText !== 'send' && length > SMALLEST_TEXT_LIMIT;
	const { recipient, channelType } = await sendingRecipient(
		this,
		channelId,
		rawRecipient,
		options,
		itemIndex,
		lengthMatters,
	);

	let parts = [text];
	const limit = channelType ? TEXT_LIMITS[channelType] : undefined;
	if (channelType && limit !== undefined && length > limit && longText !== 'send') {
		if (longText === 'error') {
			throw new NodeOperationError(
				this.getNode(),
				`Text is ${length} characters long; the ${TYPE_LABEL[channelType]} limit is ${limit}`,
				{
					itemIndex,
					description:
						'Shorten the text, or set Options > Long Text to "Split Into Several Messages" to send it as several messages in order.',
				},
			);
		}
		parts = splitText(text, limit);
	}

	const sent: IDataObject[] = [];
	for (let index = 0; index < parts.length; index++) {
		try {
			const response = await postSend(
				this,
				'/messages/send',
				{ channel_id: channelId, recipient, text: parts[index] },
				itemIndex,
			);
			const output: IDataObject = { ...response, channel_id: channelId, recipient };
			if (parts.length > 1) {
				output.part = index + 1;
				output.parts = parts.length;
			}
			sent.push(output);
		} catch (error) {
			throw withSentParts(this, error, sent, parts.length, itemIndex);
		}
	}
	return sent;
}

export const runItems = sendEngine(orderingKey);
