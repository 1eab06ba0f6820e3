import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GENERATED_SECRET_NOTE } from '../../../nodes/Fiwano/actions/channel/webhookSettings';
import {
	API_KEY,
	BASE_URL,
	fiwanoApi,
	fiwanoCredentials,
	runFiwano,
	setupHttp,
} from '../../helpers/harness';

setupHttp();

const SECRET = 'f'.repeat(64);
const answer = (overrides: IDataObject = {}): IDataObject => ({
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

/** Fiwano's answer as typeVersion 2 outputs it: without the webhook secret. */
function withoutSecret(response: IDataObject): IDataObject {
	const copy = { ...response };
	delete copy.webhook_secret;
	return copy;
}

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
		expect(items).toEqual([
			{ json: answer({ webhook_secret: 'short-but-1x-ok' }), pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 leaves out empty fields and an empty event list, as 1.x did', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', { code: 'abc123' })
			.reply(200, answer());
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

	it('v2 sends the newer events and echo_statuses, and outputs no secret Fiwano generated, only a note', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.received', 'message.echo', 'conversation.referral'],
				echo_statuses: true,
			})
			.reply(200, answer({ echo_statuses: true }));
		const { items, run } = await runFiwano({
			resource: 'channel',
			operation: 'exchangeCode',
			code: ' abc123 ',
			additionalFields: {
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.received', 'message.echo', 'conversation.referral'],
				echo_statuses: true,
			},
		});
		expect(items).toEqual([
			{
				json: {
					...withoutSecret(answer({ echo_statuses: true })),
					has_webhook_secret: true,
					webhook_secret_note: GENERATED_SECRET_NOTE,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(Object.keys(items[0].json)).not.toContain('webhook_secret');
		expect(JSON.stringify(run.data)).not.toContain(SECRET);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 can sign with the secret stored in the credential, keeping it out of the workflow and the output', async () => {
		const credentialSecret = 'c'.repeat(32);
		const scope = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_secret: credentialSecret,
			})
			.reply(200, answer({ webhook_secret: credentialSecret }));
		const { items, error, run } = await runFiwano(
			{
				resource: 'channel',
				operation: 'exchangeCode',
				code: 'abc123',
				additionalFields: {
					webhook_url: 'https://hooks.example.com/fiwano',
					useCredentialSecret: true,
				},
			},
			{ credentials: fiwanoCredentials({ webhookSecret: credentialSecret }) },
		);
		expect(error).toBeUndefined();
		// Fiwano echoes the secret; the credential's secret must not land in execution data.
		expect(items).toEqual([
			{ json: { ...withoutSecret(answer()), has_webhook_secret: true }, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(run.data)).not.toContain(credentialSecret);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 without a webhook URL outputs the answer as it is when Fiwano sends no secret', async () => {
		const noSecret = withoutSecret(answer({ webhook_url: null, webhook_events: [] }));
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', { code: 'abc123' })
			.reply(200, noSecret);
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'exchangeCode',
			code: 'abc123',
		});
		expect(items).toEqual([{ json: noSecret, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[
			{ webhook_url: 'http://hooks.example.com/fiwano' },
			0,
			/Webhook URL must start with https:\/\//,
		],
		[{ useCredentialSecret: true }, 0, /credential has no Webhook Secret/],
		[{ useCredentialSecret: true }, 15, /credential must be 16–64 characters long \(it has 15\)/],
		[{ useCredentialSecret: true }, 65, /credential must be 16–64 characters long \(it has 65\)/],
	])(
		'v2 refuses %j with a %i-character credential secret before any request',
		async (additionalFields, length, why) => {
			const webhookSecret = 'x'.repeat(length);
			const scope = fiwanoApi().post('/api/v1/channels/exchange-code').reply(200, answer());
			const { error, run } = await runFiwano(
				{ resource: 'channel', operation: 'exchangeCode', code: 'abc123', additionalFields },
				{ credentials: fiwanoCredentials({ webhookSecret }) },
			);
			expect(error?.message).toMatch(why);
			if (webhookSecret) expect(JSON.stringify(run.data)).not.toContain(webhookSecret);
			expect(scope.isDone()).toBe(false);
		},
	);

	it('v2 neither sends nor outputs a webhook_secret left in saved parameters (the field is gone)', async () => {
		const typed = 'typed-secret-'.repeat(3);
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', {
				code: 'abc123',
				webhook_url: 'https://hooks.example.com/fiwano',
			})
			.reply(200, answer());
		const { items, run } = await runFiwano({
			resource: 'channel',
			operation: 'exchangeCode',
			code: 'abc123',
			additionalFields: { webhook_url: 'https://hooks.example.com/fiwano', webhook_secret: typed },
		});
		expect(items[0].json).toEqual(
			expect.objectContaining({
				has_webhook_secret: true,
				webhook_secret_note: GENERATED_SECRET_NOTE,
			}),
		);
		expect(JSON.stringify(run.data)).not.toContain(typed);
		expect(JSON.stringify(run.data)).not.toContain(SECRET);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 keeps the credential secret out of an error whose 422 detail echoes the request', async () => {
		const credentialSecret = 'e'.repeat(48);
		const detail = (input: unknown) => ({
			detail: [
				{ type: 'value_error', loc: ['body', 'webhook_url'], msg: 'Host not allowed', input },
			],
		});
		const request = {
			code: 'abc123',
			webhook_url: 'https://hooks.example.com/fiwano',
			webhook_secret: credentialSecret,
		};
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', request)
			.reply(422, detail(request))
			.post('/api/v1/channels/exchange-code', request)
			.reply(422, detail(request));
		const parameters = {
			resource: 'channel',
			operation: 'exchangeCode',
			code: 'abc123',
			additionalFields: {
				webhook_url: 'https://hooks.example.com/fiwano',
				useCredentialSecret: true,
			},
		};
		const credentials = fiwanoCredentials({ webhookSecret: credentialSecret });

		const failed = await runFiwano(parameters, { credentials });
		expect(failed.error?.message).toBe('Fiwano 422: body.webhook_url: Host not allowed');
		expect(failed.error?.context).toEqual(
			expect.objectContaining({
				detail: detail({ ...request, webhook_secret: '[redacted]' }).detail,
			}),
		);
		expect(JSON.stringify(failed.run.data)).not.toContain(credentialSecret);
		expect(JSON.stringify(failed.error?.errorResponse)).not.toContain(credentialSecret);
		expect(JSON.stringify(failed.error?.messages)).not.toContain(credentialSecret);

		const continued = await runFiwano(parameters, { credentials, continueOnFail: true });
		expect(continued.items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 422: body.webhook_url: Host not allowed',
					detail: detail({ ...request, webhook_secret: '[redacted]' }).detail,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(continued.run.data)).not.toContain(credentialSecret);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 still refuses a secret longer than Fiwano stores (64)', async () => {
		const scope = fiwanoApi().post('/api/v1/channels/exchange-code').reply(200, answer());
		const { error } = await runFiwano(
			{
				resource: 'channel',
				operation: 'exchangeCode',
				code: 'abc123',
				additionalFields: { webhook_secret: 'y'.repeat(65) },
			},
			{ typeVersion: 1 },
		);
		expect(error?.message).toMatch(/1–64 characters long/);
		expect(scope.isDone()).toBe(false);
	});

	it('v1: an expired or used code keeps the 400 detail, per item with Continue On Fail', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', { code: 'used' })
			.reply(400, { detail: 'Invalid or expired code' })
			.post('/api/v1/channels/exchange-code', { code: 'fresh' })
			.reply(200, answer());
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'exchangeCode', code: '={{ $json.code }}' },
			{ input: [{ code: 'used' }, { code: 'fresh' }], continueOnFail: true, typeVersion: 1 },
		);
		expect(items[0]).toEqual({
			json: expect.objectContaining({ error: 'Fiwano 400: Invalid or expired code', status: 400 }),
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({ json: answer(), pairedItem: { item: 1 } });
		expect(scope.isDone()).toBe(true);
	});
});

describe('Channel → Exchange OAuth Code: outcomes of the hosted setup flow', () => {
	const redirect = (query: IDataObject) => [{ json: { query } }];
	const params = {
		resource: 'channel',
		operation: 'exchangeCode',
		code: '={{ $json.query.code }}',
		setupError: '={{ $json.query.error }}',
		setupMessage: '={{ $json.query.message }}',
		additionalFields: {},
	};

	it.each([
		['access_denied', 'The user cancelled the Meta dialog.', /cancelled or did not finish/],
		[
			'slot_occupied',
			'Reconnect Acme Support (1111222233334444) or release its slot.',
			/different Meta account.*Release Subscription Slot/,
		],
		['session_expired', 'The setup link expired.', /expired before the flow finished/],
		['setup_failed', 'We couldn’t access any Instagram Business account.', /prerequisites/],
	])(
		'%s fails before any request, with its hint; Fiwano’s message is only shown',
		async (code, message, hint) => {
			const scope = fiwanoApi().post('/api/v1/channels/exchange-code').reply(200, answer());
			const { outputs } = await runFiwano(params, {
				input: redirect({ error: code, message }),
				onError: 'continueErrorOutput',
			});
			expect(outputs[0]).toEqual([]);
			expect(outputs[1]).toHaveLength(1);
			const item = outputs[1][0];
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json.error).toMatchObject({
				message: `The channel was not connected: ${code} — ${message}`,
				code,
				detail: message,
			});
			expect((item.json.error as IDataObject).hint).toMatch(hint);
			expect(scope.isDone()).toBe(false);
		},
	);

	it('decides on error alone: the same message with another error gives that error’s hint', async () => {
		const { error } = await runFiwano(params, {
			input: redirect({ error: 'session_expired', message: 'The user cancelled the Meta dialog.' }),
		});
		expect(error?.description).toMatch(/expired before the flow finished/);
		expect((error?.context as IDataObject).code).toBe('session_expired');
	});

	it('a message without error is not an error: the code is exchanged', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/channels/exchange-code', { code: 'abc123' })
			.reply(200, answer({ webhook_url: null, webhook_secret: null }));
		const { items, error } = await runFiwano(params, {
			input: redirect({ code: 'abc123', status: 'success', message: 'Looks like an error text' }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.channel_id).toBe('a0a0a0a0a0a0a001');
		expect(scope.isDone()).toBe(true);
	});

	it('an error it does not know still fails, with a general hint', async () => {
		const { error } = await runFiwano(params, { input: redirect({ error: 'new_reason' }) });
		expect(error?.message).toBe('The channel was not connected: new_reason');
		expect(error?.description).toMatch(/does not know/);
	});

	it('typeVersion 1 has no Setup Error: it asks for the code as 1.x did', async () => {
		const { error } = await runFiwano(
			{ resource: 'channel', operation: 'exchangeCode', code: '={{ $json.query.code }}' },
			{ typeVersion: 1, input: redirect({ error: 'access_denied' }) },
		);
		expect(error?.message).toBe('OAuth Code is empty');
	});
});
