import type { INode } from 'n8n-workflow';
import nock from 'nock';

import { fiwanoApi, setupHttp } from '../helpers/harness';
import {
	activate,
	deliver,
	n8nLogger,
	PRODUCTION_URL,
	runHook,
	SavedWorkflow,
	TEST_URL,
	triggerNode,
	WEBHOOK_ID,
} from '../helpers/trigger';
import { events, FakeFiwano, FB, IG, SECRET, testKey, WA, wireProduction } from './fakeFiwano';

const OTHER_KEY = testKey('someone else');

setupHttp();

/**
 * "Listen for test event" runs the same create/delete on the test URL, with a static data
 * object of its own. Policy: a channel that sends to this workflow (its production URL) or to
 * nothing is borrowed and put back exactly as it was, keeping the secret its production
 * receiver verifies with; a channel that sends to any other URL is refused up front.
 */

const FOREIGN = 'https://crm.example.org/fiwano-hook';

/**
 * The URL a test listen puts on a channel: its test URL naming the wiring to put back. Pinned:
 * a change of this format would lose the hand-back of listens open during an upgrade.
 */
const borrowed = (previousUrl: string, previousEvents: string[]) =>
	`${TEST_URL}?fiwano_restore=${previousUrl}&fiwano_events=${previousEvents.join(',')}`;
const FROM_PRODUCTION = borrowed(PRODUCTION_URL, ['message.received']);
const FROM_NOTHING = borrowed('', []);

const oneChannel = (events: string[] = ['message.received']): INode =>
	triggerNode({ autoSetup: 'channel', channelId: { __rl: true, mode: 'list', value: WA }, events });

/** The editor's test run: same workflow and node, a fresh static data object (as n8n does). */
function editorCopy(saved: SavedWorkflow, node: INode = saved.node) {
	return new SavedWorkflow(node, saved.id).load();
}

afterEach(() => {
	jest.restoreAllMocks();
	expect(nock.pendingMocks()).toEqual([]);
});

describe('a test listen on a channel wired to this workflow’s production URL', () => {
	it('borrows the channel and leaves production working afterwards', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		const channelSecret = fake.get(WA).secret ?? '';
		const before = { ...fake.get(WA), webhook_events: [...fake.get(WA).webhook_events] };

		// Listen for test event.
		const editor = editorCopy(saved);
		expect(await runHook(editor, 'checkExists', { test: true })).toBe(false);
		const get = fake.expectGet(WA);
		// No secret in this request: production's secret stays on the channel.
		const borrow = fake.expectPatch(WA, {
			webhook_url: FROM_PRODUCTION,
			webhook_events: ['message.received'],
		});
		await runHook(editor, 'create', { test: true });
		expect(get.isDone() && borrow.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: FROM_PRODUCTION, secret: channelSecret });

		// The test event arrives on the test URL, signed with the channel's secret.
		const testEvent = await deliver(
			editor,
			{ body: events.text(), secret: fake.get(WA).secret ?? '' },
			{ test: true },
		);
		expect([testEvent.status, testEvent.executed]).toEqual([200, true]);

		// n8n ends the test listen.
		const check = fake.expectGet(WA);
		const restore = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
		});
		expect(await runHook(editor, 'delete', { test: true })).toBe(true);
		expect(check.isDone() && restore.isDone()).toBe(true);
		expect(fake.get(WA)).toEqual(before);

		// Production still verifies what Fiwano now signs.
		const production = await deliver(saved.load(), {
			body: events.text({
				data: { message_id: 'wamid.after', from: '1234567890', type: 'text', text: 'Still there?' },
			}),
			secret: fake.get(WA).secret ?? '',
		});
		expect([production.status, production.executed]).toEqual([200, true]);
		// The production record was never touched by the test listen.
		expect(saved.nodeStatic().registration).toMatchObject({ url: PRODUCTION_URL, test: false });
	});

	it('puts back production’s events even when the editor selected others', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);

		const editor = editorCopy(saved, oneChannel(['message.received', 'message.read']));
		fake.expectGet(WA);
		fake.expectPatch(WA, {
			webhook_url: FROM_PRODUCTION,
			webhook_events: ['message.read', 'message.received'],
		});
		await runHook(editor, 'create', { test: true });

		fake.expectGet(WA);
		const restore = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
		});
		await runHook(editor, 'delete', { test: true });
		expect(restore.isDone()).toBe(true);
		expect(fake.get(WA).webhook_events).toEqual(['message.received']);
	});

	it('leaves the channel alone when production took it back during the test', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		const editor = editorCopy(saved);
		fake.expectGet(WA);
		fake.expectPatch(WA, { webhook_url: FROM_PRODUCTION, webhook_events: ['message.received'] });
		await runHook(editor, 'create', { test: true });

		// The workflow is re-activated while the test listen is open.
		await wireProduction(fake, saved);

		const check = fake.expectGet(WA);
		expect(await runHook(editor, 'delete', { test: true })).toBe(true);
		expect(check.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: PRODUCTION_URL, secret: SECRET });
	});

	it('hands production back after a second listen replaced the first (editor reloaded)', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		const before = { ...fake.get(WA), webhook_events: [...fake.get(WA).webhook_events] };
		fake.expectGet(WA);
		fake.expectPatch(WA, { webhook_url: FROM_PRODUCTION, webhook_events: ['message.received'] });
		await runHook(editorCopy(saved), 'create', { test: true });

		// n8n keeps one registration per test path: the second listen replaces the first one,
		// static data included, so only the second one's delete ever runs.
		const second = editorCopy(saved);
		fake.expectGet(WA);
		const borrowAgain = fake.expectPatch(WA, {
			webhook_url: FROM_PRODUCTION,
			webhook_events: ['message.received'],
		});
		await runHook(second, 'create', { test: true });
		fake.expectGet(WA);
		const restore = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
		});
		expect(await runHook(second, 'delete', { test: true })).toBe(true);

		expect(borrowAgain.isDone() && restore.isDone()).toBe(true);
		expect(fake.get(WA)).toEqual(before);
		const production = await deliver(saved.load(), {
			body: events.text(),
			secret: fake.get(WA).secret ?? '',
		});
		expect([production.status, production.executed]).toEqual([200, true]);
	});

	it('hands production back when n8n runs delete without the listen’s static data (stopped while wiring)', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		fake.expectGet(WA);
		fake.expectPatch(WA, { webhook_url: FROM_PRODUCTION, webhook_events: ['message.received'] });
		await runHook(editorCopy(saved), 'create', { test: true });

		fake.expectGet(WA);
		const restore = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
		});
		expect(await runHook(editorCopy(saved), 'delete', { test: true })).toBe(true);
		expect(restore.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: PRODUCTION_URL, secret: SECRET });
	});

	it.each([
		['another host', `https://evil.example.net/webhook/${WEBHOOK_ID}/webhook`],
		[
			'another workflow',
			'https://n8n.example.com/webhook/aaaaaaaa-1111-4222-8333-444444444444/webhook',
		],
		['the test URL itself', TEST_URL],
	])('never points a channel at a hand-back URL it did not write (%s)', async (_name, target) => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: borrowed(target, ['message.received']),
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		fake.expectGet(WA);
		const clear = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		expect(await runHook(new SavedWorkflow(oneChannel()).load(), 'delete', { test: true })).toBe(
			true,
		);
		expect(clear.isDone()).toBe(true);
	});

	it('falls back to the plain test URL when the hand-back would not fit Fiwano’s 500 characters', async () => {
		const n8nUrl = `https://n8n.example.com/${'long-path/'.repeat(21)}n8n`;
		const production = `${n8nUrl}/webhook/${WEBHOOK_ID}/webhook`;
		const test = `${n8nUrl}/webhook-test/${WEBHOOK_ID}/webhook`;
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: production,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		const editor = editorCopy(new SavedWorkflow(oneChannel()));
		fake.expectGet(WA);
		const borrow = fake.expectPatch(WA, {
			webhook_url: test,
			webhook_events: ['message.received'],
		});
		await runHook(editor, 'create', { test: true, n8nUrl });
		expect(
			`${test}?fiwano_restore=${production}&fiwano_events=message.received`.length,
		).toBeGreaterThan(500);
		expect(borrow.isDone()).toBe(true);
		// The listen's own record still hands it back.
		fake.expectGet(WA);
		const restore = fake.expectPatch(WA, {
			webhook_url: production,
			webhook_events: ['message.received'],
		});
		expect(await runHook(editor, 'delete', { test: true, n8nUrl })).toBe(true);
		expect(restore.isDone()).toBe(true);
	});

	it('logs a failed hand-back and does not throw', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const saved = new SavedWorkflow(oneChannel());
		await wireProduction(fake, saved);
		const editor = editorCopy(saved);
		fake.expectGet(WA);
		fake.expectPatch(WA, { webhook_url: FROM_PRODUCTION, webhook_events: ['message.received'] });
		await runHook(editor, 'create', { test: true });

		const error = jest.spyOn(n8nLogger(editor), 'error').mockImplementation(() => {});
		fake.expectGet(WA);
		const restore = fiwanoApi()
			.patch(`/api/v1/channels/${WA}`, {
				webhook_url: PRODUCTION_URL,
				webhook_events: ['message.received'],
			})
			.reply(400, { detail: 'Channel is inactive' });
		await expect(runHook(editor, 'delete', { test: true })).resolves.toBe(false);
		expect(restore.isDone()).toBe(true);
		expect(error.mock.calls[0][0]).toMatch(
			/could not put back the webhook of channel a1b2c3d4e5f67890 after the test: Fiwano 400: Channel is inactive/,
		);
	});
});

describe('a test listen on other channels', () => {
	it('refuses a channel that sends to another URL, and says what to do', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			name: 'Shop WhatsApp',
			webhook_url: FOREIGN,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		const editor = new SavedWorkflow(oneChannel()).load();
		const get = fake.expectGet(WA);
		await expect(runHook(editor, 'create', { test: true })).rejects.toThrow(
			/Channel Shop WhatsApp .*a1b2c3d4e5f67890.* sends its events to https:\/\/crm\.example\.org, not to this workflow/,
		);
		expect(get.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: FOREIGN, secret: OTHER_KEY });

		// What n8n does after a failed create: delete. Nothing was borrowed, so nothing is sent.
		expect(await runHook(editor, 'delete', { test: true })).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: FOREIGN, secret: OTHER_KEY });
	});

	it('refuses a channel that sends to a copy of this workflow on another n8n (same path, other host)', async () => {
		const fake = new FakeFiwano();
		const staging = `https://staging.example.org/webhook/${WEBHOOK_ID}/webhook`;
		fake.add({
			id: WA,
			name: 'Shop WhatsApp',
			webhook_url: staging,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		const editor = new SavedWorkflow(oneChannel()).load();
		const get = fake.expectGet(WA);
		await expect(runHook(editor, 'create', { test: true })).rejects.toThrow(
			/sends its events to https:\/\/staging\.example\.org, not to this workflow/,
		);
		expect(get.isDone()).toBe(true);
		expect(await runHook(editor, 'delete', { test: true })).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: staging, secret: OTHER_KEY });
	});

	it('borrows a free channel with the trigger’s secret and clears it afterwards', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA });
		const editor = new SavedWorkflow(oneChannel()).load();
		fake.expectGet(WA);
		const borrow = fake.expectPatch(WA, {
			webhook_url: FROM_NOTHING,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		await runHook(editor, 'create', { test: true });
		expect(borrow.isDone()).toBe(true);

		const ok = await deliver(
			editor,
			{ body: events.text(), secret: fake.get(WA).secret ?? '' },
			{ test: true },
		);
		expect(ok.executed).toBe(true);

		fake.expectGet(WA);
		const clear = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		await runHook(editor, 'delete', { test: true });
		expect(clear.isDone()).toBe(true);
		expect(fake.get(WA)).toMatchObject({ webhook_url: null, webhook_events: [] });
	});

	it('clears a channel left on the test URL by a test listen that never ended', async () => {
		const fake = new FakeFiwano();
		fake.add({
			id: WA,
			webhook_url: TEST_URL,
			webhook_events: ['message.received'],
			secret: SECRET,
		});
		const editor = new SavedWorkflow(oneChannel()).load();
		fake.expectGet(WA);
		fake.expectPatch(WA, {
			webhook_url: FROM_NOTHING,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		await runHook(editor, 'create', { test: true });
		fake.expectGet(WA);
		const clear = fake.expectPatch(WA, { webhook_url: '', webhook_events: [] });
		await runHook(editor, 'delete', { test: true });
		expect(clear.isDone()).toBe(true);
	});

	it.each([
		['the plain test URL', TEST_URL],
		['a borrowed test URL', FROM_PRODUCTION],
	])(
		'production activation takes back a channel left on %s (n8n restarted during a listen)',
		async (_name, leftover) => {
			const fake = new FakeFiwano();
			fake.add({
				id: WA,
				webhook_url: leftover,
				webhook_events: ['message.received'],
				secret: SECRET,
			});
			const saved = new SavedWorkflow(oneChannel());
			fake.expectGet(WA);
			const patch = fake.expectPatch(WA, {
				webhook_url: PRODUCTION_URL,
				webhook_events: ['message.received'],
				webhook_secret: SECRET,
			});
			expect(await activate(saved.load(), { activation: 'init' })).toEqual({ existed: false });
			expect(patch.isDone()).toBe(true);
		},
	);
});

describe('a test listen with All Active Channels', () => {
	it('borrows production and free channels, skips foreign ones, and puts everything back', async () => {
		const fake = new FakeFiwano();
		fake.add({ id: WA, name: 'Shop WhatsApp' });
		fake.add({
			id: IG,
			channel_type: 'instagram',
			name: 'shop_ig',
			webhook_url: FOREIGN,
			webhook_events: ['message.received'],
			secret: OTHER_KEY,
		});
		const node = triggerNode({ autoSetup: 'all', events: ['message.received'] });
		const saved = new SavedWorkflow(node);
		const production = saved.load();
		jest.spyOn(n8nLogger(production), 'warn').mockImplementation(() => {});
		fake.expectList(2);
		fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		await activate(production);
		saved.save(production);
		// A channel connected after activation: free.
		fake.add({ id: FB, channel_type: 'facebook', name: 'Shop Page' });
		const waBefore = { ...fake.get(WA) };

		const editor = editorCopy(saved);
		fake.expectList();
		const borrowWa = fake.expectPatch(WA, {
			webhook_url: FROM_PRODUCTION,
			webhook_events: ['message.received'],
		});
		const borrowFb = fake.expectPatch(FB, {
			webhook_url: FROM_NOTHING,
			webhook_events: ['message.received'],
			webhook_secret: SECRET,
		});
		await runHook(editor, 'create', { test: true });
		expect(borrowWa.isDone() && borrowFb.isDone()).toBe(true);
		expect(fake.get(IG)).toMatchObject({ webhook_url: FOREIGN, secret: OTHER_KEY });

		fake.expectGet(WA);
		fake.expectGet(FB);
		const restoreWa = fake.expectPatch(WA, {
			webhook_url: PRODUCTION_URL,
			webhook_events: ['message.received'],
		});
		const clearFb = fake.expectPatch(FB, { webhook_url: '', webhook_events: [] });
		await runHook(editor, 'delete', { test: true });
		expect(restoreWa.isDone() && clearFb.isDone()).toBe(true);
		expect(fake.get(WA)).toEqual(waBefore);

		const after = await deliver(saved.load(), {
			body: events.text(),
			secret: fake.get(WA).secret ?? '',
		});
		expect([after.status, after.executed]).toEqual([200, true]);
	});
});
