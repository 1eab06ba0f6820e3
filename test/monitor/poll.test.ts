import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { fbChannel, igChannel, subscription, waChannel } from '../actions/channel/fixtures';
import { fiwanoApi, setupHttp } from '../helpers/harness';
import { MonitoredWorkflow, monitorNode } from '../helpers/poll';

setupHttp();

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) =>
	new Date(Date.now() + days * DAY).toISOString().replace(/\.\d{3}Z$/, '');
const OK = { status: 'ok', reason: null, since: null };
const BROKEN = {
	status: 'action_required',
	reason: '(#190) Error validating access token',
	since: '2026-10-06T08:15:00',
};
const HOOK = 'https://n8n.example.com/webhook/abc/webhook';

/** The account as Fiwano lists it; each test changes what it needs. */
function account(
	overrides: { wa?: IDataObject; ig?: IDataObject; fb?: IDataObject; extra?: IDataObject[] } = {},
) {
	const channels = [
		waChannel({
			health: OK,
			webhook_url: HOOK,
			subscription: subscription({ expires_at: inDays(30) }),
			...overrides.wa,
		}),
		igChannel({
			health: OK,
			subscription: subscription({ expires_at: inDays(30) }),
			...overrides.ig,
		}),
		fbChannel({
			health: OK,
			subscription: subscription({ expires_at: inDays(30) }),
			...overrides.fb,
		}),
		...(overrides.extra ?? []),
	];
	return { channels, total: channels.length };
}

/** Fiwano answers the next GET /channels with this account. */
function listing(answer: IDataObject) {
	return fiwanoApi().get('/api/v1/channels').reply(200, answer);
}

const allEvents = () => new MonitoredWorkflow(monitorNode({}));

afterEach(() => expect(nock.pendingMocks()).toEqual([]));

describe('Fiwano Monitor Trigger: baseline, change, no change, recovery', () => {
	it('the first poll after activation takes note and fires nothing', async () => {
		const saved = allEvents();
		const scope = listing(account({ wa: { health: BROKEN } }));
		const activation = saved.activate();
		expect(await activation.poll()).toBeNull();
		expect(scope.isDone()).toBe(true);
		// What it keeps: the compared fields only, per channel.
		expect(saved.nodeStatic().monitor).toEqual({
			token: expect.any(String),
			channels: {
				a0a0a0a0a0a0a001: {
					health: 'action_required',
					subscription: 'active',
					expiring: '',
					webhook: HOOK,
				},
				b0b0b0b0b0b0b002: { health: 'ok', subscription: 'active', expiring: '', webhook: '' },
				c0c0c0c0c0c0c003: { health: 'ok', subscription: 'active', expiring: '', webhook: '' },
			},
		});
	});

	it('no change, no execution; a change fires one item; the recovery fires one more', async () => {
		const activation = allEvents().activate();
		listing(account());
		expect(await activation.poll()).toBeNull();
		listing(account());
		expect(await activation.poll()).toBeNull();

		const broken = account({ wa: { health: BROKEN } });
		listing(broken);
		const fired = await activation.poll();
		expect(fired).toHaveLength(1);
		expect(fired?.[0]).toEqual([
			{
				json: {
					event: 'health.action_required',
					summary:
						'Sandbox WhatsApp — WhatsApp +15550000001 needs action: (#190) Error validating access token. Reconnect it (Generate OAuth URL for the same account).',
					channel_id: 'a0a0a0a0a0a0a001',
					channel_type: 'whatsapp',
					channel_name: 'Sandbox WhatsApp',
					previous: 'ok',
					current: 'action_required',
					detected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
					channel: broken.channels[0],
				},
			},
		]);

		listing(broken);
		expect(await activation.poll()).toBeNull();

		listing(account());
		expect(await activation.items()).toEqual([
			expect.objectContaining({
				event: 'health.ok',
				channel_id: 'a0a0a0a0a0a0a001',
				previous: 'action_required',
				current: 'ok',
				summary: 'Sandbox WhatsApp — WhatsApp +15550000001 works again.',
			}),
		]);
	});

	it('one item per change, several channels and several changes in one poll', async () => {
		const activation = allEvents().activate();
		listing(account());
		expect(await activation.poll()).toBeNull();
		listing(
			account({
				wa: { health: BROKEN, webhook_url: null },
				fb: { subscription: subscription({ status: 'expired', expires_at: inDays(-1) }) },
			}),
		);
		const items = await activation.items();
		expect(items.map((i) => [i.channel_id, i.event, i.previous, i.current])).toEqual([
			['a0a0a0a0a0a0a001', 'health.action_required', 'ok', 'action_required'],
			['a0a0a0a0a0a0a001', 'webhook.removed', HOOK, null],
			['c0c0c0c0c0c0c003', 'subscription.lapsed', 'active', 'expired'],
		]);
	});

	it('a subscription about to lapse fires once per end date; renewing by itself never does', async () => {
		const activation = new MonitoredWorkflow(
			monitorNode({ options: { lapseWarningDays: 5 } }),
		).activate();
		listing(account());
		await activation.poll();

		const soon = inDays(3);
		listing(
			account({
				ig: { subscription: subscription({ expires_at: soon }) },
				// Paddle, renewing in 2 days: not lapsing.
				fb: {
					subscription: subscription({ source: 'paddle', auto_renew: true, expires_at: inDays(2) }),
				},
			}),
		);
		const items = await activation.items();
		expect(items).toEqual([
			expect.objectContaining({
				event: 'subscription.expiring',
				channel_id: 'b0b0b0b0b0b0b002',
				previous: null,
				current: soon,
				summary: `The subscription of sandbox_shop — Instagram @sandbox_shop ends in 2 days (${soon}) and does not renew by itself.`,
			}),
		]);

		listing(account({ ig: { subscription: subscription({ expires_at: soon }) } }));
		expect(await activation.poll()).toBeNull();

		listing(
			account({ ig: { subscription: subscription({ status: 'expired', expires_at: soon }) } }),
		);
		expect((await activation.items()).map((i) => [i.event, i.previous, i.current])).toEqual([
			['subscription.lapsed', 'active', 'expired'],
		]);
	});

	it('fires only the selected events, but keeps track of everything', async () => {
		const activation = new MonitoredWorkflow(monitorNode({ events: ['health.ok'] })).activate();
		listing(account());
		await activation.poll();
		listing(account({ wa: { health: BROKEN, webhook_url: '' } }));
		expect(await activation.poll()).toBeNull();
		listing(account({ wa: { webhook_url: '' } }));
		expect((await activation.items()).map((i) => i.event)).toEqual(['health.ok']);
	});

	it('a channel seen for the first time is only noted; one that went away is forgotten', async () => {
		const activation = allEvents().activate();
		listing(account());
		await activation.poll();
		const newcomer = waChannel({
			id: 'a0a0a0a0a0a0a099',
			health: BROKEN,
			subscription: subscription({ expires_at: inDays(30) }),
		});
		listing(account({ extra: [newcomer] }));
		expect(await activation.poll()).toBeNull();
		listing({ channels: [newcomer], total: 1 });
		expect(await activation.poll()).toBeNull();
		listing({ channels: [{ ...newcomer, health: OK }], total: 1 });
		expect((await activation.items()).map((i) => [i.channel_id, i.event])).toEqual([
			['a0a0a0a0a0a0a099', 'health.ok'],
		]);
	});

	it('a new activation starts from a new baseline: what changed while it was off fires nothing', async () => {
		const saved = allEvents();
		const first = saved.activate();
		listing(account());
		await first.poll();

		// Deactivated; meanwhile WhatsApp broke. Activated again (or n8n restarted).
		const second = saved.activate({ activation: 'update' });
		listing(account({ wa: { health: BROKEN } }));
		expect(await second.poll()).toBeNull();
		listing(account());
		expect((await second.items()).map((i) => i.event)).toEqual(['health.ok']);
	});

	it('without health in Fiwano’s answer (an older API) no health event fires', async () => {
		const activation = allEvents().activate();
		const plain = (health?: IDataObject) => {
			const { channels } = account();
			return { channels: channels.map((c) => ({ ...c, health })), total: channels.length };
		};
		listing(plain());
		await activation.poll();
		listing(plain(BROKEN));
		expect(await activation.poll()).toBeNull();
	});

	it('watches only the chosen channel types, and active channels unless told otherwise', async () => {
		const activation = new MonitoredWorkflow(
			monitorNode({ options: { channelTypes: ['instagram', 'facebook'] } }),
		).activate();
		listing(account({ fb: { is_active: false } }));
		await activation.poll();
		expect(
			Object.keys(
				(
					activation.workflow.staticData['node:Fiwano Monitor Trigger'] as IDataObject & {
						monitor: { channels: object };
					}
				).monitor.channels,
			),
		).toEqual(['b0b0b0b0b0b0b002']);
		listing(account({ wa: { health: BROKEN }, fb: { is_active: false, health: BROKEN } }));
		expect(await activation.poll()).toBeNull();

		const all = new MonitoredWorkflow(
			monitorNode({ options: { includeInactive: true } }),
		).activate();
		listing(account({ fb: { is_active: false } }));
		await all.poll();
		listing(account({ fb: { is_active: false, health: BROKEN } }));
		expect((await all.items()).map((i) => i.channel_id)).toEqual(['c0c0c0c0c0c0c003']);
	});

	it('an API error fails the poll with Fiwano’s status and detail (n8n reports it)', async () => {
		const activation = allEvents().activate();
		fiwanoApi().get('/api/v1/channels').reply(401, { detail: 'Invalid API key' });
		await expect(activation.poll()).rejects.toMatchObject({
			message: 'Fiwano 401: Invalid API key',
			httpCode: '401',
		});
	});

	it('no events selected is an error, before any request', async () => {
		const activation = new MonitoredWorkflow(monitorNode({ events: [] })).activate();
		await expect(activation.poll()).rejects.toThrow('No events selected');
	});
});

describe('Fiwano Monitor Trigger: Fetch Test Event (manual mode)', () => {
	it('returns what needs attention now, and leaves the baseline alone', async () => {
		const saved = allEvents();
		const soon = inDays(2);
		const now = account({
			wa: { health: BROKEN },
			ig: { subscription: subscription({ expires_at: soon }) },
			fb: { subscription: subscription({ status: 'canceled' }) },
		});
		listing(now);
		const result = await saved.fetchTestEvent();
		expect(
			result?.[0].map((i) => [i.json.channel_id, i.json.event, i.json.previous, i.json.current]),
		).toEqual([
			['a0a0a0a0a0a0a001', 'health.action_required', null, 'action_required'],
			['b0b0b0b0b0b0b002', 'subscription.expiring', null, soon],
			['c0c0c0c0c0c0c003', 'subscription.lapsed', null, 'canceled'],
		]);
		expect(saved.nodeStatic()).toEqual({});
	});

	it('when nothing needs attention, one sample item shaped like the first selected event', async () => {
		const saved = new MonitoredWorkflow(
			monitorNode({ events: ['health.action_required', 'health.ok'] }),
		);
		const healthy = account();
		listing(healthy);
		const result = await saved.fetchTestEvent();
		expect(result?.[0]).toEqual([
			{
				json: {
					event: 'health.action_required',
					summary:
						'Sample: no watched channel needs attention right now. A real "health.action_required" item for this channel would read: Sandbox WhatsApp — WhatsApp +15550000001 needs action. Reconnect it (Generate OAuth URL for the same account).',
					channel_id: 'a0a0a0a0a0a0a001',
					channel_type: 'whatsapp',
					channel_name: 'Sandbox WhatsApp',
					previous: 'ok',
					current: 'action_required',
					detected_at: expect.any(String),
					sample: true,
					channel: healthy.channels[0],
				},
			},
		]);
	});

	it('says so when there is no channel to watch', async () => {
		listing({ channels: [], total: 0 });
		await expect(allEvents().fetchTestEvent()).rejects.toThrow('No Fiwano channel to watch');
	});
});
