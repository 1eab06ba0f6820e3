import nock from 'nock';

import { fiwanoApi, fiwanoCredentials, setupHttp } from '../helpers/harness';
import {
	activate,
	deliver,
	n8nLogger,
	PRODUCTION_URL,
	runHook,
	SavedWorkflow,
	TRIGGER_NODE_ID,
	triggerNode,
	WEBHOOK_ID,
} from '../helpers/trigger';
import {
	derivedSecret,
	events,
	FakeFiwano,
	FB,
	IG,
	SECRET,
	testKey,
	WA,
	wireProduction,
} from './fakeFiwano';

const CREDENTIAL_KEY = testKey('credential');
const NODE_KEY = testKey('node parameter');
const OTHER_KEY = testKey('someone else');

setupHttp();

const FOREIGN = 'https://other-app.example.com/hooks/fiwano?token=abc';

const oneChannel = (extra = {}) =>
	triggerNode({
		autoSetup: 'channel',
		channelId: { __rl: true, mode: 'list', value: WA },
		events: ['message.received'],
		...extra,
	});
const allChannels = (extra = {}) =>
	triggerNode({ autoSetup: 'all', events: ['message.received', 'message.read'], ...extra });

afterEach(() => {
	jest.restoreAllMocks();
	expect(nock.pendingMocks()).toEqual([]);
});

describe('manual setup', () => {
	it.each([2, 1])('registers nothing and calls no API (typeVersion %i)', async (version) => {
		const saved = new SavedWorkflow(
			triggerNode({ autoSetup: 'manual', events: ['message.received'] }, version),
		);
		const workflow = saved.load();
		// No interceptors and no network: any request would fail the hook.
		expect(await runHook(workflow, 'checkExists')).toBe(true);
		expect(await runHook(workflow, 'create')).toBe(true);
		expect(await runHook(workflow, 'delete')).toBe(true);
		expect(await runHook(workflow, 'checkExists', { test: true })).toBe(true);
	});
});

describe('one channel', () => {
	it('wires a fresh channel with the production URL, the events and the trigger’s own secret', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		const workflow = saved.load();
		const get = fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});

		expect(await activate(workflow)).toEqual({ existed: false });
		saved.save(workflow);

		expect(get.isDone() && patch.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		expect(SECRET).toMatch(/^[0-9a-f]{64}$/);
		// What the trigger remembers holds no secret.
		expect(JSON.stringify(saved.staticData)).not.toContain(SECRET);
		expect(saved.nodeStatic().registration).toMatchObject({ url: PRODUCTION_URL, test: false });
	});

	it('reports the channel as wired on the next start, without a PATCH', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);

		// n8n restarts: 'init' activation in a new process, static data from the database.
		const get = fake.expectGet(WA);
		expect(await activate(saved.load(), { activation: 'init' })).toEqual({ existed: true });
		expect(get.isDone()).toBe(true);
	});

	it.each([
		['points at another URL', { webhook_url: FOREIGN }, false],
		['has no events', { webhook_events: [] }, false],
		['has no secret any more', { secret: null }, false],
		['has a secret the trigger has no record of setting (static data lost)', {}, true],
	])('re-wires a channel that %s', async (_name, change, wipeStaticData) => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		Object.assign(fake.get(WA), change);
		if (wipeStaticData) saved.staticData = {};

		const get = fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		expect(await saved.activate({ activation: 'init' })).toEqual({ existed: false });
		expect(get.isDone() && patch.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
	});

	it('re-wires when the credential’s secret changed since activation (the channel has the old one)', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);

		const credentials = fiwanoCredentials({ webhookSecret: CREDENTIAL_KEY });
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: CREDENTIAL_KEY,
		});
		expect(await saved.activate({ activation: 'init', credentials })).toEqual({ existed: false });
		expect(patch.isDone()).toBe(true);
	});

	it('clears the channel on deactivation', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		const workflow = new SavedWorkflow(oneChannel()).load();
		const get = fake.expectGet(WA);
		const patch = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		expect(await runHook(workflow, 'delete')).toBe(true);
		expect(get.isDone() && patch.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: null, webhook_events: [] });
	});

	it('leaves the channel alone on deactivation when another workflow took it over', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);

		// A second workflow takes the same channel over.
		const otherHook = 'aaaaaaaa-1111-4222-8333-444444444444';
		const other = new SavedWorkflow(oneChannel({}), 'wf-other');
		other.node = { ...other.node, webhookId: otherHook };
		const otherProduction = `https://n8n.example.com/webhook/${otherHook}/webhook`;
		const otherSecret = derivedSecret('wf-other', TRIGGER_NODE_ID);
		fake.expectGet(WA);
		fake.expectPatch(WA, {
			webhook_url: otherProduction,
			webhook_events: ['message.received'],
			webhook_secret: otherSecret,
		});
		await activate(other.load());

		// Deactivating the first workflow must not clear the second one's webhook.
		const get = fake.expectGet(WA);
		expect(await runHook(saved.load(), 'delete')).toBe(true);
		expect(get.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: otherProduction, secret: otherSecret });
	});

	it('logs a failed clear and still lets n8n deactivate', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		const workflow = new SavedWorkflow(oneChannel()).load();
		const error = jest.spyOn(n8nLogger(workflow), 'error').mockImplementation(() => {});
		fake.expectGet(WA);
		const patch = fiwanoApi()
			.patch(`/api/v1/channels/${WA}`, { webhook_url: '', webhook_events: [] })
			.reply(400, { detail: 'Webhook URL cannot be changed right now' });

		await expect(runHook(workflow, 'delete')).resolves.toBe(false);
		expect(patch.isDone()).toBe(true);
		expect(error).toHaveBeenCalledTimes(1);
		expect(error.mock.calls[0][0]).toMatch(
			new RegExp(
				`could not clear the webhook of channel .*${WA}.*Fiwano 400: Webhook URL cannot be changed right now`,
			),
		);
	});

	it('logs an unreachable channel on deactivation instead of throwing', async () => {
		const workflow = new SavedWorkflow(oneChannel()).load();
		const error = jest.spyOn(n8nLogger(workflow), 'error').mockImplementation(() => {});
		const get = fiwanoApi()
			.get(`/api/v1/channels/${WA}`)
			.reply(404, { detail: 'Channel not found' });
		await expect(runHook(workflow, 'delete')).resolves.toBe(false);
		expect(get.isDone()).toBe(true);
		expect(error.mock.calls[0][0]).toMatch(
			/could not clear its channel webhooks: Fiwano 404: Channel not found/,
		);
	});

	it('fails activation with the API’s own error when the channel does not exist', async () => {
		const workflow = new SavedWorkflow(oneChannel()).load();
		const get = fiwanoApi()
			.get(`/api/v1/channels/${WA}`)
			.reply(404, { detail: 'Channel not found' });
		await expect(activate(workflow)).rejects.toThrow('Fiwano 404: Channel not found');
		expect(get.isDone()).toBe(true);
	});

	it('asks for a credential when the automatic setup has none', async () => {
		const workflow = new SavedWorkflow(oneChannel({}));
		workflow.node = { ...workflow.node, credentials: undefined };
		await expect(activate(workflow.load())).rejects.toThrow(/needs a Fiwano credential/);
	});

	it('uses the credential’s Webhook Secret when it has one', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const credentials = fiwanoCredentials({ webhookSecret: CREDENTIAL_KEY });
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: CREDENTIAL_KEY,
		});
		await activate(new SavedWorkflow(oneChannel()).load(), { credentials });
		expect(patch.isDone()).toBe(true);
	});

	it.each([
		[
			'the credential’s Webhook Secret',
			2,
			{},
			{ webhookSecret: `${CREDENTIAL_KEY}${CREDENTIAL_KEY}x` },
		],
		['the node’s Webhook Secret', 1, { webhookSecret: `${NODE_KEY}${NODE_KEY}x` }, {}],
	])(
		'refuses %s when it is longer than Fiwano stores, before sending it',
		async (_name, version, parameters, credential) => {
			const fake = new FakeFiwano();
			fake.add({ id: WA });
			const node =
				version === 1
					? triggerNode(
							{ autoSetup: 'channel', channelId: WA, events: ['message.received'], ...parameters },
							1,
						)
					: oneChannel();
			// No interceptor: any request would fail the activation with another message.
			const activation = activate(new SavedWorkflow(node).load(), {
				credentials: fiwanoCredentials(credential),
			});
			await expect(activation).rejects.toThrow(
				/Webhook Secret is 65 characters long; Fiwano stores at most 64/,
			);
			await activation.catch((error: Error & { description?: string }) => {
				expect(`${error.message} ${error.description ?? ''}`).not.toContain(CREDENTIAL_KEY);
				expect(`${error.message} ${error.description ?? ''}`).not.toContain(NODE_KEY);
			});
			expect(fake.get(WA).secret).toBeNull();
		},
	);

	it('registers every event of the version when none is selected', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: [
				'conversation.referral',
				'message.delivered',
				'message.echo',
				'message.failed',
				'message.read',
				'message.received',
				'message.sent',
			],
			webhook_secret: SECRET,
		});
		await activate(new SavedWorkflow(oneChannel({ events: [] })).load());
		expect(patch.isDone()).toBe(true);
	});
});

describe('typeVersion 1 (the 1.x contract)', () => {
	const v1 = (extra = {}) =>
		triggerNode(
			{
				autoSetup: 'channel',
				channelId: WA,
				webhookSecret: '',
				events: ['message.received'],
				...extra,
			},
			1,
		);

	it('wires the plain channel ID with the trigger’s own secret when no secret is set', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		await activate(new SavedWorkflow(v1()).load());
		expect(patch.isDone()).toBe(true);
	});

	it('puts the node’s Webhook Secret on the channel and verifies with it', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(v1({ webhookSecret: NODE_KEY }));
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: NODE_KEY,
		});
		await activate(saved.load());
		expect(patch.isDone()).toBe(true);
		const ok = await deliver(saved.load(), { body: events.text(), secret: NODE_KEY });
		expect(ok.executed).toBe(true);
	});

	it('subscribes the five 1.x events when the selection is empty', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		fake.expectGet(WA);
		const patch = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: [
				'message.delivered',
				'message.failed',
				'message.read',
				'message.received',
				'message.sent',
			],
			webhook_secret: SECRET,
		});
		await activate(new SavedWorkflow(v1({ events: [] })).load());
		expect(patch.isDone()).toBe(true);
	});
});

describe('all active channels', () => {
	function channels(fake: FakeFiwano): void {
		fake.add({ id: WA, channel_type: 'whatsapp', name: 'Shop WhatsApp' });
		fake.add({
			id: IG,
			channel_type: 'instagram',
			name: 'shop_ig',
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		fake.add({
			id: FB,
			channel_type: 'facebook',
			name: 'Shop Page',
			webhook_url: FOREIGN,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		fake.add({
			id: 'd0d0d0d0d0d0d004',
			channel_type: 'whatsapp',
			name: 'Old number',
			is_active: false,
		});
	}
	const body = {
		webhook_url: PRODUCTION_URL,
		webhook_events: ['message.read', 'message.received'],
		webhook_secret: SECRET,
	};

	it('wires free and own channels, leaves foreign and inactive ones alone, and says which it skipped', async () => {
		const fake = new FakeFiwano();
		channels(fake);
		const saved = new SavedWorkflow(allChannels());
		const workflow = saved.load();
		const warn = jest.spyOn(n8nLogger(workflow), 'warn').mockImplementation(() => {});
		const list = fake.expectList(2);
		const patchWa = fake.expectPatch(WA, body);
		const patchIg = fake.expectPatch(IG, body);

		expect(await activate(workflow)).toEqual({ existed: false });
		saved.save(workflow);

		expect(list.isDone() && patchWa.isDone() && patchIg.isDone()).toBe(true);
		expect(fake.get(FB)).toMatchObject({ webhook_url: FOREIGN, secret: OTHER_KEY });
		expect(fake.get('d0d0d0d0d0d0d004').webhook_url).toBeNull();
		expect(warn).toHaveBeenCalledTimes(1);
		expect(warn.mock.calls[0][0]).toMatch(
			/left 1 channel\(s\) alone.*Shop Page.*c3f8a1b2e4d56789.*https:\/\/other-app\.example\.com/,
		);
		// Only the origin of the foreign URL is named, never its query string.
		expect(warn.mock.calls[0][0]).not.toContain('token=abc');

		// Restart: everything is as recorded, so nothing is sent.
		const again = fake.expectList();
		expect(await activate(saved.load(), { activation: 'init' })).toEqual({ existed: true });
		expect(again.isDone()).toBe(true);
	});

	it('leaves alone a channel that sends to a copy of this workflow on another n8n (same path, other host)', async () => {
		const fake = new FakeFiwano();
		const staging = `https://staging.example.org/webhook/${WEBHOOK_ID}/webhook`;
		fake.add({ id: WA, channel_type: 'whatsapp', name: 'Shop WhatsApp' });
		fake.add({
			id: IG,
			channel_type: 'instagram',
			name: 'shop_ig',
			webhook_url: staging,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		const saved = new SavedWorkflow(allChannels());
		const workflow = saved.load();
		const warn = jest.spyOn(n8nLogger(workflow), 'warn').mockImplementation(() => {});
		fake.expectList(2);
		const patchWa = fake.expectPatch(WA, body);

		await activate(workflow);
		saved.save(workflow);

		expect(patchWa.isDone()).toBe(true);
		expect(fake.get(IG)).toMatchObject({ webhook_url: staging, secret: OTHER_KEY });
		expect(warn.mock.calls[0][0]).toMatch(
			/left 1 channel\(s\) alone.*shop_ig.*https:\/\/staging\.example\.org/,
		);

		// Nor does deactivation touch it.
		fake.expectList();
		const clearWa = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		expect(await runHook(saved.load(), 'delete')).toBe(true);
		expect(clearWa.isDone()).toBe(true);
		expect(fake.get(IG).webhook_url).toBe(staging);
	});

	it('takes back a channel on the production URL it wired before n8n moved to another address', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, channel_type: 'whatsapp', name: 'Shop WhatsApp' });
		const saved = new SavedWorkflow(allChannels());
		fake.expectList(2);
		fake.expectPatch(WA, body);
		let workflow = saved.load();
		await activate(workflow);
		saved.save(workflow);
		// What activation recorded and wired, as it was before WEBHOOK_URL changed.
		const oldUrl = `https://old-n8n.example.net/webhook/${WEBHOOK_ID}/webhook`;
		fake.get(WA).webhook_url = oldUrl;
		const record = saved.nodeStatic().registration as { url: string };
		record.url = oldUrl;

		workflow = saved.load();
		fake.expectList(2);
		const patch = fake.expectPatch(WA, body);
		expect(await activate(workflow, { activation: 'init' })).toEqual({ existed: false });
		expect(patch.isDone()).toBe(true);
		expect(fake.get(WA).webhook_url).toBe(PRODUCTION_URL);
	});

	it('re-wires when a new channel was connected or a wired one lost its events', async () => {
		const fake = new FakeFiwano();
		channels(fake);
		const saved = new SavedWorkflow(allChannels());
		fake.expectList(2);
		fake.expectPatch(WA, body);
		fake.expectPatch(IG, body);
		let workflow = saved.load();
		jest.spyOn(n8nLogger(workflow), 'warn').mockImplementation(() => {});
		await activate(workflow);
		saved.save(workflow);

		fake.add({ id: 'e0e0e0e0e0e0e005', channel_type: 'facebook', name: 'New Page' });
		fake.expectList();
		expect(await runHook(saved.load(), 'checkExists', { activation: 'init' })).toBe(false);

		fake.get('e0e0e0e0e0e0e005').is_active = false;
		fake.get(IG).webhook_events = [];
		fake.expectList();
		expect(await runHook(saved.load(), 'checkExists', { activation: 'init' })).toBe(false);

		fake.get(IG).webhook_events = ['message.read', 'message.received'];
		fake.expectList();
		workflow = saved.load();
		expect(await runHook(workflow, 'checkExists', { activation: 'init' })).toBe(true);
	});

	it('accepts that Fiwano drops events a channel type does not have', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: IG, channel_type: 'instagram', name: 'shop_ig' });
		const saved = new SavedWorkflow(allChannels({ events: ['message.received', 'message.sent'] }));
		fake.expectList(2);
		const patch = fake.expectPatch(IG, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received', 'message.sent'],
			webhook_secret: SECRET,
		});
		const workflow = saved.load();
		await activate(workflow);
		saved.save(workflow);
		expect(patch.isDone()).toBe(true);
		expect(fake.get(IG).webhook_events).toEqual(['message.received']);

		const list = fake.expectList();
		expect(await activate(saved.load(), { activation: 'init' })).toEqual({ existed: true });
		expect(list.isDone()).toBe(true);
	});

	it('fails with a clear message when every active channel sends elsewhere', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: FB,
			channel_type: 'facebook',
			name: 'Shop Page',
			webhook_url: FOREIGN,
			secret: OTHER_KEY,
		});
		const list = fake.expectList(2);
		await expect(activate(new SavedWorkflow(allChannels()).load())).rejects.toThrow(
			/Nothing to wire: every active channel already sends its events to another URL \(Shop Page .*c3f8a1b2e4d56789.* → https:\/\/other-app\.example\.com\)/,
		);
		expect(list.isDone()).toBe(true);
		expect(fake.get(FB).webhook_url).toBe(FOREIGN);
	});

	it('wires only channels of the chosen Channel Types, whose events it would not ignore', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, channel_type: 'whatsapp', name: 'Shop WhatsApp' });
		fake.add({ id: IG, channel_type: 'instagram', name: 'shop_ig' });
		const saved = new SavedWorkflow(allChannels({ options: { channelTypes: ['instagram'] } }));
		fake.expectList(2);
		const patchIg = fake.expectPatch(IG, body);
		expect(await saved.activate()).toEqual({ existed: false });
		expect(patchIg.isDone()).toBe(true);
		expect(fake.get(WA).webhook_url).toBeNull();

		// The free WhatsApp channel does not make the trigger re-wire on the next start.
		const list = fake.expectList();
		expect(await saved.activate({ activation: 'init' })).toEqual({ existed: true });
		expect(list.isDone()).toBe(true);
	});

	it('says so when no active channel has a chosen Channel Type', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, channel_type: 'whatsapp' });
		fake.expectList(2);
		await expect(
			new SavedWorkflow(allChannels({ options: { channelTypes: ['facebook'] } })).activate(),
		).rejects.toThrow('No active Fiwano channel of the chosen Channel Types (facebook) to wire');
		expect(fake.get(WA).webhook_url).toBeNull();
	});

	it('fails when there is no active channel', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, is_active: false });
		fake.expectList(2);
		await expect(activate(new SavedWorkflow(allChannels()).load())).rejects.toThrow(
			'No active Fiwano channel to wire',
		);
	});

	it('keeps the channels it could wire when one PATCH fails, and logs the failure', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, name: 'Shop WhatsApp' });
		fake.add({ id: IG, channel_type: 'instagram', name: 'shop_ig' });
		const workflow = new SavedWorkflow(allChannels()).load();
		const error = jest.spyOn(n8nLogger(workflow), 'error').mockImplementation(() => {});
		fake.expectList(2);
		const failing = fiwanoApi()
			.patch(`/api/v1/channels/${WA}`, body)
			.reply(422, { detail: 'webhook_url must be https' });
		const ok = fake.expectPatch(IG, body);
		await activate(workflow);
		expect(failing.isDone() && ok.isDone()).toBe(true);
		expect(error.mock.calls[0][0]).toMatch(
			/could not wire channel Shop WhatsApp.*Fiwano 422: webhook_url must be https/,
		);
	});

	it('clears only the channels that still send to this trigger on deactivation', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		fake.add({
			id: IG,
			channel_type: 'instagram',
			webhook_url: FOREIGN,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		fake.add({
			id: FB,
			channel_type: 'facebook',
			is_active: false,
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.read'],
			secret: SECRET,
		});
		const list = fake.expectList();
		const clearWa = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		const clearFb = fake.expectPatch(FB, { webhook_url: '', webhook_events: [] });
		expect(await runHook(new SavedWorkflow(allChannels()).load(), 'delete')).toBe(true);
		expect(list.isDone() && clearWa.isDone() && clearFb.isDone()).toBe(true);
		expect(fake.get(IG).webhook_url).toBe(FOREIGN);
	});
});
