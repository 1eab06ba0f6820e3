#!/usr/bin/env node
// `npm run test:e2e`: the user's path in a real n8n process, checked end to end.
// Builds and packs the package, installs the tarball into a fresh n8n user folder, starts the
// local Fiwano sandbox and the selected n8n (Node 24; FIWANO_N8N_VERSION or --n8n=<version>,
// default in scripts/provision.mjs), creates the owner and a credential, imports
// workflows/fiwano-echo-bot.json, publishes it, and drives customers' messages through the
// sandbox. Prints one PASS/FAIL line per check and `N passed, M failed`; exits 1 on any failure.
// n8n's log: .e2e/n8n.log (its tail is printed on failure). Every wait has a deadline, and n8n
// and the sandbox are always stopped on exit.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyN8nVersionFlag, TESTED_N8N_VERSIONS } from './provision.mjs';
import { aiAssistantChecks } from './e2e/ai.mjs';
import { REPO_DIR } from './lib/package.mjs';
import { provisionRuntime, tailFile, waitDecodedExecution } from './lib/n8n.mjs';
import {
	ACTION_TYPE,
	CREDENTIAL_TYPE,
	TRIGGER_TYPE,
	activateOnChannels,
	bringUp,
	importWorkflow,
	sandboxClient,
	waitForChannelWebhooks,
} from './lib/stack.mjs';
import { checker } from './lib/checks.mjs';
import { cleanupAll, httpJson, progress, sleep, waitFor } from './lib/util.mjs';
import { stormChecks } from './e2e/storm.mjs';
import { sendAndWaitChecks } from './e2e/sendAndWait.mjs';
import { egressGuard, monitorChecks } from './e2e/monitor.mjs';
import { versionChecks } from './e2e/versions.mjs';

const OUT_DIR = join(REPO_DIR, '.e2e');
const LOG_FILE = join(OUT_DIR, 'n8n.log');
const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 900);
// How long "nothing happened" must hold before a negative check passes.
const QUIET_MS = Number(process.env.E2E_QUIET_MS || 3000);

const CH = {
	whatsapp: 'a0a0a0a0a0a0a001',
	instagram: 'b0b0b0b0b0b0b002',
	facebook: 'c0c0c0c0c0c0c003',
};
const CUSTOMER = {
	whatsapp: '15551234567',
	instagram: '6543217890123456',
	facebook: '7890123456789012',
};
// 1×1 transparent PNG
const PNG_1PX =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const p = progress('e2e ');
const { check, assert, fail, summary } = checker();

async function main() {
	// .e2e/ is shared with the demo's log and the phone-page test: remove only this script's files.
	mkdirSync(OUT_DIR, { recursive: true });
	for (const f of [
		'n8n.log',
		'sandbox-log.json',
		'sandbox-deliveries.json',
		'sandbox-messages.json',
	]) {
		rmSync(join(OUT_DIR, f), { force: true });
	}
	// FIWANO_N8N_VERSION or --n8n=<version> (default in scripts/provision.mjs); the same checks
	// run on every version.
	n8nVersion = applyN8nVersionFlag();
	p.step(`Provisioning Node 24 + n8n ${n8nVersion} (cached after the first run)…`);
	await provisionRuntime((m) => p.step(m));

	const watchdog = setTimeout(() => {
		fail('e2e finished in time', `still running after ${TIMEOUT_S} s`);
		finish();
	}, TIMEOUT_S * 1000);
	watchdog.unref();

	let stack;
	const guard = egressGuard(OUT_DIR);
	await check(
		'stack comes up (build, npm pack, install into ~/.n8n/nodes, sandbox, n8n, owner, credential)',
		async () => {
			stack = await bringUp({
				say: (m) => p.step(m),
				logFile: LOG_FILE,
				n8nPort: Number(process.env.N8N_PORT || 5678),
				sandbox: { port: Number(process.env.SANDBOX_PORT || 0) },
				n8nEnv: guard.env,
			});
			return `n8n ${stack.n8nVersion} at ${stack.n8n.url}, sandbox ${stack.sandbox.url}`;
		},
	);
	if (!stack) return finish();
	stackRef = stack;
	const { client, sandbox, credential, n8n } = stack;
	const sb = sandboxClient(sandbox.url);

	const UP =
		'stack comes up (build, npm pack, install into ~/.n8n/nodes, sandbox, n8n, owner, credential)';

	await check(
		'nodes and credential load in n8n (types API lists fiwano, fiwanoTrigger and fiwanoApi)',
		async () => {
			const nodes = await client.typesJson('nodes');
			const creds = await client.typesJson('credentials');
			const versions = (type) =>
				[nodes.find((n) => n.name === type)?.version].flat().filter(Boolean);
			for (const type of [ACTION_TYPE, TRIGGER_TYPE]) {
				const v = versions(type);
				assert(
					v.includes(1) && v.includes(2),
					`${type} versions ${JSON.stringify(v)} (want 1 and 2)`,
				);
			}
			assert(
				creds.some((c) => c.name === CREDENTIAL_TYPE),
				`credential type ${CREDENTIAL_TYPE} missing`,
			);
			return `${ACTION_TYPE} and ${TRIGGER_TYPE} at versions 1,2; ${CREDENTIAL_TYPE}`;
		},
		{ needs: [UP] },
	);

	await versionChecks({ check, assert, stack, needs: [UP] });

	await check(
		'both typeVersions resolve through /rest/node-types',
		async () => {
			const infos = [ACTION_TYPE, TRIGGER_TYPE].flatMap((name) =>
				[1, 2].map((version) => ({ name, version })),
			);
			const descs = await client.nodeTypes(infos);
			assert(descs.length === 4, `got ${descs.length} descriptions for 4 requests`);
			for (const d of descs)
				assert(
					Array.isArray(d.properties) && d.properties.length > 0,
					`${d.name} has no properties`,
				);
			return descs.map((d) => `${d.name}: ${d.properties.length} properties`).join('; ');
		},
		{ needs: [UP] },
	);

	await check(
		'channel list search (resource locator) returns the sandbox channels through n8n',
		async () => {
			const r = await client.resourceLocatorResults({
				nodeType: ACTION_TYPE,
				version: 2,
				methodName: 'searchChannels',
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
				parameters: {
					resource: 'message',
					operation: 'send',
					channelId: { __rl: true, mode: 'list', value: '' },
				},
			});
			const ids = (r.results ?? []).map((x) => x.value);
			for (const id of Object.values(CH))
				assert(ids.includes(id), `channel ${id} missing from ${JSON.stringify(r.results)}`);
			const filtered = await client.resourceLocatorResults({
				nodeType: ACTION_TYPE,
				version: 2,
				methodName: 'searchChannels',
				filter: 'insta',
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
				parameters: {
					resource: 'message',
					operation: 'send',
					channelId: { __rl: true, mode: 'list', value: '' },
				},
			});
			const fIds = (filtered.results ?? []).map((x) => x.value);
			assert(
				fIds.length === 1 && fIds[0] === CH.instagram,
				`filter "insta" gave ${JSON.stringify(filtered.results)}`,
			);
			return (r.results ?? []).map((x) => x.name).join(' | ');
		},
		{ needs: [UP] },
	);

	let wf;
	let hookUrl;
	const ACT = 'activation PATCHes every channel with the production URL, the events and a secret';
	await check(
		ACT,
		async () => {
			wf = await importWorkflow(client, 'fiwano-echo-bot.json', { credential });
			let state;
			({ hookUrl, state } = await activateOnChannels(client, wf, {
				n8nUrl: n8n.url,
				sb,
				channelIds: Object.values(CH),
			}));
			const log = await sb('GET', '/_sandbox/log');
			for (const id of Object.values(CH)) {
				const ch = state.channels.find((c) => c.id === id);
				assert(
					Array.isArray(ch.webhook_events) && ch.webhook_events.includes('message.received'),
					`channel ${id} events ${JSON.stringify(ch.webhook_events)}`,
				);
				const patches = log.filter(
					(e) => e.method === 'PATCH' && e.path === `/api/v1/channels/${id}`,
				);
				assert(patches.length > 0, `no PATCH /api/v1/channels/${id} in the sandbox log`);
				const body = patches.at(-1).body ?? {};
				assert(body.webhook_url === hookUrl, `PATCH ${id} webhook_url ${body.webhook_url}`);
				assert(
					typeof body.webhook_secret === 'string' && body.webhook_secret.length >= 16,
					`PATCH ${id} carries no webhook_secret (16+ chars)`,
				);
			}
			return `${hookUrl} on ${Object.keys(CH).join(', ')}`;
		},
		{ needs: [UP] },
	);

	const execCount = async () => (await client.executions(wf.id)).length;
	const messagesAfter = async (seq) =>
		(await sb('GET', '/_sandbox/messages')).filter((m) => m.seq > seq);
	const lastSeq = async () =>
		Math.max(0, ...(await sb('GET', '/_sandbox/messages')).map((m) => m.seq));
	const waitReply = async (seq, pred, what) =>
		await waitFor(async () => (await messagesAfter(seq)).find(pred), {
			timeoutMs: 30_000,
			intervalMs: 200,
			what,
		});

	const inboundCase = async ({ channel, text, type, media, from_name, expect }) => {
		const seq = await lastSeq();
		await sb('POST', '/_sandbox/inbound', {
			channel_id: CH[channel],
			from: CUSTOMER[channel],
			...(text !== undefined ? { text } : {}),
			...(type ? { type } : {}),
			...(media ? { media } : {}),
			...(from_name ? { from_name } : {}),
		});
		const reply = await waitReply(
			seq,
			(m) => m.channel_id === CH[channel] && m.recipient === CUSTOMER[channel],
			`a reply to ${CUSTOMER[channel]} on ${CH[channel]}`,
		);
		assert(
			reply.text === expect,
			`reply text ${JSON.stringify(reply.text)}, want ${JSON.stringify(expect)}`,
		);
		return `${channel}: "${reply.text}"`;
	};

	const nonce = Date.now().toString(36);
	await check(
		'an inbound WhatsApp text gets its echo (right channel_id, recipient, text)',
		() =>
			inboundCase({
				channel: 'whatsapp',
				text: `hello ${nonce}`,
				from_name: 'Alex Doe',
				expect: `Echo: hello ${nonce}`,
			}),
		{ needs: [ACT] },
	);
	await check(
		'an Instagram message gets a greeting with the profile name (Get Profile)',
		() =>
			inboundCase({
				channel: 'instagram',
				text: `hi ${nonce}`,
				expect: `Hi Alex Insta! You said: hi ${nonce}`,
			}),
		{ needs: [ACT] },
	);
	await check(
		'a Messenger message gets a greeting with the first name',
		() =>
			inboundCase({
				channel: 'facebook',
				text: `hey ${nonce}`,
				expect: `Hi Alex! You said: hey ${nonce}`,
			}),
		{ needs: [ACT] },
	);
	await check(
		'an inbound image is acknowledged',
		() =>
			inboundCase({
				channel: 'whatsapp',
				type: 'image',
				media: { mime_type: 'image/png', filename: 'pixel.png', base64: PNG_1PX },
				expect: 'Got your image',
			}),
		{ needs: [ACT] },
	);

	await check(
		'a forged signature gets 401 and starts no execution',
		async () => {
			await sleep(500);
			const before = await execCount();
			const seq = await lastSeq();
			const event = {
				event: 'message.received',
				channel_id: CH.whatsapp,
				channel_type: 'whatsapp',
				timestamp: new Date().toISOString(),
				data: {
					message_id: `wamid.forged-${nonce}`,
					from: CUSTOMER.whatsapp,
					from_name: 'Mallory',
					type: 'text',
					text: 'forged',
				},
			};
			const r = await sb('POST', '/_sandbox/deliver', {
				channel_id: CH.whatsapp,
				event,
				signature: 'forged',
			});
			assert(r.status === 401, `receiver answered ${r.status}, want 401`);
			const unsigned = await sb('POST', '/_sandbox/deliver', {
				channel_id: CH.whatsapp,
				event,
				signature: 'none',
			});
			assert(unsigned.status === 401, `unsigned delivery answered ${unsigned.status}, want 401`);
			await sleep(QUIET_MS);
			const after = await execCount();
			assert(after === before, `executions ${before} → ${after}`);
			const replies = await messagesAfter(seq);
			assert(replies.length === 0, `the bot replied ${replies.length} time(s)`);
			return `forged → 401, unsigned → 401, executions stayed at ${after}`;
		},
		{ needs: [ACT] },
	);

	await check(
		'a redelivered event starts no second execution',
		async () => {
			const before = await execCount();
			const seq = await lastSeq();
			const text = `once ${nonce}`;
			const { delivery_id } = await sb('POST', '/_sandbox/inbound', {
				channel_id: CH.whatsapp,
				from: CUSTOMER.whatsapp,
				text,
			});
			assert(delivery_id, 'the sandbox returned no delivery_id');
			await waitReply(seq, (m) => m.text === `Echo: ${text}`, 'the first reply');
			await waitFor(async () => (await execCount()) === before + 1, {
				timeoutMs: 15_000,
				what: 'one execution',
			});
			const r = await sb('POST', '/_sandbox/redeliver', { delivery_id });
			assert(r.status >= 200 && r.status < 300, `redelivery answered ${r.status}, want 2xx`);
			await sleep(QUIET_MS);
			const after = await execCount();
			assert(after === before + 1, `executions ${before} → ${after} (want ${before + 1})`);
			const replies = (await messagesAfter(seq)).filter((m) => m.text === `Echo: ${text}`);
			assert(replies.length === 1, `${replies.length} replies`);
			return `redelivery answered ${r.status}; 1 execution, 1 reply`;
		},
		{ needs: [ACT] },
	);

	await check(
		'listening for a test event leaves production working',
		async () => {
			const trigger = wf.payload.nodes.find((n) => n.type === TRIGGER_TYPE);
			const testUrl = hookUrl.replace('/webhook/', '/webhook-test/');
			const prodWired = async () => {
				const st = await sb('GET', '/_sandbox/state');
				return Object.values(CH).every(
					(id) => st.channels.find((c) => c.id === id)?.webhook_url === hookUrl,
				);
			};
			const prodEcho = async (text) => {
				const seq = await lastSeq();
				await sb('POST', '/_sandbox/inbound', {
					channel_id: CH.whatsapp,
					from: CUSTOMER.whatsapp,
					text,
				});
				await waitReply(seq, (m) => m.text === `Echo: ${text}`, `the production echo of "${text}"`);
			};
			const notes = [];
			// 1) "Listen for test event", then a customer message ends the listen.
			let started;
			try {
				started = await client.runManually(wf.id, trigger.name);
			} catch (error) {
				notes.push(`listen refused: ${error.message}`);
			}
			if (started) {
				assert(started.waitingForWebhook, `run answered ${JSON.stringify(started)}`);
				const borrowed = await waitFor(
					// The trigger may add a query to the borrowed test URL; the path must be the test URL's.
					async () =>
						(await sb('GET', '/_sandbox/state')).channels
							.find((c) => c.id === CH.whatsapp)
							?.webhook_url?.split('?')[0] === testUrl,
					{ timeoutMs: 15_000, what: `the WhatsApp channel to point at the test URL ${testUrl}` },
				).catch(() => false);
				notes.push(borrowed ? 'listen borrowed the channel' : 'listen kept the production URL');
				if (borrowed) {
					const text = `test listen ${nonce}`;
					const seq = await lastSeq();
					await sb('POST', '/_sandbox/inbound', {
						channel_id: CH.whatsapp,
						from: CUSTOMER.whatsapp,
						text,
					});
					await waitReply(
						seq,
						(m) => m.text === `Echo: ${text}`,
						'the reply from the test execution',
					);
					notes.push('test event ran');
				} else {
					await client.raw('DELETE', `/rest/test-webhook/${wf.id}`);
				}
				await waitFor(prodWired, {
					timeoutMs: 30_000,
					what: 'every channel to point at the production URL again',
				});
			}
			await prodEcho(`after test ${nonce}`);
			// 2) A listen that is cancelled ("Stop listening").
			let again;
			try {
				again = await client.runManually(wf.id, trigger.name);
			} catch (error) {
				notes.push(`second listen refused: ${error.message}`);
			}
			if (again?.waitingForWebhook) {
				await sleep(1500);
				await client.call('DELETE', `/rest/test-webhook/${wf.id}`);
				await waitFor(prodWired, {
					timeoutMs: 30_000,
					what: 'every channel back on the production URL after cancelling',
				});
				notes.push('cancelled listen restored the channels');
			}
			await prodEcho(`after cancel ${nonce}`);
			return `${notes.join('; ')}; production echo works after both`;
		},
		{ needs: [ACT] },
	);

	await check(
		'executions of the echo bot succeeded',
		async () => {
			const list = await client.executions(wf.id);
			const bad = list.filter((e) => e.status !== 'success');
			assert(list.length > 0, 'no executions');
			assert(
				bad.length === 0,
				`${bad.length} of ${list.length} not successful: ${bad.map((e) => `${e.id}:${e.status}`).join(', ')}`,
			);
			return `${list.length} executions, all success`;
		},
		{ needs: [ACT] },
	);

	await stormChecks({
		check,
		assert,
		sb,
		client,
		wf,
		channelId: CH.whatsapp,
		from: CUSTOMER.whatsapp,
		needs: [ACT],
		quietMs: QUIET_MS,
		say: (m) => p.step(m),
	});

	await check(
		'deactivation clears the webhook on every channel',
		async () => {
			await client.deactivate(wf.id);
			await waitForChannelWebhooks(sb, Object.values(CH), undefined);
			return 'webhook_url empty on all three channels';
		},
		{ needs: [ACT] },
	);

	await sendAndWaitChecks({
		check,
		assert,
		stack,
		sb,
		CH,
		CUSTOMER,
		needs: ['deactivation clears the webhook on every channel'],
	});

	const SETUP =
		'channel setup workflow: connect link, OAuth callback exchanges the code, templates listed';
	await check(
		SETUP,
		async () => {
			const callbackPath = 'fiwano-oauth-callback';
			const callbackUrl = `https://n8n.e2e.test/webhook/${callbackPath}`;
			const setup = await importWorkflow(client, 'fiwano-channel-setup.json', {
				credential,
				edit: {
					'Your callback URL': (n) => {
						n.parameters.assignments.assignments.find((a) => a.name === 'callbackUrl').value =
							callbackUrl;
					},
					'List WhatsApp templates': (n) => {
						n.parameters.channelId = {
							__rl: true,
							mode: 'list',
							value: CH.whatsapp,
							cachedResultName: 'Sandbox WhatsApp',
						};
					},
				},
			});
			await client.activate(setup.id, setup.versionId);
			await client.waitPublished(setup.id, { timeoutMs: 60_000 });

			// "Execute workflow" in the editor: allow the callback URL, create the connect link, list templates.
			const run = await client.runManually(setup.id, 'Get a connect link');
			const exec = await waitDecodedExecution(client, run.executionId, stack.runtime.dir);
			assert(
				exec.status === 'success',
				`manual run ${exec.status}: ${exec.error ?? ''} (last node ${exec.lastNode})`,
			);
			const link = exec.nodes['Create connect link']?.outputs[0]?.[0];
			assert(
				link?.setup_url,
				`no setup_url; last node ${exec.lastNode}, nodes run: ${JSON.stringify(exec.nodes)}`,
			);
			const templates = exec.nodes['List WhatsApp templates']?.outputs[0] ?? [];
			const names = templates.map((t) => t.name).sort();
			assert(
				names.includes('order_update') && names.includes('welcome_named'),
				`templates ${JSON.stringify(names)}`,
			);

			// The browser at Meta's dialog (the sandbox's stand-in), approving a new account…
			const session = new URL(link.setup_url).searchParams.get('session');
			const done = await fetch(
				`${sandbox.url}/setup/complete?session=${session}&action=approve&channel_id=`,
				{
					redirect: 'manual',
					signal: AbortSignal.timeout(10_000),
				},
			);
			const location = done.headers.get('location');
			assert(
				done.status === 302 && location?.startsWith(callbackUrl),
				`setup/complete → ${done.status} ${location}`,
			);
			// …is sent back to the callback URL; here it reaches n8n's Production URL directly.
			const back = new URL(location);
			const before = (await sb('GET', '/_sandbox/state')).channels.length;
			const answer = await httpJson(`${n8n.url}/webhook/${callbackPath}${back.search}`, {
				timeoutMs: 30_000,
			});
			assert(
				answer.status === 200 && /^Connected /.test(answer.text),
				`callback answered ${answer.status}: ${answer.text.slice(0, 200)}`,
			);
			const after = await sb('GET', '/_sandbox/state');
			assert(after.channels.length === before + 1, `channels ${before} → ${after.channels.length}`);
			const secrets = after.channels.map((c) => c.webhook_secret).filter(Boolean);
			assert(!secrets.some((x) => answer.text.includes(x)), 'the answer shows a webhook secret');

			const denied = await httpJson(
				`${n8n.url}/webhook/${callbackPath}?error=access_denied&message=${encodeURIComponent('The user cancelled')}`,
			);
			assert(
				denied.status === 400 && denied.text.includes('The user cancelled'),
				`denied → ${denied.status}: ${denied.text.slice(0, 200)}`,
			);
			const reused = await httpJson(`${n8n.url}/webhook/${callbackPath}${back.search}`, {
				timeoutMs: 30_000,
			});
			assert(
				reused.status === 502 && reused.text.includes('did not accept'),
				`reused code → ${reused.status}: ${reused.text.slice(0, 200)}`,
			);
			await client.deactivate(setup.id);
			return `${answer.text.trim()} | ${templates.length} templates | cancel → 400, reused code → 502`;
		},
		{ needs: [UP] },
	);

	await monitorChecks({
		check,
		assert,
		stack,
		sb,
		waitDecodedExecution,
		needs: UP,
		egressLog: guard.egressLog,
	});
	await aiAssistantChecks({ check, assert, stack, sb, up: UP, quietMs: QUIET_MS });

	return finish();
}

let finishing = false;
let stackRef;
let n8nVersion = '?';
async function finish() {
	if (finishing) return;
	finishing = true;
	const { passed, failed } = summary();
	if (failed && stackRef?.sandbox) {
		// The sandbox's request and delivery logs show what n8n actually sent and answered.
		for (const what of ['log', 'deliveries', 'messages']) {
			try {
				const r = await httpJson(`${stackRef.sandbox.url}/_sandbox/${what}`, { timeoutMs: 5000 });
				writeFileSync(join(OUT_DIR, `sandbox-${what}.json`), JSON.stringify(r.json, null, 2));
			} catch {
				// the sandbox may be gone already
			}
		}
		process.stdout.write(
			`Sandbox logs saved to ${OUT_DIR}/sandbox-{log,deliveries,messages}.json\n`,
		);
	}
	if (failed) {
		const tail = tailFile(LOG_FILE, 60);
		if (tail) process.stdout.write(`\n--- last lines of ${LOG_FILE} ---\n${tail}\n---\n`);
	}
	await cleanupAll();
	process.stdout.write(
		`\ne2e on n8n ${n8nVersion} took ${p.elapsed().toFixed(0)} s\n${passed} passed, ${failed} failed\n`,
	);
	process.exit(failed ? 1 : 0);
}

/**
 * `--n8n=tested`: the whole run once per version in TESTED_N8N_VERSIONS, one after the other
 * (each in its own process, so every check runs on every version); the package is built once.
 */
function runEveryTestedVersion() {
	const failed = [];
	TESTED_N8N_VERSIONS.forEach((version, i) => {
		process.stdout.write(`\n=== e2e on n8n ${version} ===\n`);
		const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--n8n=${version}`], {
			stdio: 'inherit',
			env: { ...process.env, ...(i > 0 ? { FIWANO_SKIP_BUILD: '1' } : {}) },
		});
		if (r.status !== 0) failed.push(version);
	});
	process.stdout.write(
		`\n=== e2e on n8n ${TESTED_N8N_VERSIONS.join(', ')}: ${failed.length ? `FAILED on ${failed.join(', ')}` : 'all passed'} ===\n`,
	);
	process.exit(failed.length ? 1 : 0);
}

if (process.argv.slice(2).includes('--n8n=tested')) runEveryTestedVersion();
else
	main().catch(async (error) => {
		fail('e2e script', error.stack || error.message);
		await finish();
	});
