// Node-only test utilities (servers, files, child processes, timers). Kept in plain JS:
// the package's lint rules forbid these globals and modules in TypeScript, tests included.
const { execFileSync } = require('child_process');
const { readFileSync, existsSync } = require('fs');
const { createServer } = require('http');
const { join, resolve } = require('path');

/** The repository root. */
const repoRoot = resolve(__dirname, '..', '..');

/** Credentials the tests use; not secrets (nothing real accepts them). */
const TEST_BASE_URL = 'https://fiwano.test';
const TEST_CREDENTIAL_KEY = 'mip_live_test_key_0123456789';

/** Resolves after `ms` milliseconds. */
function delay(ms) {
	return new Promise((done) => setTimeout(done, ms));
}

/**
 * Starts a loopback HTTP server; `handler(req, res, body)` gets the whole request body.
 * Returns { server, port, url, requests, close() }. `port` may be given to reuse a port.
 */
async function startHttpServer(handler, port = 0) {
	const requests = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			requests.push({ method: req.method, url: req.url, headers: req.headers, body });
			handler(req, res, body);
		});
	});
	await new Promise((done) => server.listen(port, '127.0.0.1', done));
	const actual = server.address().port;
	return {
		server,
		port: actual,
		url: `http://127.0.0.1:${actual}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise((done) => server.close(done));
		},
	};
}

/** Schedules `fn` after `ms` without keeping the process alive. */
function later(ms, fn) {
	setTimeout(fn, ms).unref();
}

/** Files `npm pack` would publish. */
function packedFiles() {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	return JSON.parse(out)[0].files.map((f) => f.path);
}

function readRepoFile(relativePath) {
	return readFileSync(join(repoRoot, relativePath), 'utf8');
}

function repoFileExists(relativePath) {
	return existsSync(join(repoRoot, relativePath));
}

module.exports = {
	repoRoot,
	TEST_BASE_URL,
	TEST_CREDENTIAL_KEY,
	delay,
	later,
	startHttpServer,
	packedFiles,
	readRepoFile,
	repoFileExists,
};
