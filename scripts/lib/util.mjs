// Small helpers shared by the real-n8n scripts (demo, e2e, speed): waiting with deadlines,
// free ports, JSON over fetch, and stopping every child process we started.
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `fn` until it returns a truthy value (which is returned) or `timeoutMs` passes.
 * Errors thrown by `fn` count as "not yet" (the last one is included in the timeout error),
 * except errors with `fatal: true`, which end the wait at once.
 */
export async function waitFor(
	fn,
	{ timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
		} catch (error) {
			if (error?.fatal) throw error;
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const why = lastError ? ` (last error: ${lastError.message})` : '';
			throw new Error(
				`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`,
			);
		}
		await sleep(intervalMs);
	}
}

function tryListen(port, host) {
	return new Promise((resolve) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', () => resolve(null));
		srv.listen(port, host, () => {
			const { port: got } = srv.address();
			srv.close(() => resolve(got));
		});
	});
}

/** Returns `preferred` if it is free on 127.0.0.1, otherwise any free port. */
export async function freePort(preferred = 0, host = '127.0.0.1') {
	if (preferred) {
		const got = await tryListen(preferred, host);
		if (got) return got;
	}
	return await tryListen(0, host);
}

/** fetch with a timeout; returns { status, headers, text, json }. Never throws on HTTP status. */
export async function httpJson(
	url,
	{ method = 'GET', body, headers = {}, timeoutMs = 15_000 } = {},
) {
	const res = await fetch(url, {
		method,
		headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

const children = new Set();
let hooksInstalled = false;

function killTree(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		// Children are started detached (own process group), so this reaches their own children too.
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Stops one tracked child: SIGTERM to its process group, SIGKILL after `graceMs`. */
export async function stopChild(child, graceMs = 8_000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise((r) => child.once('exit', r));
	killTree(child, 'SIGTERM');
	const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	children.delete(child);
}

const cleanups = [];

/** Registers an async cleanup that runs (once, in reverse order) on exit, Ctrl-C or a crash. */
export function onCleanup(fn) {
	cleanups.push(fn);
	installHooks();
}

let cleaning;
/** True once cleanup has started (Ctrl-C or the end of a script): exits seen now are expected. */
export const isShuttingDown = () => Boolean(cleaning);

export async function cleanupAll() {
	if (!cleaning) {
		cleaning = (async () => {
			while (cleanups.length) {
				const fn = cleanups.pop();
				try {
					await fn();
				} catch (error) {
					process.stderr.write(`cleanup: ${error.message}\n`);
				}
			}
			await Promise.all([...children].map((c) => stopChild(c)));
		})();
	}
	return cleaning;
}

function installHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	// Last resort on a synchronous exit: kill whatever is still running, without waiting.
	process.on('exit', () => {
		for (const c of children) killTree(c, 'SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			process.stderr.write(`\n${sig}: stopping everything this script started…\n`);
			cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
		});
	}
}

/** spawn() in its own process group, tracked so it is always stopped when we exit. */
export function spawnTracked(cmd, args, opts = {}) {
	installHooks();
	const child = spawn(cmd, args, { ...opts, detached: true });
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** A tiny progress reporter: `step('Starting n8n')` … `done()`; prints elapsed seconds. */
export function progress(prefix = '') {
	const t0 = Date.now();
	return {
		step(msg) {
			const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
			process.stdout.write(`${prefix}[${s}s] ${msg}\n`);
		},
		elapsed: () => (Date.now() - t0) / 1000,
	};
}
