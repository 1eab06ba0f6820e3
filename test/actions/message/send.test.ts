import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

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
	textParams,
	WA_CUSTOMER,
	WA_ID,
} from './fixtures';

setupHttp();

const SEND = '/api/v1/messages/send';

/** A scope that answers every send in order and records the bodies it received. */
function recordSends(count: number, answer: (n: number) => IDataObject = (n) => sent(`msg-${n}`)) {
	const bodies: IDataObject[] = [];
	const scope = fiwanoApi()
		.post(SEND)
		.times(count)
		.reply(200, (_uri, body) => {
			bodies.push(body as IDataObject);
			return answer(bodies.length);
		});
	return { scope, bodies };
}

describe('Message → Send Text (typeVersion 2)', () => {
	it('sends short text to a numeric recipient with one request and no channel lookup', async () => {
		const scope = fiwanoApi()
			.post(SEND, { channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hello!' })
			.reply(200, sent('m-1'));
		const { items, error } = await runFiwano(textParams());
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: { ...sent('m-1'), channel_id: WA_ID, recipient: WA_CUSTOMER },
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('removes +, spaces, dashes and parentheses from a WhatsApp number (the channel type is looked up)', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, channel(WA_ID))
			.post(SEND, { channel_id: WA_ID, recipient: '15551234567', text: 'Hi' })
			.reply(200, sent('m-1'));
		const { items } = await runFiwano(
			textParams({ recipient: '  +1 (555) 123-4567 ', text: 'Hi' }),
		);
		expect(items[0].json.recipient).toBe('15551234567');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	it('looks the channel up once per run, however many items need it', async () => {
		const lookup = fiwanoApi().get(`/api/v1/channels/${WA_ID}`).once().reply(200, channel(WA_ID));
		const { scope, bodies } = recordSends(3);
		const { items } = await runFiwano(
			textParams({ recipient: '={{ $json.to }}', text: '={{ $json.text }}' }),
			{
				input: [
					{ to: '+1 555 000 0001', text: 'a' },
					{ to: '+1 555 000 0002', text: 'b' },
					{ to: '+1-555-000-0003', text: 'c' },
				],
			},
		);
		expect(bodies.map((b) => b.recipient).sort()).toEqual([
			'15550000001',
			'15550000002',
			'15550000003',
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((i) => i.json.recipient)).toEqual([
			'15550000001',
			'15550000002',
			'15550000003',
		]);
		expect(lookup.isDone()).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('does not look the channel up when the channel type is set in the options', async () => {
		const scope = fiwanoApi()
			.post(SEND, { channel_id: WA_ID, recipient: '15551234567', text: 'Hi' })
			.reply(200, sent('m-1'));
		await runFiwano(
			textParams({
				recipient: '+1 555 123 4567',
				text: 'Hi',
				options: { channelType: 'whatsapp' },
			}),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a non-numeric Instagram recipient before sending', async () => {
		const lookup = fiwanoApi().get(`/api/v1/channels/${IG_ID}`).reply(200, channel(IG_ID));
		const send = fiwanoApi().post(SEND).reply(200, sent());
		const { error } = await runFiwano(
			textParams({ channelId: byId(IG_ID), recipient: '@alex.ig' }),
		);
		expect(error?.message).toBe(
			'Recipient "@alex.ig" is not a valid IGSID: Instagram recipients are numeric IDs',
		);
		expect(lookup.isDone()).toBe(true);
		expect(send.isDone()).toBe(false);
	});

	describe('long text', () => {
		it('splits WhatsApp text over 4096 characters at the paragraph break, in order', async () => {
			const first = `${'Opening line. '.repeat(200).trim()}`; // 2799 code points
			const second = `${'Second part here. '.repeat(100).trim()}`; // 1799 code points
			const lookup = fiwanoApi().get(`/api/v1/channels/${WA_ID}`).reply(200, channel(WA_ID));
			const { scope, bodies } = recordSends(2);
			const { items } = await runFiwano(textParams({ text: `${first}\n\n${second}` }));
			expect(bodies).toEqual([
				{ channel_id: WA_ID, recipient: WA_CUSTOMER, text: first },
				{ channel_id: WA_ID, recipient: WA_CUSTOMER, text: second },
			]);
			expect(items).toEqual([
				{
					json: { ...sent('msg-1'), channel_id: WA_ID, recipient: WA_CUSTOMER, part: 1, parts: 2 },
					pairedItem: { item: 0 },
				},
				{
					json: { ...sent('msg-2'), channel_id: WA_ID, recipient: WA_CUSTOMER, part: 2, parts: 2 },
					pairedItem: { item: 0 },
				},
			]);
			expect(lookup.isDone()).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('splits Messenger text over 2000 characters at the last sentence end that fits', async () => {
			const sentence = `${'word '.repeat(99)}end.`; // 499 code points
			const text = Array.from({ length: 5 }, () => sentence).join(' ');
			const lookup = fiwanoApi().get(`/api/v1/channels/${FB_ID}`).reply(200, channel(FB_ID));
			const { scope, bodies } = recordSends(2);
			const { items } = await runFiwano(
				textParams({ channelId: byId(FB_ID), recipient: FB_CUSTOMER, text }),
			);
			const four = Array.from({ length: 4 }, () => sentence).join(' '); // 1999 code points
			expect(bodies.map((b) => b.text)).toEqual([four, sentence]);
			expect(bodies.every((b) => b.recipient === FB_CUSTOMER && b.channel_id === FB_ID)).toBe(true);
			expect(items.map((i) => [i.json.part, i.json.parts, i.pairedItem])).toEqual([
				[1, 2, { item: 0 }],
				[2, 2, { item: 0 }],
			]);
			expect(lookup.isDone()).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('splits Instagram text at 1000 code points without cutting an emoji (surrogate pair) in two', async () => {
			// 999 letters + 😀 is 1000 code points (1001 UTF-16 units): it fits one Instagram message.
			const head = `${'x'.repeat(999)}😀`;
			const { scope, bodies } = recordSends(2);
			await runFiwano(
				textParams({
					channelId: byId(IG_ID),
					recipient: IG_CUSTOMER,
					text: `${head}👍🏽yz`,
					options: { channelType: 'instagram' },
				}),
			);
			expect(bodies.map((b) => b.text)).toEqual([head, '👍🏽yz']);
			expect(scope.isDone()).toBe(true);
		});

		it('splits at word boundaries when a paragraph has no sentence end that fits', async () => {
			const words = Array.from({ length: 300 }, (_, i) => `w${String(i).padStart(3, '0')}`); // 5 chars each with the space
			const { scope, bodies } = recordSends(2);
			await runFiwano(
				textParams({
					channelId: byId(IG_ID),
					recipient: IG_CUSTOMER,
					text: words.join(' '),
					options: { channelType: 'instagram' },
				}),
			);
			expect(bodies.map((b) => b.text)).toEqual([
				words.slice(0, 200).join(' '),
				words.slice(200).join(' '),
			]);
			expect(scope.isDone()).toBe(true);
		});

		it('"Stop With an Error" fails the item before calling Fiwano', async () => {
			const send = fiwanoApi().post(SEND).reply(200, sent());
			const { error, items } = await runFiwano(
				textParams({
					channelId: byId(IG_ID),
					recipient: IG_CUSTOMER,
					text: 'a'.repeat(1001),
					options: { channelType: 'instagram', longText: 'error' },
				}),
			);
			expect(items).toEqual([]);
			expect(error?.message).toBe('Text is 1001 characters long; the Instagram limit is 1000');
			expect(String(error?.description)).toContain('Split Into Several Messages');
			expect(send.isDone()).toBe(false);
		});

		it('"Stop With an Error" looks the channel up only when the text is longer than the smallest limit', async () => {
			const lookup = fiwanoApi().get(`/api/v1/channels/${FB_ID}`).reply(200, channel(FB_ID));
			const scope = fiwanoApi()
				.post(SEND, { channel_id: FB_ID, recipient: FB_CUSTOMER, text: 'b'.repeat(1500) })
				.reply(200, sent('m-1'));
			const { items } = await runFiwano(
				textParams({
					channelId: byId(FB_ID),
					recipient: FB_CUSTOMER,
					text: 'b'.repeat(1500),
					options: { longText: 'error' },
				}),
			);
			expect(items).toHaveLength(1);
			expect(lookup.isDone()).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('"Send As Is" sends one message without looking the channel up', async () => {
			const text = 'c'.repeat(5000);
			const scope = fiwanoApi()
				.post(SEND, { channel_id: WA_ID, recipient: WA_CUSTOMER, text })
				.reply(400, {
					detail: {
						code: 'text_too_long',
						message: 'Text exceeds whatsapp limit of 4096 characters (got 5000).',
						actual_length: 5000,
						max_length: 4096,
						channel_type: 'whatsapp',
					},
				});
			const { error } = await runFiwano(textParams({ text, options: { longText: 'send' } }));
			expect(error?.message).toBe(
				'Fiwano 400: Text exceeds whatsapp limit of 4096 characters (got 5000).',
			);
			expect(scope.isDone()).toBe(true);
		});

		it('says which parts were already sent when a later part fails', async () => {
			const { scope } = recordSends(2, (n) =>
				n === 1 ? sent('part-1-id') : failed(131047, 'Re-engagement window closed'),
			);
			const { error } = await runFiwano(
				textParams({
					text: `${'a'.repeat(900)}\n\n${'b'.repeat(900)}`,
					options: { channelType: 'instagram' },
				}),
			);
			expect(error?.message).toBe(
				'Fiwano could not send the message (Meta error 131047): Re-engagement window closed',
			);
			expect(String(error?.description)).toContain(
				'parts 1–1 were already sent (message IDs: part-1-id)',
			);
			expect(scope.isDone()).toBe(true);
		});

		it('with Continue On Fail, a split text that fails midway is an error item listing the parts sent', async () => {
			const { scope } = recordSends(3, (n) =>
				n === 3 ? failed(131056, 'Pair rate limit hit') : sent(`p-${n}`),
			);
			const { items } = await runFiwano(
				textParams({
					text: `${'a'.repeat(900)}\n\n${'b'.repeat(900)}\n\n${'c'.repeat(900)}`,
					options: { channelType: 'instagram' },
				}),
				{ continueOnFail: true },
			);
			expect(items).toEqual([
				{
					json: expect.objectContaining({
						error: 'Fiwano could not send the message (Meta error 131056): Pair rate limit hit',
						code: 131056,
						sentParts: [
							{ part: 1, message_id: 'p-1' },
							{ part: 2, message_id: 'p-2' },
						],
					}),
					pairedItem: { item: 0 },
				},
			]);
			expect(scope.isDone()).toBe(true);
		});
	});

	describe('results', () => {
		it('a failed send (success: false) is an error with Meta’s code and the documented hint', async () => {
			const scope = fiwanoApi()
				.post(SEND, { channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hello!' })
				.reply(
					200,
					failed(131047, 'Message failed to send because more than 24 hours have passed'),
				);
			const { error, items } = await runFiwano(textParams());
			expect(items).toEqual([]);
			expect(error?.message).toBe(
				'Fiwano could not send the message (Meta error 131047): Message failed to send because more than 24 hours have passed',
			);
			expect(String(error?.description)).toMatch(/24-hour window is closed/);
			expect(scope.isDone()).toBe(true);
		});

		it('a queued send is a success that keeps its status', async () => {
			const scope = fiwanoApi()
				.post(SEND)
				.reply(200, sent('m-q', { status: 'queued' }));
			const { items, error } = await runFiwano(textParams());
			expect(error).toBeUndefined();
			expect(items).toEqual([
				{
					json: { ...sent('m-q', { status: 'queued' }), channel_id: WA_ID, recipient: WA_CUSTOMER },
					pairedItem: { item: 0 },
				},
			]);
			expect(scope.isDone()).toBe(true);
		});

		it('with Continue On Fail a failed send becomes an error item with status, code and hint, paired to its input', async () => {
			const { scope } = recordSends(3, (n) =>
				n === 2 ? failed(551, 'This person isn’t available right now') : sent(`m-${n}`),
			);
			const { items, error } = await runFiwano(
				textParams({ recipient: '={{ $json.to }}', options: { concurrency: 1 } }),
				{
					input: [{ to: '15550000001' }, { to: '15550000002' }, { to: '15550000003' }],
					continueOnFail: true,
				},
			);
			expect(error).toBeUndefined();
			expect(items).toHaveLength(3);
			expect(items[0]).toEqual({
				json: { ...sent('m-1'), channel_id: WA_ID, recipient: '15550000001' },
				pairedItem: { item: 0 },
			});
			expect(items[1].pairedItem).toEqual({ item: 1 });
			expect(items[1].json).toEqual(
				expect.objectContaining({
					error:
						'Fiwano could not send the message (Meta error 551): This person isn’t available right now',
					status: 'failed',
					code: 551,
					hint: expect.stringMatching(/cannot be messaged right now/),
				}),
			);
			expect(items[2]).toEqual({
				json: { ...sent('m-3'), channel_id: WA_ID, recipient: '15550000003' },
				pairedItem: { item: 2 },
			});
			expect(scope.isDone()).toBe(true);
		});
	});

	describe('inputs are checked before any request', () => {
		let send: nock.Scope;
		beforeEach(() => {
			send = fiwanoApi().post(SEND).reply(200, sent());
		});
		afterEach(() => expect(send.isDone()).toBe(false));

		it.each([
			['an object', '={{ { "id": 1 } }}', 'Recipient must be text, but it is an object'],
			['a list', '={{ [1, 2] }}', 'Recipient must be text, but it is a list'],
			['empty', '   ', 'Recipient is empty'],
		])('a recipient that is %s', async (_what, recipient, message) => {
			const { error } = await runFiwano(textParams({ recipient }));
			expect(error?.message).toBe(message);
		});

		it('blank text', async () => {
			const { error } = await runFiwano(textParams({ text: ' \n ' }));
			expect(error?.message).toBe('Text is empty');
		});

		it('with Continue On Fail, a bad recipient is an error item paired to its input', async () => {
			const { items } = await runFiwano(textParams({ recipient: '={{ $json.to }}' }), {
				input: [{ to: { id: 7 } }],
				continueOnFail: true,
			});
			expect(items).toEqual([
				{
					json: expect.objectContaining({ error: 'Recipient must be text, but it is an object' }),
					pairedItem: { item: 0 },
				},
			]);
		});
	});

	it('a recipient that an expression gives as a number is sent as digits', async () => {
		const scope = fiwanoApi()
			.post(SEND, { channel_id: WA_ID, recipient: '15551234567', text: 'Hello!' })
			.reply(200, sent('m-1'));
		await runFiwano(textParams({ recipient: '={{ 15551234567 }}' }));
		expect(scope.isDone()).toBe(true);
	});

	it('keeps one recipient’s messages in order while other recipients go in parallel', async () => {
		const events: string[] = [];
		let releaseFirst: (() => void) | undefined;
		const scope = fiwanoApi()
			.post(SEND)
			.times(3)
			.reply((_uri, body, callback) => {
				const { text } = body as IDataObject;
				events.push(`request ${String(text)}`);
				const answer = () => {
					events.push(`answer ${String(text)}`);
					callback(null, [200, sent(`m-${String(text)}`)]);
				};
				if (text === 'first') releaseFirst = answer;
				else answer();
				// The other recipient's message arrives while "first" is still open: only then answer it.
				if (text === 'other') releaseFirst?.();
			});
		const { items } = await runFiwano(
			textParams({
				recipient: '={{ $json.to }}',
				text: '={{ $json.text }}',
				options: { channelType: 'whatsapp' },
			}),
			{
				input: [
					{ to: '+1 555 123 4567', text: 'first' },
					{ to: '15551234567', text: 'second' },
					{ to: '15550000009', text: 'other' },
				],
			},
		);
		expect(events).toEqual([
			'request first',
			'request other',
			'answer other',
			'answer first',
			'request second',
			'answer second',
		]);
		expect(items.map((i) => [i.json.message_id, i.pairedItem])).toEqual([
			['m-first', { item: 0 }],
			['m-second', { item: 1 }],
			['m-other', { item: 2 }],
		]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('Message → Send Text (typeVersion 1, 1.x parameters)', () => {
	const v1 = (overrides: IDataObject = {}) => ({
		resource: 'message',
		operation: 'send',
		channelId: WA_ID,
		recipient: WA_CUSTOMER,
		text: 'Hello from 1.x',
		...overrides,
	});

	it('sends the 1.x request and outputs the API answer unchanged', async () => {
		const scope = fiwanoApi()
			.post(SEND, { channel_id: WA_ID, recipient: WA_CUSTOMER, text: 'Hello from 1.x' })
			.reply(200, { success: true, message_id: 'm-1' });
		const { items } = await runFiwano(v1(), { typeVersion: 1 });
		expect(items).toEqual([
			{ json: { success: true, message_id: 'm-1' }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('sends long text as one message and never looks the channel up, as 1.x did', async () => {
		const text = 'z'.repeat(4500);
		const scope = fiwanoApi()
			.post(SEND, { channel_id: WA_ID, recipient: '+15551234567', text })
			.reply(200, sent());
		await runFiwano(v1({ text, recipient: ' +15551234567 ' }), { typeVersion: 1 });
		expect(scope.isDone()).toBe(true);
	});

	it('makes a send Fiwano reports as failed an error, not a green item, in typeVersion 1 too', async () => {
		const scope = fiwanoApi()
			.post(SEND)
			.reply(200, failed(131026, 'Receiver is incapable of receiving this message'));
		const { items, error } = await runFiwano(v1(), { typeVersion: 1 });
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Fiwano could not send the message (Meta error 131026): Receiver is incapable of receiving this message',
		);
		expect(error?.description).toMatch(/not reachable on this platform/);
		expect(scope.isDone()).toBe(true);
	});
});
