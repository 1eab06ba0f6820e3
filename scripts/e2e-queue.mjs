#!/usr/bin/env node
// `npm run test:e2e:queue`: the echo bot in n8n's queue mode, the way users who outgrow one n8n
// run it: Redis + PostgreSQL (Debian's, installed with apt-get when missing), n8n main + one
// worker + two webhook processes behind a round-robin proxy (the load balancer; it is the
// WEBHOOK_URL, so the trigger registers it with Fiwano). Checks that deliveries reach both webhook
// processes, that the worker runs the executions and sends the replies, and measures the
// redelivery storm (N distinct events at concurrency C, then all again): the extra executions are
// printed; they fail the run only above E2E_QUEUE_STORM_MAX_EXTRA (unset = report only).
// Prints one PASS/FAIL line per check and `N passed, M failed`. Logs: .e2e/queue-*.log.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_DIR } from './lib/package.mjs';
import { provisionRuntime, startN8n, tailFile } from './lib/n8n.mjs';
import { activateOnChannels, bringUp, importWorkflow, sandboxClient } from './lib/stack.mjs';
import { ensureQueuePackages, startPostgres, startProxy, startRedis } from './lib/queue.mjs';
import { runStorm, stormFigures } from './lib/storm.mjs';
import { checker } from './lib/checks.mjs';
import { cleanupAll, onCleanup, progress, waitFor } from './lib/util.mjs';

const OUT_DIR = join(REPO_DIR, '.e2e');
const LOG = (name) => join(OUT_DIR, `queue-${name}.log`);
const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 1200);
const STORM_N = Number(process.env.E2E_STORM_N || 500);
const STORM_C = Number(process.env.E2E_STORM_CONCURRENCY || 20);
const MAX_EXTRA = process.env.E2E_QUEUE_STORM_MAX_EXTRA;
const MESSAGES = 10;
const CH = {
	whatsapp: 'a0a0a0a0a0a0a001',
	instagram: 'b0b0b0b0b0b0b002',
	facebook: 'c0c0c0c0c0c0c003',
};
const CUSTOMER = '15551234567';

const p = progress('queue ');
const { check, assert, fail, summary } = checker();

async function main() {
	mkdirSync(OUT_DIR, { recursive: true });
	for (const f of ['main', 'worker', 'webhook-1', 'webhook-2', 'redis', 'postgres'])
		rmSync(LOG(f), { force: true });
	const watchdog = setTimeout(() => {
		fail('queue e2e finished in time', `still running after ${TIMEOUT_S} s`);
		finish();
	}, TIMEOUT_S * 1000);
	watchdog.unref();

	const root = mkdtempSync(join(tmpdir(), 'fiwano-queue-'));
	onCleanup(() => rmSync(root, { recursive: true, force: true }));

	let infra;
	const INFRA = 'Redis and PostgreSQL run on loopback (apt-get installs them when missing)';
	await check(INFRA, async () => {
		const pkgs = ensureQueuePackages((m) => p.step(m));
		const redis = await startRedis({ dir: join(root, 'redis'), logFile: LOG('redis') });
		const pg = await startPostgres({ dir: join(root, 'pg'), logFile: LOG('postgres') });
		infra = { redis, pg };
		return `redis :${redis.port}, postgres :${pg.port}${pkgs.installed.length ? `; installed ${pkgs.installed.join(', ')} in ${pkgs.seconds.toFixed(0)} s` : ''}`;
	});
	if (!infra) return finish();

	const proxy = await startProxy();
	const env = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: infra.redis.host,
		QUEUE_BULL_REDIS_PORT: String(infra.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: infra.pg.host,
		DB_POSTGRESDB_PORT: String(infra.pg.port),
		DB_POSTGRESDB_DATABASE: infra.pg.database,
		DB_POSTGRESDB_USER: infra.pg.user,
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		WEBHOOK_URL: `${proxy.url}/`,
		EXECUTIONS_DATA_PRUNE: 'false',
	};

	let stack;
	const procs = {};
	const UP = 'n8n main, one worker and two webhook processes come up in queue mode';
	await check(
		UP,
		async () => {
			stack = await bringUp({
				say: (m) => p.step(m),
				workDir: join(root, 'n8n'),
				keepWorkDir: true,
				logFile: LOG('main'),
				n8nPort: 0,
				sandbox: { port: 0 },
				n8nEnv: env,
			});
			for (const [name, command] of [
				['worker', 'worker'],
				['webhook-1', 'webhook'],
				['webhook-2', 'webhook'],
			]) {
				p.step(`Starting n8n ${command} (${name})…`);
				const proc = await startN8n({
					...stack.runtime,
					command,
					userFolder: stack.userFolder,
					port: 0,
					logFile: LOG(name),
					env,
				});
				onCleanup(() => proc.stop());
				procs[name] = proc;
			}
			proxy.setTargets([procs['webhook-1'].url, procs['webhook-2'].url]);
			return `main ${stack.n8n.url}, worker health ${procs.worker.url}, webhooks ${procs['webhook-1'].url} ${procs['webhook-2'].url} behind ${proxy.url}`;
		},
		{ needs: [INFRA] },
	);
	if (!stack) return finish();
	stackRef = stack;
	const { client, credential, sandbox } = stack;
	const sb = sandboxClient(sandbox.url, { timeoutMs: 30_000 });

	let wf;
	const ACT =
		'the echo bot activated from main wires every channel to the proxy (the load balancer)';
	await check(
		ACT,
		async () => {
			wf = await importWorkflow(client, 'fiwano-echo-bot.json', { credential });
			// n8n's WEBHOOK_URL is the proxy's, so the trigger registers the load balancer's URL.
			const { hookUrl } = await activateOnChannels(client, wf, {
				n8nUrl: proxy.url,
				sb,
				channelIds: Object.values(CH),
			});
			return hookUrl;
		},
		{ needs: [UP] },
	);

	const SPREAD = `${MESSAGES} customer messages get their echo through both webhook processes, run by the worker`;
	await check(
		SPREAD,
		async () => {
			const before = { ...proxy.counts };
			const seq = Math.max(0, ...(await sb('GET', '/_sandbox/messages')).map((m) => m.seq));
			const nonce = Date.now().toString(36);
			for (let i = 0; i < MESSAGES; i++)
				await sb('POST', '/_sandbox/inbound', {
					channel_id: CH.whatsapp,
					from: CUSTOMER,
					text: `q ${nonce} ${i}`,
				});
			const replies = await waitFor(
				async () => {
					const got = (await sb('GET', `/_sandbox/messages?since=${seq}`)).filter((m) =>
						m.text?.startsWith(`Echo: q ${nonce} `),
					);
					return got.length >= MESSAGES && got;
				},
				{ timeoutMs: 60_000, intervalMs: 300, what: `${MESSAGES} echoes` },
			);
			assert(replies.length === MESSAGES, `${replies.length} replies for ${MESSAGES} messages`);
			const served = Object.entries(proxy.counts).map(([url, n]) => [url, n - (before[url] ?? 0)]);
			assert(
				served.length === 2 && served.every(([, n]) => n > 0),
				`proxy spread ${JSON.stringify(served)}`,
			);
			// Each webhook process enqueued executions; the worker ran them; main ran none.
			// A reply reaches the sandbox before its execution is marked finished: wait for that.
			let execs = [];
			await waitFor(
				async () => {
					execs = await client.executions(wf.id, { limit: MESSAGES });
					return execs.length === MESSAGES && execs.every((e) => e.status !== 'running');
				},
				{ timeoutMs: 60_000, intervalMs: 500, what: `${MESSAGES} finished executions` },
			).catch(() => {});
			assert(
				execs.length === MESSAGES && execs.every((e) => e.status === 'success'),
				`executions ${JSON.stringify(execs.map((e) => [e.id, e.status]))}`,
			);
			const worker = readFileSync(LOG('worker'), 'utf8');
			const notOnWorker = execs.filter(
				(e) => !worker.includes(`Worker finished execution ${e.id} `),
			);
			assert(
				!notOnWorker.length,
				`executions ${notOnWorker.map((e) => e.id).join(', ')} not finished by the worker (see ${LOG('worker')})`,
			);
			const enqueued = ['webhook-1', 'webhook-2'].map(
				(name) => (readFileSync(LOG(name), 'utf8').match(/Enqueued execution \d+/g) ?? []).length,
			);
			assert(
				enqueued.every((n) => n > 0),
				`executions enqueued per webhook process: ${enqueued.join(', ')}`,
			);
			const onMain = execs.filter((e) =>
				readFileSync(LOG('main'), 'utf8').includes(`Worker finished execution ${e.id} `),
			);
			assert(!onMain.length, 'main ran executions');
			return `${MESSAGES} echoes; proxy sent ${served.map(([, n]) => n).join(' + ')} deliveries; webhook processes enqueued ${enqueued.join(' + ')}; worker finished all ${MESSAGES}`;
		},
		{ needs: [ACT] },
	);

	await check(
		`redelivery storm in queue mode: ${STORM_N} distinct at concurrency ${STORM_C}, then all again — extra executions ${MAX_EXTRA === undefined ? '(measured, report only)' : `≤ ${MAX_EXTRA}`}`,
		async () => {
			const { perChannelSendsPerSecond } = await sb('GET', '/_sandbox/config');
			await sb('POST', '/_sandbox/config', { perChannelSendsPerSecond: 100_000 });
			const before = { ...proxy.counts };
			let r;
			try {
				r = await runStorm({
					sb,
					client,
					workflowId: wf.id,
					channelId: CH.whatsapp,
					from: CUSTOMER,
					n: STORM_N,
					concurrency: STORM_C,
					say: (m) => p.step(m),
				});
			} finally {
				await sb('POST', '/_sandbox/config', { perChannelSendsPerSecond });
			}
			const served = Object.entries(proxy.counts).map(
				([, n], i) => n - (Object.values(before)[i] ?? 0),
			);
			const figures = `${stormFigures(r)}; proxy ${served.join(' + ')}`;
			process.stdout.write(
				`STORM queue mode: extra executions = ${r.extra}, events answered twice = ${r.duplicateReplies} (of ${STORM_N} redeliveries)\n`,
			);
			assert(
				served.every((n) => n > 0),
				`the storm did not reach both webhook processes: ${figures}`,
			);
			if (MAX_EXTRA !== undefined)
				assert(r.extra <= Number(MAX_EXTRA), `${r.extra} extra > ${MAX_EXTRA}: ${figures}`);
			return figures;
		},
		{ needs: [SPREAD] },
	);

	return finish();
}

let finishing = false;
let stackRef;
async function finish() {
	if (finishing) return;
	finishing = true;
	const { passed, failed } = summary();
	if (failed) {
		for (const name of ['main', 'worker', 'webhook-1', 'webhook-2']) {
			const tail = tailFile(LOG(name), 25);
			if (tail) process.stdout.write(`\n--- last lines of ${LOG(name)} ---\n${tail}\n`);
		}
	}
	await cleanupAll();
	process.stdout.write(
		`\nqueue e2e took ${p.elapsed().toFixed(0)} s\n${passed} passed, ${failed} failed\n`,
	);
	process.exit(failed ? 1 : 0);
}

main().catch(async (error) => {
	fail('queue e2e script', error.stack || error.message);
	await finish();
});
