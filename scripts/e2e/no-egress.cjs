// Preloaded into the e2e's n8n (NODE_OPTIONS=--require …): every outbound TCP connection to an
// address that is not this machine's loopback is refused before it is made, and written as one
// JSON line to $FIWANO_E2E_EGRESS_LOG. The e2e talks only to n8n and the sandbox on 127.0.0.1,
// so the log proves that a check against https://fiwano.com sent nothing out — and nothing can.
// CommonJS on purpose: --require runs before n8n's own (CommonJS) code.
'use strict';
const { appendFileSync } = require('node:fs');
const net = require('node:net');

const LOG = process.env.FIWANO_E2E_EGRESS_LOG;

function isLoopback(host) {
	const h = String(host ?? 'localhost')
		.toLowerCase()
		.replace(/^\[|\]$/g, '');
	return (
		h === 'localhost' ||
		h.endsWith('.localhost') ||
		/^127\.\d+\.\d+\.\d+$/.test(h) ||
		h === '::1' ||
		/^::ffff:127\.\d+\.\d+\.\d+$/.test(h)
	);
}

/** The target of Socket#connect in any of its call forms; undefined for a pipe or socket path. */
function targetOf(args) {
	let first = args[0];
	// net.connect and http agents pass Node's normalized [options, callback] array.
	if (Array.isArray(first)) first = first[0];
	if (first !== null && typeof first === 'object') {
		if (first.path) return undefined;
		return { host: first.host ?? 'localhost', port: first.port };
	}
	if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
	return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

if (LOG) {
	const connect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function guardedConnect(...args) {
		const target = targetOf(args);
		if (target && !isLoopback(target.host)) {
			try {
				appendFileSync(
					LOG,
					`${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, ...target })}\n`,
				);
			} catch {
				// the log is for the e2e's eyes; refusing matters more
			}
			const error = Object.assign(
				new Error(`e2e no-egress guard: connection to ${target.host}:${target.port} refused`),
				{ code: 'ECONNREFUSED' },
			);
			process.nextTick(() => this.destroy(error));
			return this;
		}
		return connect.apply(this, args);
	};
}
