import nock from 'nock';

import { GENERATED_SECRET_NOTE } from '../../../nodes/Fiwano/actions/channel/webhookSettings';
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
			.patch(path, {
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.received', 'message.read'],
			})
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
		const scope = fiwanoApi()
			.patch(path, { webhook_events: [] })
			.reply(200, answer({ webhook_events: [] }));
		await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: WA_ID,
				updateFields: { webhook_events: [] },
			},
			{ typeVersion: 1 },
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 with no field sends a PATCH without a body, as 1.x did', async () => {
		const scope = fiwanoApi()
			.patch(path, (body) => body === '' || body === undefined || Object.keys(body).length === 0)
			.reply(200, answer());
		const { error } = await runFiwano(
			{ resource: 'channel', operation: 'update', channelId: WA_ID },
			{ typeVersion: 1 },
		);
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('v1 outputs Fiwano’s answer with the secret the 1.x workflow set, as 1.x did', async () => {
		const secret = 'v1-secret';
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: secret })
			.reply(200, answer({ webhook_secret: secret }));
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: WA_ID,
				updateFields: { webhook_secret: secret },
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: answer({ webhook_secret: secret }), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 sets a first webhook URL, events and echo_statuses, and outputs no secret Fiwano generated, only a note', async () => {
		const generated = 'a1'.repeat(32);
		const scope = fiwanoApi()
			.patch(path, {
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.echo', 'message.received'],
				echo_statuses: true,
			})
			.reply(
				200,
				answer({
					webhook_secret: generated,
					webhook_events: ['message.echo', 'message.received'],
					echo_statuses: true,
				}),
			);
		const { items, run } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: {
				webhook_url: 'https://hooks.example.com/fiwano',
				webhook_events: ['message.echo', 'message.received'],
				echo_statuses: true,
			},
		});
		expect(items).toEqual([
			{
				json: answer({
					webhook_events: ['message.echo', 'message.received'],
					echo_statuses: true,
					has_webhook_secret: true,
					webhook_secret_note: GENERATED_SECRET_NOTE,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(run.data)).not.toContain(generated);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 drops a null webhook_secret (secret unchanged) without claiming one is set', async () => {
		const scope = fiwanoApi()
			.patch(path, { webhook_events: ['message.received'] })
			.reply(200, answer({ webhook_secret: null }));
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { webhook_events: ['message.received'] },
		});
		expect(items).toEqual([{ json: answer(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 uses the credential secret when asked and does not output it', async () => {
		const secret = 'k'.repeat(16);
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: secret })
			.reply(200, answer({ webhook_secret: secret }));
		const { items, error, run } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { useCredentialSecret: true },
			},
			{ credentials: fiwanoCredentials({ webhookSecret: secret }) },
		);
		expect(error).toBeUndefined();
		// Fiwano echoes the secret; the credential's secret must not land in execution data.
		expect(items).toEqual([
			{ json: answer({ has_webhook_secret: true }), pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(run.data)).not.toContain(secret);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 says a secret is set when it sent the credential’s, even if the answer does not echo it', async () => {
		const secret = 'm'.repeat(24);
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: secret })
			.reply(200, answer({ webhook_secret: null }));
		const { items } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { useCredentialSecret: true },
			},
			{ credentials: fiwanoCredentials({ webhookSecret: secret }) },
		);
		expect(items).toEqual([
			{ json: answer({ has_webhook_secret: true }), pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 keeps a one-letter 1.x secret out of an error that echoes it, without garbling the message', async () => {
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: 'e' })
			.reply(422, {
				detail: [
					{
						type: 'too_short',
						loc: ['body', 'webhook_secret'],
						msg: 'Secret is too short',
						input: 'e',
					},
				],
			});
		const { error } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: WA_ID,
				updateFields: { webhook_secret: 'e' },
			},
			{ typeVersion: 1 },
		);
		// A secret this short is redacted only where a whole value is the secret.
		expect(error?.message).toBe('Fiwano 422: body.webhook_secret: Secret is too short');
		expect(error?.context).toEqual(
			expect.objectContaining({
				detail: [
					{
						type: 'too_short',
						loc: ['body', 'webhook_secret'],
						msg: 'Secret is too short',
						input: '[redacted]',
					},
				],
			}),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 neither sends nor outputs a webhook_secret left in saved parameters (the field is gone)', async () => {
		const typed = 'typed-secret-'.repeat(3);
		const scope = fiwanoApi()
			.patch(path, { echo_statuses: true })
			.reply(200, answer({ echo_statuses: true }));
		const { items, run } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { webhook_secret: typed, echo_statuses: true },
		});
		expect(items).toEqual([{ json: answer({ echo_statuses: true }), pairedItem: { item: 0 } }]);
		expect(JSON.stringify(run.data)).not.toContain(typed);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 keeps the credential secret out of an error whose 422 detail echoes it', async () => {
		const secret = 'r'.repeat(20);
		const scope = fiwanoApi()
			.patch(path, { webhook_secret: secret })
			.reply(422, {
				detail: [
					{
						type: 'string_too_short',
						loc: ['body', 'webhook_secret'],
						msg: 'Secret too weak',
						input: secret,
					},
				],
			});
		const { error, run } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { useCredentialSecret: true },
			},
			{ credentials: fiwanoCredentials({ webhookSecret: secret }) },
		);
		expect(error?.message).toBe('Fiwano 422: body.webhook_secret: Secret too weak');
		expect(error?.context).toEqual(
			expect.objectContaining({
				detail: [
					{
						type: 'string_too_short',
						loc: ['body', 'webhook_secret'],
						msg: 'Secret too weak',
						input: '[redacted]',
					},
				],
			}),
		);
		expect(JSON.stringify(run.data)).not.toContain(secret);
		expect(JSON.stringify(error?.errorResponse)).not.toContain(secret);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 moves the channel to another subscription', async () => {
		const scope = fiwanoApi()
			.patch(path, { subscription_id: 'd0d0d0d0d0d0d0d0' })
			.reply(200, answer());
		await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { subscription_id: ' d0d0d0d0d0d0d0d0 ' },
		});
		expect(scope.isDone()).toBe(true);
	});

	it('v2 moves the channel to the subscription picked from the list or given by ID', async () => {
		const scope = fiwanoApi()
			.patch(path, { subscription_id: 'd0d0d0d0d0d0d0d0' })
			.times(2)
			.reply(200, answer());
		for (const mode of ['list', 'id']) {
			const { error } = await runFiwano({
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { subscription_id: { __rl: true, mode, value: 'd0d0d0d0d0d0d0d0' } },
			});
			expect(error).toBeUndefined();
		}
		expect(scope.isDone()).toBe(true);
	});

	it('v2: an empty subscription is never a release — it is left out of the request', async () => {
		const scope = fiwanoApi()
			.patch(path, { webhook_url: 'https://hooks.example.com/fiwano' })
			.times(4)
			.reply(200, answer());
		const empties = [
			{ __rl: true, mode: 'list', value: '' },
			{ __rl: true, mode: 'id', value: '   ' },
			{ __rl: true, mode: 'id', value: '={{ $json.subscription }}' },
			'={{ $json.subscription }}',
		];
		for (const subscription_id of empties) {
			const { error } = await runFiwano(
				{
					resource: 'channel',
					operation: 'update',
					channelId: byId(WA_ID),
					updateFields: { webhook_url: 'https://hooks.example.com/fiwano', subscription_id },
				},
				{ input: [{ subscription: null }] },
			);
			expect(error).toBeUndefined();
		}
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['an empty picker', { __rl: true, mode: 'list', value: '' }],
		[
			'an expression resolving to ""',
			{ __rl: true, mode: 'id', value: '={{ $json.subscription }}' },
		],
		['an expression resolving to nothing', '={{ $json.missing }}'],
	])(
		'v2: %s alone sends nothing (Nothing to update), so no slot is released',
		async (_what, subscription_id) => {
			const scope = fiwanoApi().patch(path).reply(200, answer());
			const { error } = await runFiwano(
				{
					resource: 'channel',
					operation: 'update',
					channelId: byId(WA_ID),
					updateFields: { subscription_id },
				},
				{ input: [{ subscription: '' }] },
			);
			expect(error?.message).toBe('Nothing to update: add at least one field under Update Fields');
			expect(scope.isDone()).toBe(false);
		},
	);

	it('v2: only the toggle itself (true, not a "true" text) releases the slot', async () => {
		const scope = fiwanoApi().patch(path).reply(200, answer());
		const { error } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { releaseSubscriptionSlot: '={{ $json.release }}' },
			},
			{ input: [{ release: 'yes' }] },
		);
		expect(error?.message).toMatch(/Nothing to update|boolean/);
		expect(scope.isDone()).toBe(false);
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
		[{ webhook_url: 'ftp://hooks.example.com' }, /must start with https:\/\//],
		[{ subscription_id: 'd0d0d0d0d0d0d0d0', releaseSubscriptionSlot: true }, /not both/],
	])('v2 refuses %j before any request', async (updateFields, why) => {
		const scope = fiwanoApi().patch(path).reply(200, answer());
		const { error } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields,
		});
		expect(error?.message).toMatch(why);
		expect(scope.isDone()).toBe(false);
	});

	it('validation names the failing item; earlier items were already updated', async () => {
		const scope = fiwanoApi()
			.patch(path, { webhook_url: 'https://ok.example.com/a' })
			.reply(200, answer());
		const { error } = await runFiwano(
			{
				resource: 'channel',
				operation: 'update',
				channelId: byId(WA_ID),
				updateFields: { webhook_url: '={{ $json.url }}' },
			},
			{ input: [{ url: 'https://ok.example.com/a' }, { url: 'http://bad.example.com' }] },
		);
		expect(error?.message).toMatch(/must start with https:\/\//);
		expect((error?.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('keeps a 422 field detail from Fiwano', async () => {
		const scope = fiwanoApi()
			.patch(path, { subscription_id: '' })
			.reply(422, {
				detail: [
					{
						loc: ['body', 'subscription_id'],
						msg: 'Channel must be deactivated first',
						type: 'value_error',
					},
				],
			});
		const { error } = await runFiwano({
			resource: 'channel',
			operation: 'update',
			channelId: byId(WA_ID),
			updateFields: { releaseSubscriptionSlot: true },
		});
		expect(error?.message).toBe(
			'Fiwano 422: body.subscription_id: Channel must be deactivated first',
		);
		expect(scope.isDone()).toBe(true);
	});
});
