import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';
import nock from 'nock';

import { forgetProcessMemory } from '../../nodes/Fiwano/trigger/dedupe';
import { API_KEY, BASE_URL, fiwanoCredentials, setupHttp } from '../helpers/harness';
import {
	deliver,
	FakeResponse,
	n8nLogger,
	SavedWorkflow,
	TRIGGER_NODE_ID,
	triggerNode,
} from '../helpers/trigger';
import {
	derivedSecret,
	events,
	FakeFiwano,
	SECRET,
	testKey,
	WA,
	wireProduction,
} from './fakeFiwano';

const CREDENTIAL_KEY = testKey('credential');
const PORTAL_KEY = testKey('portal');
const NODE_KEY = testKey('node parameter');
const FORGED_KEY = testKey('forged');
const ROTATED_API_KEY = `mip_live_${testKey('rotated')}`;

setupHttp();

const ALL_EVENTS = [
	'message.received',
	'message.sent',
	'message.delivered',
	'message.read',
	'message.failed',
	'message.echo',
	'conversation.referral',
];

function channelTrigger(parameters: IDataObject = {}, version = 2): SavedWorkflow {
	return new SavedWorkflow(
		triggerNode(
			{
				autoSetup: 'channel',
				channelId: { __rl: true, mode: 'id', value: WA },
				events: ['message.received'],
				...parameters,
			},
			version,
		),
	);
}

function hmac(raw: string, secret: string): string {
	return createHmac('sha256', secret).update(raw).digest('hex');
}

afterEach(() => {
	jest.restoreAllMocks();
	expect(nock.pendingMocks()).toEqual([]);
});

describe('signatures (automatic setup: the trigger’s own secret)', () => {
	const raw = JSON.stringify(events.text());

	it('starts one execution with the full event for a valid signature', async () => {
		const result = await deliver(channelTrigger().load(), {
			body: raw,
			signature: `sha256=${hmac(raw, SECRET)}`,
		});
		expect(result.status).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items).toEqual([{ json: events.text() }]);
	});

	it.each([
		[
			'a tampered body',
			{ body: raw.replace('Hello!', 'Pay me!'), signature: `sha256=${hmac(raw, SECRET)}` },
			'Invalid webhook signature',
		],
		[
			'another secret',
			{ body: raw, signature: `sha256=${hmac(raw, FORGED_KEY)}` },
			'Invalid webhook signature',
		],
		['no signature', { body: raw }, 'Missing X-Webhook-Signature header'],
		[
			'a malformed signature',
			{ body: raw, signature: `sha256=${'g'.repeat(64)}` },
			'Malformed X-Webhook-Signature header (expected sha256=<hex>)',
		],
		[
			'a signature without prefix',
			{ body: raw, signature: hmac(raw, SECRET) },
			'Malformed X-Webhook-Signature header (expected sha256=<hex>)',
		],
		[
			'a shorter signature',
			{ body: raw, signature: `sha256=${hmac(raw, SECRET).slice(0, 40)}` },
			'X-Webhook-Signature has the wrong length',
		],
		[
			'a longer signature',
			{ body: raw, signature: `sha256=${hmac(raw, SECRET)}ab` },
			'X-Webhook-Signature has the wrong length',
		],
	])('answers 401 and starts nothing for %s', async (_name, input, message) => {
		const result = await deliver(channelTrigger().load(), input);
		expect(result.status).toBe(401);
		expect(result.body).toEqual({ error: message });
		expect(result.executed).toBe(false);
		expect(result.result).toEqual({ noWebhookResponse: true });
		expect(JSON.stringify(result.body)).not.toContain(SECRET);
	});

	it('rejects a delivery signed for another workflow’s trigger', async () => {
		const other = derivedSecret('another-workflow', TRIGGER_NODE_ID);
		const result = await deliver(channelTrigger().load(), {
			body: raw,
			signature: `sha256=${hmac(raw, other)}`,
		});
		expect(result.status).toBe(401);
	});

	it('verifies with the credential’s Webhook Secret when it has one', async () => {
		const credentials = fiwanoCredentials({ webhookSecret: CREDENTIAL_KEY });
		const ok = await deliver(
			channelTrigger().load(),
			{ body: raw, secret: CREDENTIAL_KEY },
			{ credentials },
		);
		const derived = await deliver(
			channelTrigger().load(),
			{ body: raw, secret: SECRET },
			{ credentials },
		);
		expect([ok.status, ok.executed]).toEqual([200, true]);
		expect([derived.status, derived.executed]).toEqual([401, false]);
	});

	it('explains in the log when the credential changed after the channel was wired', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = channelTrigger();
		await wireProduction(fake, saved);

		const rotated = fiwanoCredentials({ apiKey: ROTATED_API_KEY });
		const later = saved.load();
		const warn = jest.spyOn(n8nLogger(later), 'warn').mockImplementation(() => {});
		const result = await deliver(
			later,
			{ body: raw, secret: fake.get(WA).secret ?? '' },
			{ credentials: rotated },
		);
		expect(result.status).toBe(401);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(warn.mock.calls[0][0]).toMatch(
			/credential changed since the channel was wired.*Deactivate and activate/,
		);
		expect(warn.mock.calls[0][0]).not.toContain(SECRET);
		expect(warn.mock.calls[0][0]).not.toContain('mip_live');
	});
});

describe('no secret to check with: deliveries are refused, never accepted unsigned', () => {
	const raw = JSON.stringify(events.text());

	it('answers 500 in an automatic setup whose credential has no API key (no secret can be worked out)', async () => {
		const saved = channelTrigger();
		const workflow = saved.load();
		const error = jest.spyOn(n8nLogger(workflow), 'error').mockImplementation(() => {});
		const credentials = fiwanoCredentials({ apiKey: '' });
		const unsigned = await deliver(workflow, { body: raw }, { credentials });
		const signed = await deliver(workflow, { body: raw, secret: SECRET }, { credentials });
		expect([unsigned.status, unsigned.executed]).toEqual([500, false]);
		expect([signed.status, signed.executed]).toEqual([500, false]);
		expect(unsigned.result).toEqual({ noWebhookResponse: true });
		expect(error.mock.calls[0][0]).toMatch(/refused a delivery.*no API key/);
	});

	it.each([
		['an automatic setup', 'channel'],
		['manual setup with a credential selected', 'manual'],
	])('answers 500 in %s when the credential cannot be read', async (_name, autoSetup) => {
		const saved = channelTrigger({ autoSetup });
		const workflow = saved.load();
		const error = jest.spyOn(n8nLogger(workflow), 'error').mockImplementation(() => {});
		// The credential is selected on the node, but n8n cannot hand it over.
		const unreadable = {};
		const unsigned = await deliver(workflow, { body: raw }, { credentials: unreadable });
		expect([unsigned.status, unsigned.executed]).toEqual([500, false]);
		expect(unsigned.body).toEqual({
			error: 'The trigger could not load the secret to check this delivery with',
		});
		expect(error.mock.calls[0][0]).toMatch(/refused a delivery.*Fiwano credential/);
	});
});

describe('manual setup', () => {
	const raw = JSON.stringify(events.text());
	const manual = (version = 2, extra: IDataObject = {}) =>
		new SavedWorkflow(
			triggerNode({ autoSetup: 'manual', events: ['message.received'], ...extra }, version),
		);

	it.each([2, 1])(
		'accepts unsigned deliveries when no secret is configured (typeVersion %i)',
		async (version) => {
			const result = await deliver(manual(version).load(), { body: raw });
			expect([result.status, result.executed]).toEqual([200, true]);
		},
	);

	it('accepts unsigned deliveries without any credential', async () => {
		const saved = manual();
		saved.node = { ...saved.node, credentials: undefined };
		const result = await deliver(saved.load(), { body: raw });
		expect(result.executed).toBe(true);
	});

	it('requires a valid signature once the credential has a secret', async () => {
		const credentials = fiwanoCredentials({ webhookSecret: PORTAL_KEY });
		const unsigned = await deliver(manual().load(), { body: raw }, { credentials });
		const signed = await deliver(
			manual().load(),
			{ body: raw, secret: PORTAL_KEY },
			{ credentials },
		);
		expect([unsigned.status, unsigned.executed]).toEqual([401, false]);
		expect([signed.status, signed.executed]).toEqual([200, true]);
	});

	it('requires a valid signature with the 1.x node Webhook Secret', async () => {
		const saved = manual(1, { webhookSecret: NODE_KEY });
		const unsigned = await deliver(saved.load(), { body: raw });
		const signed = await deliver(saved.load(), { body: raw, secret: NODE_KEY });
		expect(unsigned.status).toBe(401);
		expect(signed.executed).toBe(true);
	});
});

describe('filtering', () => {
	it('answers 200 and starts nothing for an event that is not selected', async () => {
		const result = await deliver(channelTrigger().load(), {
			body: events.status('message.read'),
			secret: SECRET,
		});
		expect(result).toMatchObject({
			status: 200,
			executed: false,
			body: { received: true, ignored: 'event not selected' },
		});
	});

	it('starts for every event when none is selected', async () => {
		const result = await deliver(channelTrigger({ events: [] }).load(), {
			body: events.status('message.read'),
			secret: SECRET,
		});
		expect(result.executed).toBe(true);
	});

	it('filters by channel type', async () => {
		const saved = channelTrigger({
			events: [],
			options: { channelTypes: ['instagram', 'facebook'] },
		});
		const whatsapp = await deliver(saved.load(), { body: events.text(), secret: SECRET });
		const instagram = await deliver(saved.load(), { body: events.share(), secret: SECRET });
		expect(whatsapp).toMatchObject({
			status: 200,
			executed: false,
			body: { ignored: 'channel type not selected' },
		});
		expect(instagram.executed).toBe(true);
	});

	it('answers 400 to a signed body that is not a Fiwano event', async () => {
		const result = await deliver(channelTrigger().load(), {
			body: '{"hello":"world"}',
			secret: SECRET,
		});
		expect([result.status, result.executed]).toEqual([400, false]);
	});

	it('reads JSON that n8n did not parse (typeVersion 2 skips unknown content types)', async () => {
		const raw = JSON.stringify(events.text());
		const result = await deliver(channelTrigger().load(), {
			body: raw,
			secret: SECRET,
			contentType: 'application/octet-stream',
		});
		expect(result.items[0].json).toEqual(events.text());
	});
});

describe('every event and inbound shape from the docs', () => {
	const shapes: Array<[string, IDataObject]> = [
		['text', events.text()],
		['image', events.image()],
		['voice note', events.voice()],
		['document', events.document()],
		['sticker', events.sticker()],
		['shared post', events.share()],
		['button reply (reply_to)', events.reply()],
		['story reply', events.storyReply()],
		['ad referral on a message', events.referralMessage()],
		['unsupported, upgrade required', events.unsupportedUpgrade()],
		['unsupported location', events.unsupportedLocation()],
		['message.sent', events.status('message.sent')],
		['message.delivered', events.status('message.delivered')],
		['message.read', events.status('message.read')],
		['message.failed', events.failed()],
		['message.echo', events.echo()],
		['conversation.referral', events.conversationReferral()],
	];

	it.each(shapes)('passes a %s event through unchanged', async (_name, event) => {
		const result = await deliver(channelTrigger({ events: ALL_EVENTS }).load(), {
			body: event,
			secret: SECRET,
		});
		expect(result.executed).toBe(true);
		expect(result.items).toEqual([{ json: event }]);
	});

	it('keeps fields it does not know (the API only ever adds)', async () => {
		const event = {
			...events.text(),
			delivery_attempt: 2,
			data: { ...(events.text().data as IDataObject), future: { x: 1 } },
		};
		const result = await deliver(channelTrigger().load(), { body: event, secret: SECRET });
		expect(result.items[0].json).toEqual(event);
	});
});

describe('reading the credential', () => {
	it('reads it once for a run of deliveries, not once per delivery', async () => {
		const saved = channelTrigger();
		const reads = jest.spyOn(WebhookContext.prototype, 'getCredentials');
		try {
			for (const id of ['wamid.r1', 'wamid.r2', 'wamid.r3']) {
				const event = events.text({
					data: { ...(events.text().data as IDataObject), message_id: id },
				});
				expect((await saved.receive({ body: event, secret: SECRET })).executed).toBe(true);
			}
			expect(reads).toHaveBeenCalledTimes(1);
		} finally {
			reads.mockRestore();
		}
	});

	it('reads it again when a delivery fails the check, so a changed secret takes effect at once', async () => {
		const saved = channelTrigger();
		const before = fiwanoCredentials({ webhookSecret: CREDENTIAL_KEY });
		await saved.receive({ body: events.text(), secret: CREDENTIAL_KEY }, { credentials: before });
		const after = fiwanoCredentials({ webhookSecret: PORTAL_KEY });
		const event = events.text({
			data: { ...(events.text().data as IDataObject), message_id: 'wamid.new' },
		});
		const result = await saved.receive({ body: event, secret: PORTAL_KEY }, { credentials: after });
		expect([result.status, result.executed]).toEqual([200, true]);
		const forged = await saved.receive(
			{
				body: events.text({
					data: { ...(events.text().data as IDataObject), message_id: 'wamid.x' },
				}),
				secret: FORGED_KEY,
			},
			{ credentials: after },
		);
		expect([forged.status, forged.executed]).toEqual([401, false]);
	});
});

describe('duplicate deliveries', () => {
	it('starts one execution for a redelivered event, in another process too', async () => {
		const saved = channelTrigger();
		const raw = JSON.stringify(events.text());

		// Process A receives the event; process B gets Fiwano's retry (say the 200 was lost) with
		// its own copy of the workflow from the database. Each follows n8n's save order.
		const a = await saved.receive({ body: raw, secret: SECRET });
		const b = await saved.receive({ body: raw, secret: SECRET });
		const c = await saved.receive({ body: raw, secret: SECRET });

		expect(a).toMatchObject({ status: 200, executed: true, body: { received: true } });
		expect(b).toMatchObject({
			status: 200,
			executed: false,
			body: { received: true, ignored: 'duplicate delivery' },
		});
		expect(c.executed).toBe(false);
	});

	it('keeps both keys when two deliveries overlap, so neither redelivery runs again', async () => {
		const saved = channelTrigger();
		const first = events.text({
			data: { ...(events.text().data as IDataObject), message_id: 'wamid.one' },
		});
		const second = events.text({
			data: { ...(events.text().data as IDataObject), message_id: 'wamid.two' },
		});
		// Both requests load the workflow before either saves; the later save holds only what
		// its own copy had, as n8n's whole-blob save does.
		const loadedByFirst = saved.snapshot();
		const loadedBySecond = saved.snapshot();
		const a = await saved.receive({ body: first, secret: SECRET }, { loaded: loadedByFirst });
		const b = await saved.receive({ body: second, secret: SECRET }, { loaded: loadedBySecond });
		const againFirst = await saved.receive({ body: first, secret: SECRET });
		const againSecond = await saved.receive({ body: second, secret: SECRET });
		expect([a.executed, b.executed, againFirst.executed, againSecond.executed]).toEqual([
			true,
			true,
			false,
			false,
		]);
	});

	it('starts one execution when the redelivery arrives while the first is still being handled', async () => {
		const saved = channelTrigger();
		const loaded = saved.snapshot();
		const [a, b] = await Promise.all([
			saved.receive({ body: events.text(), secret: SECRET }, { loaded }),
			saved.receive({ body: events.text(), secret: SECRET }, { loaded }),
		]);
		expect([a.executed, b.executed].sort()).toEqual([false, true]);
	});

	it('still knows a delivery after n8n restarts, from the saved static data', async () => {
		const saved = channelTrigger();
		await saved.receive({ body: events.text(), secret: SECRET });
		forgetProcessMemory();
		const again = await saved.receive({ body: events.text(), secret: SECRET });
		expect(again).toMatchObject({
			executed: false,
			body: { received: true, ignored: 'duplicate delivery' },
		});
	});

	it('does not share keys between a test listen and production', async () => {
		const saved = channelTrigger();
		const production = await saved.receive({ body: events.text(), secret: SECRET });
		// n8n gives a test listen static data of its own (empty).
		const test = await deliver(
			channelTrigger().load(),
			{ body: events.text(), secret: SECRET },
			{ test: true },
		);
		expect([production.executed, test.executed]).toEqual([true, true]);
	});

	it('treats a later delivery with the same message ID as the same event (Meta redelivery)', async () => {
		const saved = channelTrigger();
		const wf = saved.load();
		const first = await deliver(wf, { body: events.text(), secret: SECRET });
		const again = await deliver(wf, {
			body: events.text({ timestamp: '2025-01-15T10:31:30Z' }),
			secret: SECRET,
		});
		expect([first.executed, again.executed]).toEqual([true, false]);
	});

	it('tells statuses of one message apart, and deduplicates each', async () => {
		const wf = channelTrigger({ events: ALL_EVENTS }).load();
		const delivered = await deliver(wf, {
			body: events.status('message.delivered'),
			secret: SECRET,
		});
		const read = await deliver(wf, { body: events.status('message.read'), secret: SECRET });
		const readAgain = await deliver(wf, { body: events.status('message.read'), secret: SECRET });
		expect([delivered.executed, read.executed, readAgain.executed]).toEqual([true, true, false]);
	});

	it('keys events without a message ID on the delivery itself', async () => {
		const wf = channelTrigger({ events: ['conversation.referral'] }).load();
		const a = await deliver(wf, { body: events.conversationReferral('spring'), secret: SECRET });
		const retry = await deliver(wf, {
			body: events.conversationReferral('spring'),
			secret: SECRET,
		});
		const other = await deliver(wf, {
			body: events.conversationReferral('autumn'),
			secret: SECRET,
		});
		expect([a.executed, retry.executed, other.executed]).toEqual([true, false, true]);
	});

	it('does not let a rejected delivery use up the key', async () => {
		const wf = channelTrigger().load();
		const forged = await deliver(wf, { body: events.text(), secret: FORGED_KEY });
		const real = await deliver(wf, { body: events.text(), secret: SECRET });
		expect([forged.status, real.executed]).toEqual([401, true]);
	});

	it('keeps different channels’ messages apart', async () => {
		const wf = channelTrigger().load();
		const a = await deliver(wf, { body: events.text(), secret: SECRET });
		const b = await deliver(wf, {
			body: events.text({ channel_id: 'ffffffffffffffff' }),
			secret: SECRET,
		});
		expect([a.executed, b.executed]).toEqual([true, true]);
	});
});

describe('Download Media', () => {
	const bytes = Buffer.from('\xff\xd8\xff\xe0JFIFfake', 'latin1');

	it('answers Fiwano first, then puts the file into binary data with MIME type and file name', async () => {
		const response = new FakeResponse();
		let answeredBeforeDownload: boolean | undefined;
		const media = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.get('/api/v1/media/m1b2c3d4e5f67890')
			.reply(
				200,
				() => {
					answeredBeforeDownload = response.headersSent;
					return bytes;
				},
				{ 'Content-Type': 'image/jpeg' },
			);
		const saved = channelTrigger({ options: { downloadMedia: true } });

		const result = await deliver(
			saved.load(),
			{ body: events.image(), secret: SECRET },
			{ response },
		);

		expect(media.isDone()).toBe(true);
		expect(answeredBeforeDownload).toBe(true);
		expect(result.status).toBe(200);
		expect(result.body).toEqual({ received: true });
		expect(result.result.noWebhookResponse).toBe(true);
		expect(result.executed).toBe(true);
		const item = result.items[0];
		expect(item.json).toEqual(events.image());
		expect(item.binary?.data).toMatchObject({
			mimeType: 'image/jpeg',
			fileName: 'image-wamid.image1.jpg',
			fileExtension: 'jpg',
		});
		expect(Buffer.from(item.binary?.data.data ?? '', 'base64')).toEqual(bytes);
	});

	it('keeps the sender’s file name and uses the chosen binary field', async () => {
		const pdf = Buffer.from('%PDF-1.4');
		const media = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.get('/api/v1/media/mdoc0000000000001')
			.reply(200, pdf, {
				'Content-Type': 'application/pdf',
				'Content-Disposition': 'attachment; filename="server-name.pdf"',
			});
		const saved = channelTrigger({
			events: [],
			options: { downloadMedia: true, binaryProperty: 'file' },
		});
		const result = await deliver(saved.load(), { body: events.document(), secret: SECRET });
		expect(media.isDone()).toBe(true);
		expect(result.items[0].binary?.file).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'invoice-42.pdf',
		});
	});

	it.each([
		['../../.n8n/config', 'config'],
		['C:\\Users\\Public\\run.bat', 'run.bat'],
		['invoice\u0000\n.pdf', 'invoice.pdf'],
		['..', 'document-mid.doc1.pdf'],
	])(
		'keeps only the last part of a file name the sender chose (%p)',
		async (filename, expected) => {
			const event = events.document();
			const data = event.data as IDataObject;
			data.media = { ...(data.media as IDataObject), filename };
			const media = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
				.get('/api/v1/media/mdoc0000000000001')
				.reply(200, Buffer.from('%PDF-1.4'), { 'Content-Type': 'application/pdf' });
			const saved = channelTrigger({ events: [], options: { downloadMedia: true } });
			const result = await deliver(saved.load(), { body: event, secret: SECRET });
			expect(media.isDone()).toBe(true);
			expect(result.items[0].binary?.data.fileName).toBe(expected);
			// The event itself is passed on as delivered.
			expect(result.items[0].json).toEqual(event);
		},
	);

	it('keeps the event when the file expired, and says why', async () => {
		const media = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.get('/api/v1/media/m1b2c3d4e5f67890')
			.reply(410, { detail: 'Media expired' });
		const result = await deliver(channelTrigger({ options: { downloadMedia: true } }).load(), {
			body: events.image(),
			secret: SECRET,
		});
		expect(media.isDone()).toBe(true);
		expect(result.status).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items[0].binary).toBeUndefined();
		expect(result.items[0].json).toEqual({
			...events.image(),
			media_download_error: 'Fiwano 410: Media expired',
		});
	});

	// No interceptor in these: a download attempt would fail and add media_download_error, so the
	// items must be exactly the events.
	it('downloads nothing for messages without a file (text, echo media, failed download)', async () => {
		const saved = channelTrigger({ events: ALL_EVENTS, options: { downloadMedia: true } });
		const image = events.image();
		const data = image.data as IDataObject;
		data.media = {
			...(data.media as IDataObject),
			download_url: null,
			error: 'Meta download failed',
		};
		for (const event of [events.text(), events.echo(), image]) {
			const result = await deliver(saved.load(), { body: event, secret: SECRET });
			expect(result.items).toEqual([{ json: event }]);
		}
	});

	it('downloads nothing unless the option is on', async () => {
		const result = await deliver(channelTrigger().load(), { body: events.image(), secret: SECRET });
		expect(result.items).toEqual([{ json: events.image() }]);
	});
});
