import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';

setupHttp();

const answer = {
	setup_url: 'https://fiwano.com/setup/start?session=e7f8a1b2c3d45678',
	session_id: 'e7f8a1b2c3d45678',
	expires_at: '2026-11-01T10:40:00',
};

describe('Channel → Generate OAuth URL', () => {
	it.each([1, 2])('typeVersion %i posts channel_type and redirect_uri', async (typeVersion) => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/setup-url', {
				channel_type: 'instagram',
				redirect_uri: 'https://app.example.com/cb?state=abc',
			})
			.reply(200, answer);
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'setupUrl',
				channelType: 'instagram',
				redirectUri: 'https://app.example.com/cb?state=abc',
			},
			{ typeVersion },
		);
		expect(items).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('defaults to WhatsApp, as 1.x did', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/setup-url', {
				channel_type: 'whatsapp',
				redirect_uri: 'https://app.example.com/cb',
			})
			.reply(200, answer);
		await runFiwano(
			{ resource: 'channel', operation: 'setupUrl', redirectUri: 'https://app.example.com/cb' },
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['http://app.example.com/cb', /must start with https:\/\//],
		['https://user:pw@app.example.com/cb', /user name or password/],
		['https://app.example.com/cb#frag', /fragment/],
		['https://', /not a valid URL/],
	])('refuses redirect URI %s before any request, on the right item', async (uri, why) => {
		const scope = fiwanoApi().post('/api/v1/channels/setup-url').reply(200, answer);
		const { items, error } = await runFiwano(
			{ resource: 'channel', operation: 'setupUrl', redirectUri: '={{ $json.uri }}' },
			{ input: [{ uri }] },
		);
		expect(items).toEqual([]);
		expect(error?.message).toMatch(why);
		expect(scope.isDone()).toBe(false);
	});

	it('keeps 409 no_free_slot with occupied_by; Continue On Fail gives an error item with code and detail', async () => {
		const detail = {
			code: 'no_free_slot',
			message: 'No free whatsapp slot',
			occupied_by: [{ id: 'a0a0a0a0a0a0a001', name: 'Old number', is_active: false }],
		};
		const scope = fiwanoApi()
			.post('/api/v1/channels/setup-url', {
				channel_type: 'whatsapp',
				redirect_uri: 'https://app.example.com/cb',
			})
			.reply(409, { detail });
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'setupUrl',
				channelType: 'whatsapp',
				redirectUri: 'https://app.example.com/cb',
			},
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 409: No free whatsapp slot',
					status: 409,
					code: 'no_free_slot',
					detail,
					hint: 'Every whatsapp slot of your subscriptions is taken (by Old number (a0a0a0a0a0a0a001)). Reconnect one of those channels (Generate OAuth URL reconnects in place), or deactivate one and release its slot (Channel → Update Webhook → Release Subscription Slot), or add a subscription. Subscription → Get Free Slots shows what is free.',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps 402 (no active subscription) apart from 409: its own hint, no slot advice', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/setup-url', {
				channel_type: 'instagram',
				redirect_uri: 'https://app.example.com/cb',
			})
			.reply(402, { detail: 'No active subscription' })
			.post('/api/v1/channels/setup-url', {
				channel_type: 'instagram',
				redirect_uri: 'https://app.example.com/cb',
			})
			.reply(409, {
				detail: { code: 'no_free_slot', occupied_by: ['b0b0b0b0b0b0b002', 'b0b0b0b0b0b0b003'] },
			});
		const run = () =>
			runFiwano(
				{
					resource: 'channel',
					operation: 'setupUrl',
					channelType: 'instagram',
					redirectUri: 'https://app.example.com/cb',
				},
				{ continueOnFail: true },
			);
		const noSubscription = (await run()).items[0].json;
		expect(noSubscription).toMatchObject({
			error: 'Fiwano 402: No active subscription',
			status: 402,
			detail: 'No active subscription',
		});
		expect(noSubscription.hint).toMatch(/^The account has no active subscription/);
		expect(noSubscription.hint).toMatch(/not a full slot: that is 409 no_free_slot/);
		expect(noSubscription.code).toBeUndefined();
		const full = (await run()).items[0].json;
		expect(full).toMatchObject({ status: 409, code: 'no_free_slot' });
		expect(full.hint).toMatch(
			/^Every instagram slot of your subscriptions is taken \(by b0b0b0b0b0b0b002, b0b0b0b0b0b0b003\)/,
		);
		expect(scope.isDone()).toBe(true);
	});
});
