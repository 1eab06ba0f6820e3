// e2e checks of issue 12 in real n8n: the Fiwano Monitor Trigger polls the sandbox and fires
// exactly once when a channel's health flips; a typeVersion 2 Fiwano Trigger against the real
// Fiwano is refused at activation because n8n's WEBHOOK_URL (http://127.0.0.1:…) cannot be
// reached, and no request leaves the machine (the no-egress guard records any attempt).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { CREDENTIAL_TYPE, FIWANO_PACKAGE, TRIGGER_TYPE } from '../lib/stack.mjs';
import { waitFor } from '../lib/util.mjs';

export const MONITOR_TYPE = `${FIWANO_PACKAGE}.fiwanoMonitorTrigger`;

const GUARD = fileURLToPath(new URL('./no-egress.cjs', import.meta.url));

/**
 * n8n environment for the e2e: the no-egress guard preloaded, its log in `outDir`. Pass it to
 * bringUp as `n8nEnv`; `egressLog` is where the attempts are written.
 */
export function egressGuard(outDir) {
	const egressLog = join(outDir, 'egress.log');
	rmSync(egressLog, { force: true });
	const nodeOptions = [process.env.NODE_OPTIONS, `--require ${GUARD}`].filter(Boolean).join(' ');
	return { egressLog, env: { NODE_OPTIONS: nodeOptions, FIWANO_E2E_EGRESS_LOG: egressLog } };
}

function egressAttempts(file) {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
}

/** Runs the checks; `needs` is the name of the check that brought the stack up. */
export async function monitorChecks({
	check,
	assert,
	stack,
	sb,
	waitDecodedExecution,
	needs,
	egressLog,
}) {
	const { client, credential } = stack;
	const WA = 'a0a0a0a0a0a0a001';
	const fiwanoCredential = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };

	// Start the monitor first: its tick comes once a minute, so the refusal check runs meanwhile.
	let monitor;
	let flippedAt = 0;
	const START = 'monitor trigger: publishing takes a baseline and fires nothing';
	await check(
		START,
		async () => {
			const triggerName = 'Fiwano Monitor Trigger';
			monitor = await client.createWorkflow({
				name: 'e2e: Fiwano monitor',
				nodes: [
					{
						id: randomUUID(),
						name: triggerName,
						type: MONITOR_TYPE,
						typeVersion: 1,
						position: [0, 0],
						parameters: {
							pollTimes: { item: [{ mode: 'everyMinute' }] },
							options: { channelTypes: ['whatsapp'] },
						},
						credentials: fiwanoCredential,
					},
					{
						id: randomUUID(),
						name: 'Alert',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [220, 0],
						parameters: {},
					},
				],
				connections: { [triggerName]: { main: [[{ node: 'Alert', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});
			const before = (await sb('GET', '/_sandbox/log')).filter(
				(e) => e.method === 'GET' && e.path === '/api/v1/channels',
			).length;
			await client.activate(monitor.id, monitor.versionId);
			await client.waitPublished(monitor.id, { timeoutMs: 60_000 });
			// n8n polls once while it activates: that poll is the baseline.
			await waitFor(
				async () =>
					(await sb('GET', '/_sandbox/log')).filter(
						(e) => e.method === 'GET' && e.path === '/api/v1/channels',
					).length > before,
				{ timeoutMs: 30_000, what: 'the activation poll (GET /api/v1/channels)' },
			);
			const executions = await client.executions(monitor.id);
			assert(executions.length === 0, `${executions.length} executions after the baseline poll`);
			await sb('POST', '/_sandbox/health', {
				channel_id: WA,
				status: 'action_required',
				reason: '(#190) e2e: access token revoked',
			});
			flippedAt = Date.now();
			return 'baseline taken, 0 executions; WhatsApp health flipped to action_required';
		},
		{ needs: [needs] },
	);

	await check(
		'typeVersion 2 trigger against https://fiwano.com with a loopback WEBHOOK_URL: activation refused, nothing sent',
		async () => {
			const real = await client.createCredential({
				name: 'Fiwano (real base URL, e2e)',
				type: CREDENTIAL_TYPE,
				data: { apiKey: 'mip_live_e2e_not_a_real_key', baseUrl: 'https://fiwano.com' },
			});
			const wf = await client.createWorkflow({
				name: 'e2e: trigger against the real Fiwano',
				nodes: [
					{
						id: randomUUID(),
						name: 'Fiwano Trigger',
						type: TRIGGER_TYPE,
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: {
							autoSetup: 'channel',
							channelId: { __rl: true, mode: 'id', value: WA },
							events: ['message.received'],
						},
						credentials: { [CREDENTIAL_TYPE]: { id: real.id, name: real.name } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			const sandboxBefore = (await sb('GET', '/_sandbox/log')).length;
			let refusal;
			try {
				await client.activate(wf.id, wf.versionId);
				await client.waitPublished(wf.id, { timeoutMs: 60_000 });
			} catch (error) {
				refusal = error;
			}
			assert(refusal, 'the workflow was published');
			const text = String(refusal.message);
			assert(
				/Fiwano cannot reach this trigger’s webhook URL http:\/\/127\.0\.0\.1:\d+\/webhook\//.test(
					text,
				) &&
					text.includes('WEBHOOK_URL') &&
					text.includes('Manual setup'),
				`refusal: ${text.slice(0, 400)}`,
			);
			const fiwanoAttempts = egressAttempts(egressLog).filter((a) => /fiwano/i.test(a.host));
			assert(
				fiwanoAttempts.length === 0,
				`requests toward Fiwano: ${JSON.stringify(fiwanoAttempts)}`,
			);
			const sandboxAfter = await sb('GET', '/_sandbox/log');
			const patches = sandboxAfter.slice(sandboxBefore).filter((e) => e.method === 'PATCH');
			assert(patches.length === 0, `PATCHes during the refusal: ${JSON.stringify(patches)}`);
			await client.deactivate(wf.id).catch(() => {});
			const other = egressAttempts(egressLog).length;
			return `${text.slice(0, 140)}… | 0 connections toward fiwano.com${other ? ` (${other} other refused)` : ''}`;
		},
		{ needs: [needs] },
	);

	await check(
		'monitor trigger: the health flip starts exactly one execution, with the change',
		async () => {
			await waitFor(
				async () => {
					const list = await client.executions(monitor.id);
					return list.length > 0 && list;
				},
				{ timeoutMs: 90_000, intervalMs: 1000, what: 'an execution of the monitor workflow' },
			);
			const firedAfter = Math.round((Date.now() - flippedAt) / 1000);
			const polls = () =>
				sb('GET', '/_sandbox/log').then((log) =>
					log.filter((e) => e.method === 'GET' && e.path === '/api/v1/channels'),
				);
			// The next tick polls again and must see nothing new: exactly one execution in all.
			const seen = (await polls()).length;
			await waitFor(async () => (await polls()).length > seen, {
				timeoutMs: 90_000,
				intervalMs: 1000,
				what: 'the next poll of the monitor',
			});
			await new Promise((r) => setTimeout(r, 3000));
			const all = await client.executions(monitor.id);
			assert(all.length === 1, `${all.length} executions: ${all.map((e) => e.status).join(', ')}`);
			const exec = await waitDecodedExecution(client, all[0].id, stack.runtime.dir);
			assert(exec.status === 'success', `execution ${all[0].id} ${exec.status}`);
			const items = exec.nodes['Fiwano Monitor Trigger']?.outputs[0] ?? [];
			assert(items.length === 1, `${items.length} items: ${JSON.stringify(items).slice(0, 300)}`);
			const [item] = items;
			assert(
				item.event === 'health.action_required' &&
					item.channel_id === WA &&
					item.previous === 'ok' &&
					item.current === 'action_required' &&
					item.channel?.health?.reason === '(#190) e2e: access token revoked',
				`item ${JSON.stringify(item).slice(0, 400)}`,
			);
			// "Fetch Test Event" in the editor: a manual run shows what needs attention now.
			const run = await client.runManually(monitor.id, 'Fiwano Monitor Trigger');
			const manual = await waitDecodedExecution(client, run.executionId, stack.runtime.dir);
			const shown = manual.nodes['Fiwano Monitor Trigger']?.outputs[0] ?? [];
			assert(
				manual.status === 'success' &&
					shown.some(
						(i) =>
							i.event === 'health.action_required' && i.channel_id === WA && i.previous === null,
					),
				`Fetch Test Event: ${manual.status} ${JSON.stringify(shown).slice(0, 300)}`,
			);
			await client.deactivate(monitor.id);
			await sb('POST', '/_sandbox/health', { channel_id: WA, status: 'ok' });
			return `fired ${firedAfter} s after the flip: "${item.summary}"; next poll: no new execution; Fetch Test Event shows ${shown.map((i) => i.event).join(', ')}`;
		},
		{ needs: [START] },
	);
}
