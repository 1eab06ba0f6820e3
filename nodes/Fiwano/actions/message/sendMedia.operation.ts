import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { isV1 } from '../../helpers/version';
import { NodeOperationError } from 'n8n-workflow';

import { readRecipient } from '../../helpers/recipient';
import { codePointLength } from '../../helpers/textSplit';
import type { ChannelType } from '../../helpers/types';
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
import { httpsUrlProblem } from '../../helpers/url';
import { concurrencyOption, sendEngine } from './sendEngine';

const FILE_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Audio', value: 'audio', description: 'An audio file, such as MP3, OGG, AAC or AMR' },
	{ name: 'Document', value: 'document', description: 'A PDF or other document' },
	{ name: 'Image', value: 'image', description: 'A JPEG or PNG picture' },
	{ name: 'Video', value: 'video', description: 'An MP4 or 3GPP video' },
];
const FILE_TYPES = FILE_TYPE_OPTIONS.map((o) => String(o.value));

/** Meta's limits for a media message's caption and file name. */
const CAPTION_MAX = 1024;
const FILENAME_MAX = 255;

/** The Media Type selector: the four file types of 1.x, and stickers from typeVersion 2. */
function mediaTypeField(
	options: INodePropertyOptions[],
	show: IDisplayOptions['show'],
): INodeProperties {
	return {
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		required: true,
		options,
		description: 'Kind of file to send',
		displayOptions: { show },
	};
}

const properties: INodeProperties[] = [
	...channelFields(),
	...recipientFields(),
	mediaTypeField(FILE_TYPE_OPTIONS, V1_ONLY),
	mediaTypeField(
		[
			...FILE_TYPE_OPTIONS,
			{
				name: 'Sticker',
				value: 'sticker',
				description:
					'WhatsApp: a WebP file by URL. Messenger: a sticker ID. Not available on Instagram.',
			},
		].sort((a, b) => a.name.localeCompare(b.name)),
		V2_ON,
	),
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://my-bucket.s3.amazonaws.com/photo.jpg',
		description:
			'HTTPS URL of the file; Meta downloads it from there. For private files use a signed URL valid for at least 20 minutes. Meta’s size caps apply (e.g. WhatsApp images 5 MB).',
		displayOptions: { show: { mediaType: FILE_TYPES } },
	},
	{
		displayName: 'Sticker URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://my-bucket.s3.amazonaws.com/thanks.webp',
		description:
			'WhatsApp only: HTTPS URL of a WebP sticker, 512×512 px, up to 100 KB (static) or 500 KB (animated). Leave empty on Messenger.',
		displayOptions: { show: { ...V2_ON, mediaType: ['sticker'] } },
	},
	{
		displayName: 'Sticker ID',
		name: 'stickerId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 369239263222822',
		description:
			'Messenger only: a sticker from Meta’s catalog (369239263222822 is the thumbs up) or the media.sticker_id of a sticker a user sent. Leave empty on WhatsApp.',
		displayOptions: { show: { ...V2_ON, mediaType: ['sticker'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'mediaAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { mediaType: FILE_TYPES } },
		options: [
			{
				displayName: 'Caption',
				name: 'caption',
				type: 'string',
				default: '',
				description: `Text shown with the file (WhatsApp image, video and document; up to ${CAPTION_MAX} characters)`,
			},
			{
				displayName: 'Filename',
				name: 'filename',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice-1042.pdf',
				description: `File name the recipient sees (WhatsApp documents; up to ${FILENAME_MAX} characters)`,
			},
		],
	},
	sendOptions([channelTypeOption, concurrencyOption]),
];

export const description = operationDescription('message', 'sendMedia', properties);

function fail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** Refuses a caption or file name over Meta's limit, counted in characters (code points) as Meta does. */
function checkLength(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	value: string,
	max: number,
	description: string,
): void {
	const length = codePointLength(value);
	if (length > max) {
		fail(
			ctx,
			itemIndex,
			`${label} is ${length} characters long; the maximum is ${max}`,
			description,
		);
	}
}

function readString(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (typeof raw === 'number') return String(raw);
	return typeof raw === 'string' ? raw.trim() : '';
}

function checkedUrl(ctx: IExecuteFunctions, url: string, itemIndex: number, label: string): string {
	const problem = httpsUrlProblem(url);
	if (problem) {
		fail(
			ctx,
			itemIndex,
			`${label} ${problem}`,
			'Meta fetches the file over HTTPS only. Give an HTTPS link Meta can download, e.g. https://my-bucket.s3.amazonaws.com/photo.jpg; for private files use a signed URL (S3, GCS, R2) valid for at least 20 minutes.',
		);
	}
	return url;
}

/** The sticker fields for the channel type: WhatsApp takes a WebP URL, Messenger a sticker ID. */
function stickerFields(
	ctx: IExecuteFunctions,
	channelType: ChannelType,
	itemIndex: number,
): { media_url?: string; sticker_id?: string } {
	if (channelType === 'instagram') {
		fail(
			ctx,
			itemIndex,
			'Instagram has no stickers',
			'Send the picture as Media Type "Image" instead.',
		);
	}
	if (channelType === 'facebook') {
		const stickerId = readString(ctx, 'stickerId', itemIndex);
		if (!/^\d{1,32}$/.test(stickerId)) {
			fail(
				ctx,
				itemIndex,
				stickerId ? `Sticker ID "${stickerId}" is not a Meta sticker ID` : 'Sticker ID is empty',
				'Messenger stickers are sent by their numeric Meta ID, e.g. 369239263222822 (thumbs up) or the media.sticker_id of a sticker you received.',
			);
		}
		return { sticker_id: stickerId };
	}
	const url = readString(ctx, 'mediaUrl', itemIndex);
	return {
		media_url: checkedUrl(ctx, url, itemIndex, 'Sticker URL'),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const v2 = !isV1(this);
	const channelId = getChannelId(this, itemIndex);
	const rawRecipient = readRecipient(this, itemIndex);
	const mediaType = this.getNodeParameter('mediaType', itemIndex) as string;
	const allowed = v2 ? [...FILE_TYPES, 'sticker'] : FILE_TYPES;
	if (!allowed.includes(mediaType)) {
		fail(
			this,
			itemIndex,
			`Media type "${mediaType}" is not supported`,
			`Use one of: ${allowed.join(', ')}.`,
		);
	}
	const options = v2 ? (this.getNodeParameter('options', itemIndex, {}) as IDataObject) : {};

	const body: IDataObject = {
		channel_id: channelId,
		recipient: rawRecipient,
		media_type: mediaType,
	};
	if (mediaType !== 'sticker') {
		body.media_url = checkedUrl(
			this,
			readString(this, 'mediaUrl', itemIndex),
			itemIndex,
			'Media URL',
		);
		const extra = this.getNodeParameter('mediaAdditionalFields', itemIndex, {}) as IDataObject;
		const caption = typeof extra.caption === 'string' ? extra.caption : '';
		const filename = typeof extra.filename === 'string' ? extra.filename.trim() : '';
		checkLength(
			this,
			itemIndex,
			'Caption',
			caption,
			CAPTION_MAX,
			'Shorten the caption, or send the text as a separate message.',
		);
		checkLength(this, itemIndex, 'Filename', filename, FILENAME_MAX, 'Use a shorter file name.');
		if (caption) body.caption = caption;
		if (filename) body.filename = filename;
	}

	if (!v2) {
		// The 1.x request and output: the API's answer as the item; a failed send is an error.
		return await postSend(this, '/messages/send-media', body, itemIndex);
	}

	// A sticker is sent differently per channel type (stickerFields).
	const { recipient, channelType } = await sendingRecipient(
		this,
		channelId,
		rawRecipient,
		options,
		itemIndex,
		mediaType === 'sticker',
	);
	body.recipient = recipient;
	if (mediaType === 'sticker' && channelType)
		Object.assign(body, stickerFields(this, channelType, itemIndex));

	const response = await postSend(this, '/messages/send-media', body, itemIndex);
	return { ...response, channel_id: channelId, recipient, media_type: mediaType };
}

export const runItems = sendEngine(orderingKey);
