import type { IDataObject } from 'n8n-workflow';

import { searchSubscriptions } from '../../nodes/Fiwano/methods/listSearchSubscriptions';
import { waChannel, WA_ID } from '../actions/channel/fixtures';
import { PADDLE, subscriptionList, TRIAL } from '../actions/subscription/fixtures';
import { fiwanoApi, loadOptionsContext, setupHttp } from '../helpers/harness';

setupHttp();

const updateParams = (channelId: IDataObject) => ({
	resource: 'channel',
	operation: 'update',
	channelId,
	updateFields: {},
});

describe('searchSubscriptions (Channel → Update Webhook → Move to Subscription)', () => {
	it('lists active subscriptions with a free slot of the picked channel’s type, not its own', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			// An Instagram channel on the Paddle subscription: only the trial one has a free
			// Instagram slot (the expired one has none).
			.reply(
				200,
				waChannel({ channel_type: 'instagram', subscription: { id: PADDLE, status: 'active' } }),
			)
			.get('/api/v1/subscriptions')
			.reply(200, subscriptionList());
		const result = await searchSubscriptions.call(
			loadOptionsContext(updateParams({ __rl: true, mode: 'list', value: WA_ID })),
		);
		expect(result).toEqual({
			results: [{ name: `Pro · trial · ends 2026-10-08 · ${TRIAL}`, value: TRIAL }],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('leaves out the channel’s own subscription even when it has a free slot of that type', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(
				200,
				waChannel({ channel_type: 'facebook', subscription: { id: TRIAL, status: 'active' } }),
			)
			.get('/api/v1/subscriptions')
			.reply(200, subscriptionList());
		const result = await searchSubscriptions.call(
			loadOptionsContext(updateParams({ __rl: true, mode: 'id', value: WA_ID })),
		);
		expect(result.results).toEqual([
			{ name: `Starter · paddle · renews 2026-11-01 · ${PADDLE}`, value: PADDLE },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('without a picked channel lists every subscription with a free slot and names the free types', async () => {
		const scope = fiwanoApi().get('/api/v1/subscriptions').reply(200, subscriptionList());
		const result = await searchSubscriptions.call(
			loadOptionsContext(updateParams({ __rl: true, mode: 'list', value: '' })),
		);
		expect(result.results).toEqual([
			{
				name: `Pro · trial · ends 2026-10-08 · ${TRIAL} · free: Instagram, Messenger`,
				value: TRIAL,
			},
			{ name: `Starter · paddle · renews 2026-11-01 · ${PADDLE} · free: Messenger`, value: PADDLE },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('does not look up a channel given by an expression, and filters by the search text', async () => {
		const scope = fiwanoApi().get('/api/v1/subscriptions').reply(200, subscriptionList());
		const result = await searchSubscriptions.call(
			loadOptionsContext(updateParams({ __rl: true, mode: 'id', value: '={{ $json.id }}' })),
			'starter',
		);
		expect(result.results.map((r) => r.value)).toEqual([PADDLE]);
		expect(scope.isDone()).toBe(true);
	});
});
