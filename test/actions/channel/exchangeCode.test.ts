import nock from 'nock';

import { API_KEY, BASE_URL, fiwanoApi, fiwanoCredentials, runFiwano, setupHttp } from '../../helpers/harness';

setupHttp();

const SECRET = 'f'.repeat(64);
const answer = (overrides = {}) => ({
	channel_id: 'a0a0a0a0a0a0a001',
	channel_type: 'whatsapp',
	name: 'My Business',
	phone_number_id: '123456789',
	phone_number: '+1234567890',
	webhook_url: 'https://hooks.example.com/fiwano',
	webhook_secret: SECRET,
	webhook_events: ['message.received'],
	...overrides,
});

describe('Channel → Exchange OAuth Code', () => {
	it('v1 sends code, webhook_url, webhook_secret and webhook_events from additionalFields', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_secret: 'short-but-1x-ok',
				webhook_events: ['message.received', 'message.failed'],
			})
			.reply(200, answer({ webhook_secret: 'short-but-1x-ok' }));
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'exchangeCode',
				code: 'abc123',
				additionalFields: {
					webhook_url: 'https://hooks.example.com/fiwano',
					webhook_secret: 'short-but-1x-ok',
					webhook_events: ['message.received', 'message.failed'],
				},
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: answer({ webhook_secret: 'short-but-1x-ok' }), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 leaves out empty fields and an empty event list, as 1.x did', async () => {
		const scope = fiwanoApi().post('/api/v1/channels/exchange-code', { code: 'abc123' }).reply(200, answer());
		await runFiwano(
			{
				resource: 'channel',
				operation: 'exchangeCode',
				code: 'abc123',
				additionalFields: { webhook_url: '', webhook_secret: '', webhook_events: [] },
			},
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 sends the newer events and echo_statuses, and outputs the once-shown webhook_secret', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.received', 'message.echo', 'conversation.referral'],
				echo_statuses: true,
			})
			.reply(200, answer({ echo_statuses: true }));
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'exchangeCode',
			code: ' abc123 ',
			additionalFields: {
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.received', 'message.echo', 'conversation.referral'],
				echo_statuses: true,
			},
		});
		expect(items[0].json.webhook_secret).toBe(SECRET);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	it('v2 can sign with the secret stored in the credential, keeping it out of the workflow', async () => {
		const credentialSecret = 'c'.repeat(32);
		const scope = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_secret: credentialSecret,
			})
			.reply(200, answer({ webhook_secret: credentialSecret }));
		const { items, error } = await runFiwano(
			{
				resource: 'channel',
				operation: 'exchangeCode',
				code: 'abc123',
				additionalFields: { webhook_url: 'https://hooks.example.com/fiwano', useCredentialSecret: true },
			},
			{ credentials: fiwanoCredentials({ webhookSecret: credentialSecret }) },
		);
		expect(error).toBeUndefined();
		// Fiwano echoes the secret; the credential's secret must not land in execution data.
		expect(items).toEqual([
			{ json: { ...answer(), webhook_secret: undefined, has_webhook_secret: true }, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(items)).not.toContain(credentialSecret);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[{ webhook_secret: 'x'.repeat(15) }, /16–64 characters long \(it has 15\)/],
		[{ webhook_secret: 'x'.repeat(65) }, /16–64 characters long \(it has 65\)/],
		[{ webhook_url: 'http://hooks.example.com/fiwano' }, /Webhook URL must be an absolute HTTPS URL/],
		[{ webhook_secret: 'x'.repeat(20), useCredentialSecret: true }, /not both/],
		[{ useCredentialSecret: true }, /credential has no Webhook Secret/],
	])('v2 refuses %j before any request', async (additionalFields, why) => {
		const scope = fiwanoApi().post('/api/v1/channels/exchange-code').reply(200, answer());
		const { error } = await runFiwano({ resource: 'channel', operation: 'exchangeCode', code: 'abc123', additionalFields });
		expect(error?.message).toMatch(why);
		expect(error?.message).not.toContain('x'.repeat(15));
		expect(scope.isDone()).toBe(false);
	});

	it('v1 still refuses a secret longer than Fiwano stores (64)', async () => {
		const scope = fiwanoApi().post('/api/v1/channels/exchange-code').reply(200, answer());
		const { error } = await runFiwano(
			{ resource: 'channel', operation: 'exchangeCode', code: 'abc123', additionalFields: { webhook_secret: 'y'.repeat(65) } },
			{ typeVersion: 1 },
		);
		expect(error?.message).toMatch(/1–64 characters long/);
		expect(scope.isDone()).toBe(false);
	});

	it('an expired or used code keeps the 400 detail, per item with Continue On Fail', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', { code: 'used' })
			.reply(400, { detail: 'Invalid or expired code' })
			.post('/api/v1/channels/exchange-code', { code: 'fresh' })
			.reply(200, answer());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'exchangeCode', code: '={{ $json.code }}' },
			{ input: [{ code: 'used' }, { code: 'fresh' }], continueOnFail: true },
		);
		expect(items[0]).toEqual({
			json: expect.objectContaining({ error: 'Fiwano 400: Invalid or expired code', status: 400 }),
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({ json: answer(), pairedItem: { item: 1 } });
		expect(scope.isDone()).toBe(true);
	});
});
