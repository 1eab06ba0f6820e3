import { sleep } from 'n8n-workflow';

/**
 * Client-side pacing shared by every request made with one API key in this n8n process.
 *
 * The server drives it: `X-RateLimit-Remaining` / `X-RateLimit-Reset` hold requests back
 * when the window is spent, and a `Retry-After` on 429/503 blocks the gate for that long,
 * so concurrent items wait together instead of each hammering the API. Only when a server
 * sends no rate-limit headers at all do sends fall back to the documented per-channel
 * allowance (10 sends per second per channel).
 */
interface GateState {
	remaining?: number;
	resetAt: number;
	blockedUntil: number;
	inFlight: number;
	sawHeaders: boolean;
}

/** Documented send allowance per channel, used only when the server says nothing. */
export const DOCUMENTED_SENDS_PER_SECOND = 10;

const gates = new Map<string, GateState>();
const lastSendStart = new Map<string, number>();

function stateOf(key: string): GateState {
	let state = gates.get(key);
	if (!state) {
		state = { resetAt: 0, blockedUntil: 0, inFlight: 0, sawHeaders: false };
		gates.set(key, state);
	}
	return state;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds.
 * Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
	headers: Record<string, unknown> | undefined,
	now = Date.now(),
): number | undefined {
	const raw = header(headers, 'retry-after');
	if (raw === undefined || raw.trim() === '') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** `X-RateLimit-Reset` as an absolute time: seconds from now, or epoch seconds when large. */
function parseReset(raw: string | undefined, now: number): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) return undefined;
	return value > 1e9 ? value * 1000 : now + value * 1000;
}

async function waitFor(key: string, channelKey: string | undefined): Promise<void> {
	for (;;) {
		const now = Date.now();
		const state = stateOf(key);
		let until = state.blockedUntil;
		if (state.remaining !== undefined) {
			if (state.resetAt <= now) state.remaining = undefined;
			else if (state.remaining <= 0) until = Math.max(until, state.resetAt);
		}
		if (channelKey) {
			const channel = stateOf(channelKey);
			until = Math.max(until, channel.blockedUntil);
			if (!state.sawHeaders) {
				const last = lastSendStart.get(channelKey) ?? 0;
				until = Math.max(until, last + 1000 / DOCUMENTED_SENDS_PER_SECOND);
			}
		}
		if (until <= now) return;
		await sleep(until - now);
	}
}

/** Waits until a request may start, then counts it as in flight. */
export async function acquire(key: string, channelKey?: string): Promise<void> {
	await waitFor(key, channelKey);
	const state = stateOf(key);
	if (state.remaining !== undefined) state.remaining -= 1;
	state.inFlight += 1;
	if (channelKey) lastSendStart.set(channelKey, Date.now());
}

/** Records what the answer said about the limits, and that the request is no longer in flight. */
export function release(
	key: string,
	headers: Record<string, unknown> | undefined,
	blockFor?: { ms: number; channelKey?: string },
): void {
	const now = Date.now();
	const state = stateOf(key);
	state.inFlight = Math.max(0, state.inFlight - 1);
	const remaining = header(headers, 'x-ratelimit-remaining');
	if (remaining !== undefined && Number.isFinite(Number(remaining))) {
		state.sawHeaders = true;
		// Requests already in flight will spend part of what the server says is left.
		state.remaining = Number(remaining) - state.inFlight;
		state.resetAt = parseReset(header(headers, 'x-ratelimit-reset'), now) ?? now + 1000;
	}
	if (blockFor && blockFor.ms > 0) {
		const target = blockFor.channelKey ? stateOf(blockFor.channelKey) : state;
		target.blockedUntil = Math.max(target.blockedUntil, now + blockFor.ms);
	}
}

/** Forgets all pacing state (tests start each case from a clean slate). */
export function resetRateGates(): void {
	gates.clear();
	lastSendStart.clear();
}
