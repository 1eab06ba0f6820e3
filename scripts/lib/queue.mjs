// What n8n's queue mode needs besides n8n, for `npm run test:e2e:queue`: Debian's Redis and
// PostgreSQL (installed with apt-get when missing), each started on loopback with its data in a
// temp folder and stopped on exit, and a round-robin HTTP proxy standing in for the load
// balancer in front of the webhook processes.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { freePort, onCleanup, spawnTracked, waitFor } from './util.mjs';

const isRoot = () => process.getuid?.() === 0;

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout || r.error?.message || '').slice(-2000)}`,
		);
	return r.stdout;
}

function have(cmd) {
	return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** PostgreSQL's server binaries (Debian keeps them out of PATH, in /usr/lib/postgresql/<v>/bin). */
function pgBinDir() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return null;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(base, versions[0], 'bin') : null;
}

/**
 * Installs Debian's `redis-server` and `postgresql` when missing (apt-get update first).
 * Returns what was installed and how long it took.
 */
export function ensureQueuePackages(say = () => {}) {
	const missing = [];
	if (!have('redis-server')) missing.push('redis-server');
	if (!pgBinDir()) missing.push('postgresql');
	if (!missing.length) return { installed: [], seconds: 0 };
	if (!have('apt-get'))
		throw new Error(`${missing.join(' and ')} missing and no apt-get to install them`);
	const sudo = isRoot() ? [] : ['sudo', '-n'];
	const t0 = Date.now();
	say(`Installing ${missing.join(' and ')} with apt-get (first run on this machine)…`);
	const apt = (args) =>
		run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024,
		});
	apt(['update', '-q']);
	apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
	return { installed: missing, seconds: (Date.now() - t0) / 1000 };
}

/** A throwaway Redis on loopback: no persistence, stopped on exit. */
export async function startRedis({ dir, logFile }) {
	mkdirSync(dir, { recursive: true });
	const port = await freePort(0);
	const child = spawnTracked(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--logfile',
			logFile,
			'--daemonize',
			'no',
		],
		{ stdio: 'ignore' },
	);
	await waitFor(
		() => {
			if (child.exitCode !== null)
				throw Object.assign(new Error(`redis-server exited (${child.exitCode}); see ${logFile}`), {
					fatal: true,
				});
			return pingRedis(port);
		},
		{ timeoutMs: 20_000, intervalMs: 200, what: `redis on port ${port}` },
	);
	return { host: '127.0.0.1', port, child };
}

function pingRedis(port) {
	return new Promise((resolve) => {
		import('node:net').then(({ connect }) => {
			const s = connect(port, '127.0.0.1');
			s.setTimeout(1000, () => (s.destroy(), resolve(false)));
			s.on('error', () => resolve(false));
			s.on('connect', () => s.write('PING\r\n'));
			s.on('data', (d) => {
				s.destroy();
				resolve(d.toString().startsWith('+PONG'));
			});
		});
	});
}

/**
 * A throwaway PostgreSQL cluster on loopback (trust auth, no fsync: test data only).
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres({ dir, logFile }) {
	const bin = pgBinDir();
	if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
	const asPg = isRoot();
	const data = join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	if (asPg) {
		// The postgres user must reach the folder: its parent (a 0700 temp folder) gets traversal only.
		chmodSync(dirname(dir), 0o711);
		const { uid, gid } = pgUser();
		chownSync(dir, uid, gid);
	}
	const as = (exe, args) =>
		asPg ? ['runuser', ['-u', 'postgres', '--', join(bin, exe), ...args]] : [join(bin, exe), args];
	const [c1, a1] = as('initdb', [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
	]);
	run(c1, a1);
	const port = await freePort(0);
	writeFileSync(
		join(dir, 'extra.conf'),
		`listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n`,
	);
	if (asPg) chownSync(join(dir, 'extra.conf'), pgUser().uid, pgUser().gid);
	run(
		asPg ? 'runuser' : 'sh',
		asPg
			? [
					'-u',
					'postgres',
					'--',
					'sh',
					'-c',
					`echo "include '${dir}/extra.conf'" >> ${data}/postgresql.conf`,
				]
			: ['-c', `echo "include '${dir}/extra.conf'" >> ${data}/postgresql.conf`],
	);
	const [c2, a2] = as('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
	if (asPg) {
		writeFileSync(logFile, '');
		chownSync(logFile, pgUser().uid, pgUser().gid);
	}
	run(c2, a2);
	onCleanup(() => {
		const [c3, a3] = as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
		spawnSync(c3, a3, { stdio: 'ignore' });
	});
	return { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', data };
}

let pgIds;
function pgUser() {
	if (!pgIds) {
		pgIds = {
			uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
			gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
		};
	}
	return pgIds;
}

/**
 * The load balancer: a round-robin HTTP proxy on loopback. Start it first (its URL is n8n's
 * WEBHOOK_URL), then `setTargets([...urls])`. `counts` holds the requests each target served.
 */
export async function startProxy() {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	let targets = [];
	let next = 0;
	const counts = {};
	const server = http.createServer((req, res) => {
		if (!targets.length) {
			res.writeHead(502).end('no upstream yet');
			return;
		}
		const target = targets[next++ % targets.length];
		counts[target] = (counts[target] ?? 0) + 1;
		const u = new URL(target);
		const up = http.request(
			{
				host: u.hostname,
				port: u.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
				agent,
			},
			(r) => {
				res.writeHead(r.statusCode ?? 502, r.headers);
				r.pipe(res);
			},
		);
		up.on('error', (e) => {
			if (!res.headersSent) res.writeHead(502);
			res.end(`proxy: ${e.message}`);
		});
		req.pipe(up);
	});
	const port = await freePort(0);
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	onCleanup(
		() =>
			new Promise((r) => {
				agent.destroy();
				server.closeAllConnections?.();
				server.close(() => r());
			}),
	);
	return {
		url: `http://127.0.0.1:${port}`,
		counts,
		setTargets(urls) {
			targets = urls;
		},
	};
}
