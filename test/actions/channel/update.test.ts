import nock from 'nock';

import { fiwanoApi, fiwanoCredentials, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, WA_ID } from './fixtures';

setupHttp();

const path = `/api/v1/channels/${WA_ID}`;
const answer = (overrides = {}) => ({
	id: WA_ID,
	webhook_url: 'https://hooks.example.com/fiwano',
	webhook_events: ['message.received'],
	echo_statuses: false,
	...overrides,
});

describe('Channel → Update Webhook', () => {
	it('v1 patches only the filled-in updateFields of a 1.x workflow', async () => {
		const scope = fiwanoApi()
			.patch(path, { webhook_url: 'https://hooks.example.com/fiwano', webhook_events: ['message.received', 'message.read'] })
			.reply(200, answer());
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: WA_ID,
				updateFields: {
					webhook_url: 'https://hooks.example.com/fiwano',
					webhook_secret: '',
					webhook_events: ['message.received', 'message.read'],
				},
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: answer(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends an empty event list (turns deliveries off), as 1.x did', async () => {
		const scope = fiwanoApi().patch(path, { webhook_events: [] }).reply(200, answer({ webhook_events: [] }));
		await runFiwano(
			{ resource: 'channel', operation: 'update', channelId: WA_ID, updateFields: { webhook_events: [] } },
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 with no field sends a PATCH without a body, as 1.x did', async () => {
		const scope = fiwanoApi()
			.patch(path, (body) => body === '' || body === undefined || Object.keys(body).length === 0)
			.reply(200, answer());
		const { error } = await runFiwano({ resource: 'channel', operation: 'update', channelId: WA_ID }, { typeVersion: 1 });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('v2 sends a new secret, events and echo_statuses, and does not repeat the secret in the output', async () => {
		const secret = 's'.repeat(40);
		const scope = fiwanoApi()
			.patch(path, {
				webhook_secret: secret,
				webhook_events: ['message.echo', 'message.received'],
				echo_statuses: true,
			})
			.reply(200, answer({ webhook_secret: secret, echo_statuses: true }));
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { webhook_secret: secret, webhook_events: ['message.echo', 'message.received'], echo_statuses: true },
		});
		expect(items[0].json).toEqual(answer({ has_webhook_secret: true, echo_statuses: true }));
		expect(JSON.stringify(items)).not.toContain(secret);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 uses the credential secret when asked', async () => {
		const secret = 'k'.repeat(16);
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: secret })
			.reply(200, answer({ webhook_secret: secret }));
		const { items, error } = await runFiwano(
			{ resource: 'channel', operation: 'update', channelId: byId(WA_ID), updateFields: { useCredentialSecret: true } },
			{ credentials: fiwanoCredentials({ webhookSecret: secret }) },
		);
		expect(error).toBeUndefined();
		// Fiwano echoes the secret; the credential's secret must not land in execution data.
		expect(items).toEqual([{ json: answer({ has_webhook_secret: true }), pairedItem: { item: 0 } }]);
		expect(JSON.stringify(items)).not.toContain(secret);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 moves the channel to another subscription', async () => {
		const scope = fiwanoApi().patch(path, { subscription_id: 'd0d0d0d0d0d0d0d0' }).reply(200, answer());
		await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { subscription_id: ' d0d0d0d0d0d0d0d0 ' },
		});
		expect(scope.isDone()).toBe(true);
	});

	it('v2 releases the subscription slot with an empty subscription_id', async () => {
		const scope = fiwanoApi().patch(path, { subscription_id: '' }).reply(200, answer());
		await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { releaseSubscriptionSlot: true },
		});
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[{}, /Nothing to update/],
		[{ webhook_url: 'ftp://hooks.example.com' }, /HTTPS/],
		[{ webhook_secret: 'too-short' }, /16–64 characters long \(it has 9\)/],
		[{ subscription_id: 'd0d0d0d0d0d0d0d0', releaseSubscriptionSlot: true }, /not both/],
	])('v2 refuses %j before any request', async (updateFields, why) => {
		const scope = fiwanoApi().patch(path).reply(200, answer());
		const { error } = await runFiwano({ resource: 'channel', operation: 'update', channelId: byId(WA_ID), updateFields });
		expect(error?.message).toMatch(why);
		expect(scope.isDone()).toBe(false);
	});

	it('validation names the failing item; earlier items were already updated', async () => {
		const scope = fiwanoApi().patch(path, { webhook_url: 'https://ok.example.com/a' }).reply(200, answer());
		const { error } = await runFiwano(
			{ resource: 'channel', operation: 'update', channelId: byId(WA_ID), updateFields: { webhook_url: '={{ $json.url }}' } },
			{ input: [{ url: 'https://ok.example.com/a' }, { url: 'http://bad.example.com' }] },
		);
		expect(error?.message).toMatch(/HTTPS/);
		expect((error?.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('keeps a 422 field detail from Fiwano', async () => {
		const scope = fiwanoApi()
			.patch(path, { subscription_id: '' })
			.reply(422, { detail: [{ loc: ['body', 'subscription_id'], msg: 'Channel must be deactivated first', type: 'value_error' }] });
		const { error } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { releaseSubscriptionSlot: true },
		});
		expect(error?.message).toBe('Fiwano 422: body.subscription_id: Channel must be deactivated first');
		expect(scope.isDone()).toBe(true);
	});
});
