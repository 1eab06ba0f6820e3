import type { IDataObject } from 'n8n-workflow';

import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import {
	byId,
	channel,
	FB_CUSTOMER,
	FB_ID,
	failed,
	IG_CUSTOMER,
	IG_ID,
	sent,
	WA_CUSTOMER,
	WA_ID,
} from './fixtures';

setupHttp();

const SEND_MEDIA = '/api/v1/messages/send-media';
const PHOTO = 'https://cdn.example.com/photo.jpg?X-Amz-Signature=abc&X-Amz-Expires=1800';
const STICKER = 'https://cdn.example.com/thanks.webp';

function v2(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'message',
		operation: 'sendMedia',
		channelId: byId(WA_ID),
		recipient: WA_CUSTOMER,
		mediaType: 'image',
		mediaUrl: PHOTO,
		...overrides,
	};
}

describe('Message → Send Media (typeVersion 2)', () => {
	it('sends an image with caption to a numeric recipient without looking the channel up', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				media_type: 'image',
				media_url: PHOTO,
				caption: 'Your order photo',
			})
			.reply(200, sent('md-1'));
		const { items } = await runFiwano(
			v2({ mediaAdditionalFields: { caption: 'Your order photo' } }),
		);
		expect(items).toEqual([
			{
				json: { ...sent('md-1'), channel_id: WA_ID, recipient: WA_CUSTOMER, media_type: 'image' },
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('sends a document with its file name', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				media_type: 'document',
				media_url: 'https://cdn.example.com/invoice.pdf',
				filename: 'invoice-1042.pdf',
			})
			.reply(200, sent('md-1'));
		await runFiwano(
			v2({
				mediaType: 'document',
				mediaUrl: 'https://cdn.example.com/invoice.pdf',
				mediaAdditionalFields: { filename: 'invoice-1042.pdf' },
			}),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('a queued send (Meta slow to fetch the file) is a success with status queued', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA)
			.reply(200, sent('md-q', { status: 'queued' }));
		const { items, error } = await runFiwano(v2());
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual(
			expect.objectContaining({ success: true, status: 'queued', message_id: 'md-q' }),
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	it('a failed send is an error with Meta’s code and the hint for it', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA)
			.reply(200, failed(131052, 'Media download error. Hint: check the URL'));
		const { error } = await runFiwano(v2());
		expect(error?.message).toBe(
			'Fiwano could not send the message (Meta error 131052): Media download error. Hint: check the URL',
		);
		expect(String(error?.description)).toMatch(/Meta could not download the media URL/);
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail a failed send is an error item with status, code and hint', async () => {
		const scope = fiwanoApi().post(SEND_MEDIA).reply(200, failed(100, 'Invalid parameter'));
		const { items } = await runFiwano(v2(), { continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					status: 'failed',
					code: 100,
					hint: expect.stringMatching(/size cap/),
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	describe('stickers', () => {
		it('WhatsApp takes the WebP by media_url (channel type looked up)', async () => {
			const scope = fiwanoApi()
				.get(`/api/v1/channels/${WA_ID}`)
				.reply(200, channel(WA_ID))
				.post(SEND_MEDIA, {
					channel_id: WA_ID,
					recipient: WA_CUSTOMER,
					media_type: 'sticker',
					media_url: STICKER,
				})
				.reply(200, sent('st-1'));
			const { items } = await runFiwano(
				v2({ mediaType: 'sticker', mediaUrl: STICKER, stickerId: '369239263222822' }),
			);
			expect(items[0].json.media_type).toBe('sticker');
			expect(scope.isDone()).toBe(true);
		});

		it('Messenger takes a sticker_id instead of a URL', async () => {
			const scope = fiwanoApi()
				.get(`/api/v1/channels/${FB_ID}`)
				.reply(200, channel(FB_ID))
				.post(SEND_MEDIA, {
					channel_id: FB_ID,
					recipient: FB_CUSTOMER,
					media_type: 'sticker',
					sticker_id: '369239263222822',
				})
				.reply(200, sent('st-1'));
			await runFiwano(
				v2({
					channelId: byId(FB_ID),
					recipient: FB_CUSTOMER,
					mediaType: 'sticker',
					mediaUrl: '',
					stickerId: '369239263222822',
				}),
			);
			expect(scope.isDone()).toBe(true);
		});

		it('uses the channel type from the options instead of looking it up', async () => {
			const scope = fiwanoApi()
				.post(SEND_MEDIA, {
					channel_id: FB_ID,
					recipient: FB_CUSTOMER,
					media_type: 'sticker',
					sticker_id: '369239263222822',
				})
				.reply(200, sent('st-1'));
			await runFiwano(
				v2({
					channelId: byId(FB_ID),
					recipient: FB_CUSTOMER,
					mediaType: 'sticker',
					stickerId: '369239263222822',
					options: { channelType: 'facebook' },
				}),
			);
			expect(scope.isDone()).toBe(true);
		});

		it.each([
			[IG_ID, IG_CUSTOMER, {}, 'Instagram has no stickers'],
			[
				FB_ID,
				FB_CUSTOMER,
				{ stickerId: 'thumbs-up' },
				'Sticker ID "thumbs-up" is not a Meta sticker ID',
			],
			[WA_ID, WA_CUSTOMER, { mediaUrl: '' }, 'Sticker URL is empty'],
		])(
			'refuses a sticker the channel cannot take (%s) before sending',
			async (channelId, recipient, fields, message) => {
				const lookup = fiwanoApi()
					.get(`/api/v1/channels/${channelId}`)
					.reply(200, channel(channelId));
				const send = fiwanoApi().post(SEND_MEDIA).reply(200, sent());
				const { error } = await runFiwano(
					v2({
						channelId: byId(channelId),
						recipient,
						mediaType: 'sticker',
						mediaUrl: STICKER,
						...fields,
					}),
				);
				expect(error?.message).toBe(message);
				expect(lookup.isDone()).toBe(true);
				expect(send.isDone()).toBe(false);
			},
		);
	});

	describe('inputs are checked before any request', () => {
		it.each([
			[
				'an http:// URL',
				{ mediaUrl: 'http://cdn.example.com/a.jpg' },
				'Media URL must start with https://',
			],
			[
				'a URL with a password',
				{ mediaUrl: 'https://user:pw@cdn.example.com/a.jpg' },
				/must not contain a user name or password/,
			],
			[
				'a URL that is too long',
				{ mediaUrl: `https://cdn.example.com/${'a'.repeat(2100)}` },
				/the maximum is 2048/,
			],
			[
				'a caption that is too long',
				{ mediaAdditionalFields: { caption: '😀'.repeat(1025) } },
				'Caption is 1025 characters long; the maximum is 1024',
			],
			[
				'an object as recipient',
				{ recipient: '={{ $json }}' },
				'Recipient must be text, but it is an object',
			],
		])('%s', async (_what, overrides, message) => {
			const send = fiwanoApi().post(SEND_MEDIA).reply(200, sent());
			const { error } = await runFiwano(v2(overrides as IDataObject));
			if (typeof message === 'string') expect(error?.message).toBe(message);
			else expect(error?.message).toMatch(message);
			expect(send.isDone()).toBe(false);
		});
	});
});

describe('Message → Send Media (typeVersion 1, 1.x parameters)', () => {
	it('maps mediaAdditionalFields to caption and filename and outputs the API answer', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				media_type: 'document',
				media_url: 'https://cdn.example.com/invoice.pdf',
				caption: 'Your invoice',
				filename: 'invoice.pdf',
			})
			.reply(200, { success: true, message_id: 'md-1', status: 'sent' });
		const { items } = await runFiwano(
			{
				resource: 'message',
				operation: 'sendMedia',
				channelId: WA_ID,
				recipient: WA_CUSTOMER,
				mediaType: 'document',
				mediaUrl: 'https://cdn.example.com/invoice.pdf',
				mediaAdditionalFields: { caption: 'Your invoice', filename: 'invoice.pdf' },
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([
			{ json: { success: true, message_id: 'md-1', status: 'sent' }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('defaults to image and sends no caption or filename when none is set', async () => {
		const scope = fiwanoApi()
			.post(SEND_MEDIA, {
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				media_type: 'image',
				media_url: PHOTO,
			})
			.reply(200, sent('md-1'));
		await runFiwano(
			{
				resource: 'message',
				operation: 'sendMedia',
				channelId: WA_ID,
				recipient: WA_CUSTOMER,
				mediaUrl: PHOTO,
			},
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('has no sticker type: a sticker from an expression is refused', async () => {
		const send = fiwanoApi().post(SEND_MEDIA).reply(200, sent());
		const { error } = await runFiwano(
			{
				resource: 'message',
				operation: 'sendMedia',
				channelId: WA_ID,
				recipient: WA_CUSTOMER,
				mediaType: '={{ "sticker" }}',
				mediaUrl: STICKER,
			},
			{ typeVersion: 1 },
		);
		expect(error?.message).toBe('Media type "sticker" is not supported');
		expect(send.isDone()).toBe(false);
	});
});
