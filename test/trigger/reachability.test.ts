import nock from 'nock';

import { isRealFiwano, unreachableReason } from '../../nodes/Fiwano/trigger/reachability';
import { API_KEY, fiwanoCredentials, setupHttp } from '../helpers/harness';
import { activate, runHook, SavedWorkflow, triggerNode } from '../helpers/trigger';

setupHttp();

const REAL = 'https://fiwano.com';
const WA = 'a0a0a0a0a0a0a001';
const realCredential = fiwanoCredentials({ baseUrl: REAL });

const oneChannel = (version = 2) =>
	triggerNode(
		version === 1
			? { autoSetup: 'channel', channelId: WA, events: ['message.received'] }
			: {
					autoSetup: 'channel',
					channelId: { __rl: true, mode: 'list', value: WA },
					events: ['message.received'],
				},
		version,
	);

/** Any request to the real Fiwano would match this; the refusal must leave it untouched. */
function watchRealFiwano(): nock.Scope {
	return nock(REAL).get(/.*/).reply(200, { channels: [] }).patch(/.*/).reply(200, {});
}

afterEach(() => nock.cleanAll());

describe('unreachableReason', () => {
	it.each([
		[
			'http://n8n.example.com/webhook/x/webhook',
			'it starts with http:// and Fiwano delivers only to https://',
		],
		['https://localhost:5678/webhook/x', 'its host localhost is this machine'],
		['https://n8n.localhost/webhook/x', 'its host n8n.localhost is this machine'],
		['https://127.0.0.1:5678/webhook/x', 'its host 127.0.0.1 is a loopback address'],
		['https://10.1.2.3/webhook/x', 'its host 10.1.2.3 is a private address'],
		['https://172.16.0.9/webhook/x', 'its host 172.16.0.9 is a private address'],
		['https://172.31.255.1/webhook/x', 'its host 172.31.255.1 is a private address'],
		['https://192.168.1.20/webhook/x', 'its host 192.168.1.20 is a private address'],
		['https://169.254.169.254/webhook/x', 'its host 169.254.169.254 is a link-local address'],
		['https://100.64.0.1/webhook/x', 'its host 100.64.0.1 is a carrier-grade NAT address'],
		['https://0.0.0.0/webhook/x', 'its host 0.0.0.0 is an unspecified address'],
		['https://[::1]:5678/webhook/x', 'its host [::1] is a loopback address'],
		['https://[::ffff:127.0.0.1]/webhook/x', 'its host [::ffff:7f00:1] is a loopback address'],
		[
			'https://[fd12:3456::1]/webhook/x',
			'its host [fd12:3456::1] is a private (unique local) address',
		],
		['https://[fe80::1]/webhook/x', 'its host [fe80::1] is a link-local address'],
		['not a url', 'it is not a valid URL'],
	])('%s cannot be reached: %s', (url, reason) => {
		expect(unreachableReason(url)).toBe(reason);
	});

	it.each([
		'https://n8n.example.com/webhook/x/webhook',
		'https://n8n.example.com:8443/webhook/x',
		'https://172.32.0.1/webhook/x',
		'https://8.8.8.8/webhook/x',
		'https://[2001:db8::1]/webhook/x',
		'https://my-n8n-box/webhook/x',
	])('%s may be reachable', (url) => {
		expect(unreachableReason(url)).toBeUndefined();
	});
});

describe('isRealFiwano', () => {
	it.each([
		['https://fiwano.com', true],
		['https://fiwano.com/', true],
		['https://FIWANO.com', true],
		['https://www.fiwano.com', true],
		['http://fiwano.com', false],
		['https://staging.fiwano.com', false],
		['http://127.0.0.1:4010', false],
		['https://fiwano.test', false],
		['', false],
	])('%s → %s', (url, real) => {
		expect(isRealFiwano(url)).toBe(real);
	});
});

describe('activation of a typeVersion 2 automatic setup against the real Fiwano', () => {
	it.each([
		['http://n8n.example.com', 'it starts with http://'],
		['https://localhost:5678', 'its host localhost is this machine'],
		['https://127.0.0.1:5678', 'its host 127.0.0.1 is a loopback address'],
		['https://192.168.0.10', 'its host 192.168.0.10 is a private address'],
	])('refuses %s before any request, naming WEBHOOK_URL', async (n8nUrl, reason) => {
		const scope = watchRealFiwano();
		const saved = new SavedWorkflow(oneChannel());
		const workflow = saved.load();

		const error = (await activate(workflow, { n8nUrl, credentials: realCredential }).catch(
			(e: Error & { description?: string }) => e,
		)) as Error & { description?: string };

		expect(error.message).toBe(
			`Fiwano cannot reach this trigger’s webhook URL ${n8nUrl}/webhook/${oneChannel().webhookId}/webhook (${reason}${reason.startsWith('it starts') ? ' and Fiwano delivers only to https://' : ''}): set n8n’s WEBHOOK_URL to its public HTTPS address, or use Manual setup`,
		);
		expect(error.description).toContain('No channel was changed.');
		expect(error.description).toContain('WEBHOOK_URL');
		expect(error.description).toContain('Manual');
		expect(scope.isDone()).toBe(false);
		expect(scope.pendingMocks()).toHaveLength(2);
		expect(saved.nodeStatic()).toEqual({});
	});

	it('refuses All Active Channels and a test listen the same way, in create as in checkExists', async () => {
		const scope = watchRealFiwano();
		const workflow = new SavedWorkflow(
			triggerNode({ autoSetup: 'all', events: ['message.received'] }),
		).load();
		const options = { n8nUrl: 'http://localhost:5678', credentials: realCredential };
		await expect(runHook(workflow, 'checkExists', options)).rejects.toThrow(
			/Fiwano cannot reach this trigger’s webhook URL http:\/\/localhost:5678\/webhook\/.* \(it starts with http:\/\/ and Fiwano delivers only to https:\/\/\): set n8n’s WEBHOOK_URL/,
		);
		await expect(runHook(workflow, 'create', options)).rejects.toThrow(/Fiwano cannot reach/);
		await expect(runHook(workflow, 'create', { ...options, test: true })).rejects.toThrow(
			/Fiwano cannot reach this trigger’s webhook URL http:\/\/localhost:5678\/webhook-test\//,
		);
		expect(scope.pendingMocks()).toHaveLength(2);
	});

	it('the delete n8n runs after a refused activation sends nothing either', async () => {
		const scope = watchRealFiwano();
		const options = { n8nUrl: 'http://127.0.0.1:5678', credentials: realCredential };
		for (const node of [oneChannel(), triggerNode({ autoSetup: 'all', events: [] })]) {
			const workflow = new SavedWorkflow(node).load();
			expect(await runHook(workflow, 'delete', options)).toBe(true);
		}
		expect(scope.pendingMocks()).toHaveLength(2);
	});

	it('goes ahead when n8n’s URL is public HTTPS', async () => {
		const scope = nock(REAL, { reqheaders: { 'x-api-key': API_KEY } })
			.patch(`/api/v1/channels/${WA}`)
			.reply(200, { id: WA, webhook_events: ['message.received'] });
		const workflow = new SavedWorkflow(oneChannel()).load();
		expect(
			await runHook(workflow, 'create', {
				n8nUrl: 'https://n8n.example.com',
				credentials: realCredential,
			}),
		).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('does not check another base URL (a sandbox on this machine)', async () => {
		const sandbox = 'http://127.0.0.1:4010';
		const scope = nock(sandbox)
			.patch(`/api/v1/channels/${WA}`)
			.reply(200, { id: WA, webhook_events: ['message.received'] });
		const workflow = new SavedWorkflow(oneChannel()).load();
		expect(
			await runHook(workflow, 'create', {
				n8nUrl: 'http://127.0.0.1:5678',
				credentials: fiwanoCredentials({ baseUrl: sandbox }),
			}),
		).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps the 1.x behaviour on typeVersion 1: it wires the channel anyway', async () => {
		const scope = nock(REAL)
			.patch(`/api/v1/channels/${WA}`)
			.reply(200, { id: WA, webhook_events: ['message.received'] });
		const workflow = new SavedWorkflow(oneChannel(1)).load();
		expect(
			await runHook(workflow, 'create', {
				n8nUrl: 'http://localhost:5678',
				credentials: realCredential,
			}),
		).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('does not check manual setup', async () => {
		const workflow = new SavedWorkflow(
			triggerNode({ autoSetup: 'manual', events: ['message.received'] }),
		).load();
		const options = { n8nUrl: 'http://localhost:5678', credentials: realCredential };
		expect(await runHook(workflow, 'checkExists', options)).toBe(true);
		expect(await runHook(workflow, 'create', options)).toBe(true);
	});
});
