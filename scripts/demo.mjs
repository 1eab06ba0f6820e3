#!/usr/bin/env node
// `npm run demo`: the product working in one command, with no Fiwano account and no phone.
// Builds and packs this package, installs it into a fresh n8n user folder like a user would,
// starts the local Fiwano sandbox and a real n8n, creates the owner and a Fiwano credential,
// imports and publishes the echo-bot workflow (and, with the sandbox, the Send and Wait approval
// workflow on WhatsApp), and prints where to click. Ctrl-C stops it all.
//
// FIWANO_API_KEY=mip_live_…  use the real Fiwano (https://fiwano.com or FIWANO_BASE_URL) instead
//                            of the sandbox. Fiwano must reach n8n: set WEBHOOK_URL to n8n's public
//                            URL (a tunnel to 127.0.0.1:<port>), or the workflow is imported but
//                            left unpublished so no channel of yours gets rewired.
// N8N_PORT, SANDBOX_PORT     preferred ports (defaults 5678 and 4010; a busy port is replaced).
// FIWANO_N8N_VERSION=1.123.81 (or `npm run demo -- --n8n=1.123.81`)  another n8n than the default.
import { join } from 'node:path';
import { applyN8nVersionFlag } from './provision.mjs';
import { REPO_DIR } from './lib/package.mjs';
import { bringUp, importWorkflow, TRIGGER_TYPE, productionWebhookUrl } from './lib/stack.mjs';

/** The sandbox's seeded WhatsApp channel (test/sandbox/server.mjs). */
const SANDBOX_WHATSAPP = 'a0a0a0a0a0a0a001';
import { tailFile } from './lib/n8n.mjs';
import { cleanupAll, httpJson, isShuttingDown, progress, waitFor } from './lib/util.mjs';

const p = progress('demo ');
const realKey = process.env.FIWANO_API_KEY;
const realBase = (process.env.FIWANO_BASE_URL || 'https://fiwano.com').replace(/\/+$/, '');
const publicUrl = process.env.WEBHOOK_URL;
const logFile = join(REPO_DIR, '.e2e', 'demo-n8n.log');

function isLoopback(url) {
	try {
		const host = new URL(url).hostname;
		return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
	} catch {
		return true;
	}
}

async function main() {
	applyN8nVersionFlag();
	const stack = await bringUp({
		say: (m) => p.step(m),
		n8nPort: Number(process.env.N8N_PORT || 5678),
		logFile,
		sandbox: realKey ? false : { port: Number(process.env.SANDBOX_PORT || 4010) },
		fiwano: realKey ? { apiKey: realKey, baseUrl: realBase } : undefined,
		n8nEnv: publicUrl ? { WEBHOOK_URL: publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/` } : {},
	});
	const { client, n8n, sandbox, owner, credential } = stack;

	// With the sandbox, WhatsApp runs the Send and Wait demo (workflows/fiwano-approval.json) and
	// the echo bot takes the other channels: its "All Active Channels" leaves a channel that
	// already sends to another workflow alone.
	let approval;
	if (sandbox) {
		p.step('Importing workflows/fiwano-approval.json for the sandbox WhatsApp channel…');
		approval = await importWorkflow(client, 'fiwano-approval.json', {
			credential,
			edit: {
				'Fiwano Trigger': (n) => {
					n.parameters.autoSetup = 'channel';
					n.parameters.channelId = { __rl: true, mode: 'id', value: SANDBOX_WHATSAPP };
				},
			},
		});
		await client.activate(approval.id, approval.versionId);
		await client.waitPublished(approval.id, { timeoutMs: 60_000 });
		const approvalHook = productionWebhookUrl(
			n8n.url,
			approval.payload.nodes.find((n) => n.type === TRIGGER_TYPE),
		);
		await waitFor(
			async () => {
				const { json } = await httpJson(`${sandbox.url}/_sandbox/state`);
				return json.channels.some((c) => c.webhook_url === approvalHook);
			},
			{ timeoutMs: 30_000, what: 'the approval workflow to register its webhook' },
		);
	}

	p.step('Importing workflows/fiwano-echo-bot.json…');
	const wf = await importWorkflow(client, 'fiwano-echo-bot.json', { credential });
	const trigger = wf.payload.nodes.find((n) => n.type === TRIGGER_TYPE);
	const hookUrl = productionWebhookUrl(publicUrl || n8n.url, trigger);

	let published = false;
	if (!realKey || (publicUrl && !isLoopback(publicUrl))) {
		p.step('Publishing the workflow (the trigger registers its webhook on the channels)…');
		await client.activate(wf.id, wf.versionId);
		await client.waitPublished(wf.id, { timeoutMs: 60_000 });
		published = true;
		if (sandbox) {
			await waitFor(
				async () => {
					const { json } = await httpJson(`${sandbox.url}/_sandbox/state`);
					return json.channels.some((c) => c.webhook_url === hookUrl);
				},
				{ timeoutMs: 30_000, what: 'the trigger to register its webhook at the sandbox' },
			);
		}
		p.step(`Registered ${hookUrl}`);
	}

	const line = '─'.repeat(72);
	const out = [
		'',
		line,
		` Fiwano demo is running (n8n ${stack.n8nVersion})`,
		line,
		` n8n editor     ${n8n.url}/workflow/${wf.id}`,
		`   log in with  ${owner.email}  /  ${owner.password}`,
	];
	if (sandbox) {
		out.push(
			` Customer phone ${sandbox.url}/`,
			'                Instagram or Messenger: type a message or send an image, and the',
			'                echo bot answers. WhatsApp: send "cancel 1042", then answer the',
			'                question by replying "yes" to it (Reply on the bubble) or through',
			'                its link: Send and Wait. Each run shows up in n8n under Executions.',
			` Approval flow  ${n8n.url}/workflow/${approval?.id}`,
			` Sandbox API    ${sandbox.url}/api/v1  (API key ${credential.name}: mip_live_sandbox_demo_key)`,
		);
	} else {
		out.push(` Fiwano         ${realBase} (your API key from FIWANO_API_KEY)`);
		if (published) {
			out.push(
				` Webhook        ${hookUrl}`,
				'                registered on your active channels that had no other webhook.',
			);
		} else {
			out.push(
				' Not published: Fiwano cannot reach a webhook on 127.0.0.1. Set WEBHOOK_URL to a',
				' public URL that forwards to this n8n (e.g. a tunnel to ' + n8n.url + ') and run',
				' again, or publish the workflow yourself once n8n is reachable.',
			);
		}
	}
	out.push(
		` n8n log        ${logFile}`,
		line,
		` Ctrl-C stops n8n${sandbox ? ' and the sandbox' : ''}.`,
		'',
	);
	process.stdout.write(out.join('\n') + '\n');

	// Stay up until Ctrl-C (handled in util.mjs) or until n8n dies.
	const exit = await n8n.exited;
	if (isShuttingDown()) return;
	p.step(`n8n exited (${JSON.stringify(exit)}); last log lines:\n${tailFile(logFile, 30)}`);
	await cleanupAll();
	process.exit(1);
}

main().catch(async (error) => {
	process.stderr.write(`\ndemo failed: ${error.stack || error.message}\n`);
	const tail = tailFile(logFile, 40);
	if (tail) process.stderr.write(`\nLast lines of ${logFile}:\n${tail}\n`);
	await cleanupAll();
	process.exit(1);
});
