import { sleep } from 'n8n-workflow';

/**
 * Client-side pacing shared by every request to one rate-limit bucket in this n8n process.
 *
 * A bucket is what Fiwano limits: message sends per channel (across all API keys), other
 * requests per API key. The server drives the pacing: `X-RateLimit-Limit` / `-Remaining` /
 * `-Reset` let requests go while the window has room and hold them until it resets, and a
 * `Retry-After` on 429 blocks the whole bucket, so concurrent items wait together instead of
 * each hammering the API. Only a send bucket whose answers never carried rate-limit headers
 * falls back to the documented allowance (10 sends per second per channel), a little under it.
 *
 * Waiting requests are served strictly by ticket: a request keeps the ticket of its first
 * attempt, so an item that was answered 429 and retries goes before items that started after
 * it. Waiters are woken by answers and by one timer per bucket, never by polling.
 */

/** Documented send allowance per channel, used only when the server says nothing. */
export const DOCUMENTED_SENDS_PER_SECOND = 10;

/** Keeps the fallback pace this much under the documented allowance (arrival jitter). */
const FALLBACK_MARGIN = 1.05;

/** Window length assumed until the server's `X-RateLimit-Reset` shows a longer one. */
const DEFAULT_WINDOW_MS = 1000;

/** Buckets idle this long are forgotten (a long-running n8n sees many channels). */
const IDLE_FORGET_MS = 10 * 60_000;

/** A granted start: hand it back with {@link release} when the answer (or failure) arrives. */
export interface Permit {
	readonly bucket: string;
	readonly seq: number;
}

export interface AcquireOptions {
	/** Place in the queue; keep the first attempt's ticket when retrying. See {@link nextTicket}. */
	ticket?: number;
	/** Starts per second allowed while this bucket's answers carry no rate-limit headers. */
	fallbackPerSecond?: number;
}

interface Waiter {
	ticket: number;
	/** 0 when the caller gave none: no pace while the server says nothing. */
	fallbackPerSecond: number;
	grant: (permit: Permit) => void;
}

interface Bucket {
	key: string;
	/** The server's limit per window, from `X-RateLimit-Limit`. */
	limit?: number;
	/** Starts still allowed in the current window (estimate); undefined when unknown. */
	remaining?: number;
	/** When the current window ends, on this machine's clock; undefined when unknown. */
	windowEnd?: number;
	windowMs: number;
	/** Sequence number of the request whose answer `remaining` is based on. */
	infoSeq: number;
	/** Retry-After of a 429: nobody starts before this. */
	blockedUntil: number;
	inFlight: Set<number>;
	sawHeaders: boolean;
	lastStart: number;
	waiters: Waiter[];
	/** Time of the earliest pending wake-up timer; Infinity when none. */
	wakeAt: number;
	lastUsed: number;
}

const buckets = new Map<string, Bucket>();
let seqCounter = 0;
let ticketCounter = 0;
let lookups = 0;

/** A new place in the queues; a request takes one and keeps it across its retries. */
export function nextTicket(): number {
	ticketCounter += 1;
	return ticketCounter;
}

function forgetIdle(now: number): void {
	for (const [key, bucket] of buckets) {
		if (!bucket.waiters.length && !bucket.inFlight.size && now - bucket.lastUsed > IDLE_FORGET_MS) {
			buckets.delete(key);
		}
	}
}

function bucketFor(key: string, now: number): Bucket {
	// Stryker disable next-line AssignmentOperator: counting down meets every thousandth look-up as well (-1000 % 1000 is -0, and -0 === 0)
	lookups += 1;
	if (lookups % 1000 === 0) forgetIdle(now);
	let bucket = buckets.get(key);
	if (!bucket) {
		bucket = {
			key,
			windowMs: DEFAULT_WINDOW_MS,
			infoSeq: 0,
			blockedUntil: 0,
			inFlight: new Set(),
			sawHeaders: false,
			lastStart: -Infinity,
			waiters: [],
			wakeAt: Infinity,
			lastUsed: now,
		};
		buckets.set(key, bucket);
	}
	bucket.lastUsed = now;
	return bucket;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	let value = headers[name];
	if (value === undefined) {
		const wanted = name.toLowerCase();
		const found = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
		// Stryker disable next-line ConditionalExpression: headers[undefined] reads a header named 'undefined', which no answer has
		value = found === undefined ? undefined : headers[found];
	}
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	// Stryker disable next-line ConditionalExpression,LogicalOperator: 'undefined' and 'null' are no number and no date, so both callers answer undefined for them as well
	return value === undefined || value === null ? undefined : String(value);
}

function numberHeader(
	headers: Record<string, unknown> | undefined,
	name: string,
): number | undefined {
	const raw = header(headers, name);
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	return Number.isFinite(value) ? value : undefined;
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
function parseReset(headers: Record<string, unknown> | undefined, now: number): number | undefined {
	const value = numberHeader(headers, 'x-ratelimit-reset');
	if (value === undefined) return undefined;
	return value > 1e9 ? value * 1000 : now + Math.max(0, value) * 1000;
}

/** Moves the bucket into the next window once the current one has ended. */
function rollOver(bucket: Bucket, now: number): void {
	if (bucket.windowEnd === undefined || now < bucket.windowEnd) return;
	const late = now - bucket.windowEnd;
	// Requests still in flight may land in the new window: count them against it.
	bucket.remaining = bucket.limit === undefined ? undefined : bucket.limit - bucket.inFlight.size;
	// Windows are back to back; after a long pause the phase is unknown until the next answer.
	bucket.windowEnd = late < bucket.windowMs ? bucket.windowEnd + bucket.windowMs : undefined;
	bucket.infoSeq = seqCounter;
}

/** Earliest time the next request may start; Infinity when only an answer can tell. */
function readyAt(bucket: Bucket, fallbackPerSecond: number, now: number): number {
	let at = bucket.blockedUntil;
	if (bucket.sawHeaders) {
		// Stryker disable next-line ConditionalExpression: undefined <= 0 is false as well
		if (bucket.remaining !== undefined && bucket.remaining <= 0) {
			if (bucket.windowEnd !== undefined) at = Math.max(at, bucket.windowEnd);
			// Window end unknown: wait for an answer, or probe with one request if none is coming.
			else if (bucket.inFlight.size > 0) at = Infinity;
		}
	} else if (fallbackPerSecond > 0) {
		at = Math.max(at, bucket.lastStart + (1000 / fallbackPerSecond) * FALLBACK_MARGIN);
	}
	// Stryker disable next-line ConditionalExpression,EqualityOperator: pump only asks whether the time is after now, and an earlier one is not
	return at <= now ? now : at;
}

function schedule(bucket: Bucket, at: number, now: number): void {
	if (at >= bucket.wakeAt) return;
	bucket.wakeAt = at;
	// setTimeout fires after 1 ms when asked to wait more than 2^31 - 1 ms (24.8 days): a longer
	// wait (a Retry-After of weeks) takes several timers instead of one every millisecond.
	void sleep(Math.min(2 ** 31 - 1, Math.max(1, Math.ceil(at - now)))).then(() => {
		if (bucket.wakeAt === at) bucket.wakeAt = Infinity;
		pump(bucket);
	});
}

/** Grants starts to waiters, lowest ticket first, as long as the bucket allows. */
function pump(bucket: Bucket): void {
	while (bucket.waiters.length) {
		const now = Date.now();
		rollOver(bucket, now);
		const head = bucket.waiters[0];
		const at = readyAt(bucket, head.fallbackPerSecond, now);
		if (at > now) {
			// Stryker disable next-line ConditionalExpression: schedule ignores Infinity, which is never before wakeAt
			if (Number.isFinite(at)) schedule(bucket, at, now);
			return;
		}
		bucket.waiters.shift();
		seqCounter += 1;
		const seq = seqCounter;
		bucket.inFlight.add(seq);
		if (bucket.remaining !== undefined) bucket.remaining -= 1;
		bucket.lastStart = now;
		bucket.lastUsed = now;
		head.grant({ bucket: bucket.key, seq });
	}
}

/** Waits until a request on `bucketKey` may start; hand the permit back with {@link release}. */
export async function acquire(bucketKey: string, options: AcquireOptions = {}): Promise<Permit> {
	const bucket = bucketFor(bucketKey, Date.now());
	const ticket = options.ticket ?? nextTicket();
	return await new Promise<Permit>((grant) => {
		const waiter: Waiter = { ticket, fallbackPerSecond: options.fallbackPerSecond ?? 0, grant };
		let index = bucket.waiters.length;
		// Stryker disable next-line EqualityOperator: tickets of waiting requests are unique (a retry waits again only after its last wait ended), so > and >= agree
		while (index > 0 && bucket.waiters[index - 1].ticket > ticket) index -= 1;
		bucket.waiters.splice(index, 0, waiter);
		pump(bucket);
	});
}

/** Reads what an answer said about the window into the bucket. */
function learn(
	bucket: Bucket,
	seq: number,
	headers: Record<string, unknown> | undefined,
	now: number,
): void {
	const reported = numberHeader(headers, 'x-ratelimit-remaining');
	if (reported === undefined) return;
	bucket.sawHeaders = true;
	const limit = numberHeader(headers, 'x-ratelimit-limit');
	// Stryker disable next-line ConditionalExpression: undefined > 0 is false as well
	if (limit !== undefined && limit > 0) bucket.limit = limit;
	const resetAt = parseReset(headers, now) ?? now + bucket.windowMs;
	bucket.windowMs = Math.max(bucket.windowMs, resetAt - now);
	// Every request still in flight may yet be counted in this window: one sent later surely,
	// one sent earlier too if it was delayed on its way (answers can overtake each other).
	const estimate = reported - bucket.inFlight.size;
	const tolerance = bucket.windowMs / 2;
	if (bucket.windowEnd === undefined || resetAt > bucket.windowEnd + tolerance) {
		// A window newer than the one we track.
		bucket.windowEnd = resetAt;
		bucket.remaining = estimate;
		bucket.infoSeq = seq;
	} else if (resetAt >= bucket.windowEnd - tolerance) {
		// The window we track: answers arrive late, so keep the latest end seen.
		bucket.windowEnd = Math.max(bucket.windowEnd, resetAt);
		if (seq > bucket.infoSeq || bucket.remaining === undefined) {
			bucket.remaining = estimate;
			bucket.infoSeq = seq;
		} else {
			bucket.remaining = Math.min(bucket.remaining, estimate);
		}
	}
	// Otherwise the answer describes a window that has already ended: nothing to learn.
}

/**
 * Hands a permit back with what the answer said about the limits (pass no headers when the
 * request failed without an answer). `blockMs` blocks the whole bucket (a 429's Retry-After).
 */
export function release(permit: Permit, headers?: Record<string, unknown>, blockMs?: number): void {
	const now = Date.now();
	const bucket = bucketFor(permit.bucket, now);
	bucket.inFlight.delete(permit.seq);
	learn(bucket, permit.seq, headers, now);
	// Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: a block of 0 ms or less ends by now and holds nobody back, so only the undefined check counts
	if (blockMs !== undefined && blockMs > 0) {
		bucket.blockedUntil = Math.max(bucket.blockedUntil, now + blockMs);
	}
	pump(bucket);
}

/** Forgets all pacing state (tests start each case from a clean slate). */
export function resetRateGates(): void {
	buckets.clear();
}
