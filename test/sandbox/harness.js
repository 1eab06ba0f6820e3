// Node-only helpers for the sandbox tests (child processes, servers, timers). Plain JS because
// the package's lint rules forbid these globals and modules in TypeScript, tests included.
// The sandbox is ESM and jest runs tests as CommonJS, so it runs as a child process here.
const { spawn } = require('child_process');
const { createHmac } = require('crypto');
const { createServer } = require('http');
const { join } = require('path');

const SERVER = join(__dirname, 'server.mjs');

/** Starts `node test/sandbox/server.mjs --port 0 --json ...args`; resolves to { url, port, pid, close() }. */
function startSandboxProcess(args = []) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SERVER, '--port', '0', '--json', ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`sandbox did not start in 10 s: ${err || out}`));
		}, 10_000);
		child.stderr.on('data', (chunk) => (err += chunk));
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const line = out.split('\n')[0];
			if (!out.includes('\n')) return;
			clearTimeout(timer);
			const info = JSON.parse(line);
			resolve({
				...info,
				stderr: () => err,
				close: () =>
					new Promise((done) => {
						if (child.exitCode !== null) return done();
						child.once('exit', () => done());
						child.kill('SIGTERM');
					}),
			});
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited with ${code}: ${err}`));
		});
	});
}

/**
 * A webhook receiver on 127.0.0.1 that records every request with its raw body. `respond(req, n)`
 * returns the status for the n-th request (1-based), or 'hang' to never answer.
 */
async function startReceiver(respond = () => 200) {
	const requests = [];
	let handler = respond;
	const hanging = new Set();
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const record = {
				method: req.method,
				url: req.url,
				headers: req.headers,
				raw: raw.toString('utf8'),
			};
			requests.push(record);
			const status = handler(record, requests.length);
			if (status === 'hang') {
				hanging.add(res);
				return;
			}
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: requests.length }));
		});
	});
	await new Promise((done) => server.listen(0, '127.0.0.1', done));
	const port = server.address().port;
	return {
		url: `http://127.0.0.1:${port}/webhook`,
		requests,
		setResponder(fn) {
			handler = fn;
		},
		close: () =>
			new Promise((done) => {
				for (const res of hanging) res.destroy();
				server.close(() => done());
				server.closeAllConnections();
			}),
	};
}

/** Resolves after `ms` milliseconds. */
function delay(ms) {
	return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check()` until it returns a truthy value; rejects with `what` after `timeoutMs`. */
async function waitFor(check, what = 'condition', timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(15);
	}
}

/** `sha256=<hex>` as Fiwano signs a webhook body. */
function signature(secret, raw) {
	return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

module.exports = { startSandboxProcess, startReceiver, delay, waitFor, signature };
