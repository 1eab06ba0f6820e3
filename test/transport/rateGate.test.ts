import {
	acquire,
	type AcquireOptions,
	nextTicket,
	parseRetryAfter,
	type Permit,
	release,
	resetRateGates,
} from '../../nodes/Fiwano/transport/rateGate';

type RateGate = typeof import('../../nodes/Fiwano/transport/rateGate');

/** The fake clock starts here; the tests name times in milliseconds after it. */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Rate-limit headers as Fiwano sends them. */
const limits = (limit: number, remaining: number, resetSeconds: number) => ({
	'x-ratelimit-limit': String(limit),
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset': String(resetSeconds),
});

/**
 * Starts acquisitions in the given order and records which were granted, and when (ms after
 * T0). `gate` is another copy of the module where a test needs one.
 */
function queue(
	bucket: string,
	tickets: number[],
	options: AcquireOptions = {},
	gate: Pick<RateGate, 'acquire'> = { acquire },
) {
	const granted: number[] = [];
	const grantedAt = new Map<number, number>();
	const permits = new Map<number, Permit>();
	for (const ticket of tickets) {
		void gate.acquire(bucket, { ...options, ticket }).then((permit) => {
			granted.push(ticket);
			grantedAt.set(ticket, Date.now() - T0);
			permits.set(ticket, permit);
		});
	}
	const permit = (ticket: number): Permit => {
		const found = permits.get(ticket);
		if (!found) throw new Error(`ticket ${ticket} was not granted`);
		return found;
	};
	return { granted, grantedAt, permit };
}

/** Lets every pending promise callback run without moving the clock. */
const settle = async () => await jest.advanceTimersByTimeAsync(0);

/** Moves the fake clock to `ms` after T0, firing every timer that falls due on the way. */
const clockAt = async (ms: number) => await jest.advanceTimersByTimeAsync(T0 + ms - Date.now());

beforeEach(() => {
	jest.useFakeTimers({ now: T0 });
	resetRateGates();
});

afterEach(() => {
	jest.restoreAllMocks();
	jest.clearAllTimers();
	jest.useRealTimers();
});

describe('rate gate: the window from X-RateLimit headers', () => {
	it('lets through only what the window has left, counting requests still in flight', async () => {
		// Two requests go out before anything is known.
		const first = await acquire('b');
		const second = await acquire('b');
		// The first answer says 5 are left; the second request is still in flight and counts
		// against those 5, so 4 more may start now.
		release(first, limits(10, 5, 1));
		const waiting = queue('b', [101, 102, 103, 104, 105, 106]);
		await settle();
		expect(waiting.granted).toEqual([101, 102, 103, 104]);
		// The second answer was counted by the server before the four started: nothing changes.
		release(second, limits(10, 4, 1));
		await clockAt(999);
		expect(waiting.granted).toHaveLength(4);
		// The rest start when the window ends, in order.
		await clockAt(1000);
		expect(waiting.granted).toEqual([101, 102, 103, 104, 105, 106]);
	});

	it('lets the limit through when the window turns, no more, window after window', async () => {
		release(await acquire('b'), limits(2, 0, 1));
		const waiting = queue('b', [1, 2, 3, 4, 5]);
		await clockAt(999);
		expect(waiting.granted).toEqual([]);
		// The very millisecond the window ends, the next one has room for the limit.
		await clockAt(1000);
		expect(waiting.granted).toEqual([1, 2]);
		// Both fail without an answer: nothing new is known, the next window brings two more.
		release(waiting.permit(1));
		release(waiting.permit(2));
		await clockAt(1999);
		expect(waiting.granted).toEqual([1, 2]);
		await clockAt(2000);
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		expect(waiting.grantedAt.get(3)).toBe(2000);
	});

	it('counts requests still in flight against the next window', async () => {
		const answered = await acquire('b');
		await acquire('b');
		await acquire('b');
		release(answered, limits(3, 0, 1));
		const waiting = queue('b', [1, 2, 3]);
		// Two requests are still out when the window turns: they may land in the new one.
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
	});

	it('does not restart a window from an answer that describes an earlier one', async () => {
		const first = await acquire('b');
		const late = await acquire('b');
		release(first, limits(3, 0, 2));
		const waiting = queue('b', [1]);
		await settle();
		expect(waiting.granted).toEqual([]);
		// An answer whose window ends long before the one we track (reset 0 s from now, while
		// the tracked window ends in 2 s) must not hand out a fresh allowance.
		release(late, limits(3, 2, 0));
		await clockAt(1999);
		expect(waiting.granted).toEqual([]);
		await clockAt(2000);
		expect(waiting.granted).toEqual([1]);
	});

	it('charges an earlier request still in flight when a later answer overtakes it', async () => {
		const earlier = await acquire('b');
		const later = await acquire('b');
		// The later request was answered first: 5 left. The earlier one may not have reached the
		// server yet (it was delayed on its way), so it may still take one of those 5.
		release(later, limits(10, 5, 1));
		const waiting = queue('b', [1, 2, 3, 4, 5]);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		// The earlier answer says the window is used up: the fifth waits for the next window.
		release(earlier, limits(10, 0, 1));
		await clockAt(999);
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		await clockAt(1000);
		expect(waiting.granted).toEqual([1, 2, 3, 4, 5]);
	});

	it('keeps the lower count and the later end when an older answer for the window arrives late', async () => {
		const older = await acquire('b');
		const newer = await acquire('b');
		// The newer request is answered first: 5 left, minus the older one still in flight.
		release(newer, limits(10, 5, 1));
		// The older one's answer comes 50 ms later, so its reset lands 50 ms after the tracked
		// end: still the same window, and its higher count (the server saw it first) must not
		// hand out allowance the server no longer has.
		await clockAt(50);
		release(older, limits(10, 6, 1));
		const waiting = queue('b', [1, 2, 3, 4, 5]);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		// Answers arrive late, so the window ends at the latest end seen.
		await clockAt(1049);
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		await clockAt(1050);
		expect(waiting.granted).toEqual([1, 2, 3, 4, 5]);
	});

	it('lowers the count from an older answer for the same window', async () => {
		const older = await acquire('b');
		const newer = await acquire('b');
		release(newer, limits(10, 5, 1));
		// The older request's answer comes later and reports fewer left than we reckoned.
		await clockAt(50);
		release(older, limits(10, 2, 1));
		const waiting = queue('b', [1, 2, 3, 4]);
		await settle();
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('takes a reset up to half a window after the tracked end as the same window', async () => {
		const older = await acquire('b');
		const newer = await acquire('b');
		release(newer, limits(10, 5, 1));
		// Reset at 1500: half a window after the tracked end of 1000, still the same window.
		await clockAt(500);
		release(older, limits(10, 8, 1));
		const waiting = queue('b', [1, 2, 3, 4, 5, 6, 7, 8]);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		await clockAt(1499);
		expect(waiting.granted).toHaveLength(4);
		await clockAt(1500);
		expect(waiting.granted).toHaveLength(8);
	});

	it('takes a reset more than half a window after the tracked end as a new window', async () => {
		const older = await acquire('b');
		const newer = await acquire('b');
		release(newer, limits(10, 5, 1));
		// Reset at 1501: a window newer than the tracked one, its count replaces ours.
		await clockAt(501);
		release(older, limits(10, 8, 1));
		const waiting = queue('b', [1, 2, 3, 4, 5, 6, 7, 8, 9]);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		await clockAt(1500);
		expect(waiting.granted).toHaveLength(8);
		await clockAt(1501);
		expect(waiting.granted).toHaveLength(9);
	});

	it('takes a reset up to half a window before the tracked end as the same window', async () => {
		const first = await acquire('b');
		const second = await acquire('b');
		release(first, limits(10, 5, 1));
		// The later request's answer: none left, reset at 500, half a window early.
		release(second, limits(10, 0, 0.5));
		const waiting = queue('b', [1]);
		await clockAt(999);
		expect(waiting.granted).toEqual([]);
		// The tracked end stands (the latest seen).
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
	});

	it('ignores an answer whose reset is more than half a window before the tracked end', async () => {
		const first = await acquire('b');
		const second = await acquire('b');
		release(first, limits(10, 5, 1));
		// Reset at 499: a window that has already ended, nothing to learn from it.
		release(second, limits(10, 0, 0.499));
		const waiting = queue('b', [1, 2, 3, 4, 5]);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
	});

	it('does not raise the count from the answer of a request out when the window turned', async () => {
		release(await acquire('b'), limits(3, 1, 1));
		const out = await acquire('b');
		const waiting = queue('b', [1]);
		// The window turns with one request out: 3 - 1 = 2 left, and the waiter takes one.
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
		// The answer of the request that was out reports more than that. The count at the turn
		// already reckoned with it, so the answer may lower the count, never raise it.
		await clockAt(1010);
		release(out, limits(3, 3, 1));
		const more = queue('b', [2, 3]);
		await settle();
		expect(more.granted).toEqual([2]);
	});

	it('raises the count from a newer answer when the requests out at the turn landed in the old window', async () => {
		const answered = await acquire('b');
		const b = await acquire('b');
		const c = await acquire('b');
		release(answered, limits(3, 0, 1));
		const waiting = queue('b', [1, 2, 3]);
		// Two requests are out at the turn and may land in the new window: one of three goes.
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
		// Their answers describe the window that ended (nothing to learn from them)...
		await clockAt(1005);
		release(b, limits(3, 0, 0));
		release(c, limits(3, 0, 0));
		await settle();
		expect(waiting.granted).toEqual([1]);
		// ...and the answer of the one sent since says two are left, which is news.
		await clockAt(1010);
		release(waiting.permit(1), limits(3, 2, 1));
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	it('without X-RateLimit-Limit opens the next window, and a later answer closes it', async () => {
		const counts = (remaining: number) => ({
			'x-ratelimit-remaining': String(remaining),
			'x-ratelimit-reset': '1',
		});
		release(await acquire('b'), counts(1));
		const out = await acquire('b');
		const waiting = queue('b', [1]);
		// The limit is unknown, so the new window's allowance is too: requests go.
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
		// The request out at the turn reports none left (its reset lands on the window tracked).
		await clockAt(1010);
		release(out, counts(0));
		const more = queue('b', [2]);
		await clockAt(2009);
		expect(more.granted).toEqual([]);
		await clockAt(2010);
		expect(more.granted).toEqual([2]);
	});

	it('keeps the last usable X-RateLimit-Limit when an answer says 0', async () => {
		const first = await acquire('b');
		const second = await acquire('b');
		release(first, limits(2, 1, 1));
		release(second, limits(0, 0, 1));
		const waiting = queue('b', [1, 2, 3]);
		await clockAt(999);
		expect(waiting.granted).toEqual([]);
		await clockAt(1000);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('without X-RateLimit-Reset takes the window to end a second after the answer', async () => {
		await clockAt(300);
		release(await acquire('b'), { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0' });
		const waiting = queue('b', [1, 2]);
		await clockAt(1299);
		expect(waiting.granted).toEqual([]);
		await clockAt(1300);
		expect(waiting.granted).toEqual([1]);
		release(waiting.permit(1));
		await clockAt(2299);
		expect(waiting.granted).toEqual([1]);
		await clockAt(2300);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('takes a reset further away than a second as a longer window, also for the next ones', async () => {
		release(await acquire('b'), limits(1, 0, 5));
		const waiting = queue('b', [1, 2]);
		await clockAt(4999);
		expect(waiting.granted).toEqual([]);
		await clockAt(5000);
		expect(waiting.granted).toEqual([1]);
		release(waiting.permit(1));
		await clockAt(9999);
		expect(waiting.granted).toEqual([1]);
		await clockAt(10_000);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('takes a reset sooner than a second as the end of this window only, not a shorter one', async () => {
		release(await acquire('b'), limits(1, 0, 0.5));
		const waiting = queue('b', [1, 2]);
		await clockAt(500);
		expect(waiting.granted).toEqual([1]);
		release(waiting.permit(1));
		await clockAt(1499);
		expect(waiting.granted).toEqual([1]);
		await clockAt(1500);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('reads an X-RateLimit-Reset given as epoch seconds', async () => {
		release(await acquire('b'), limits(10, 0, (T0 + 50) / 1000));
		const waiting = queue('b', [1]);
		await clockAt(49);
		expect(waiting.granted).toEqual([]);
		// The window ends 50 ms after T0: from then on the next one starts.
		await clockAt(50);
		expect(waiting.granted).toEqual([1]);
	});

	it('reads an X-RateLimit-Reset up to 1e9 as seconds from now, a larger one as epoch seconds', async () => {
		// 1e9 seconds from now is 31 years away; 1e9 + 1 epoch seconds is in 2001, long over.
		release(await acquire('far'), limits(10, 0, 1e9));
		release(await acquire('past'), limits(10, 0, 1e9 + 1));
		const far = queue('far', [1]);
		const past = queue('past', [2]);
		await clockAt(MINUTE);
		expect(far.granted).toEqual([]);
		expect(past.granted).toEqual([2]);
	});

	it('after a long pause, lets one request probe the window and holds the rest for its answer', async () => {
		release(await acquire('b'), limits(1, 0, 0.05));
		// Well past the next window: where windows start is unknown until an answer says so.
		await clockAt(5000);
		const probe = queue('b', [1]);
		await settle();
		expect(probe.granted).toEqual([1]);
		const next = queue('b', [2]);
		await clockAt(60_000);
		expect(next.granted).toEqual([]);
		// The probe failed without an answer: nothing is in flight, so the next one may try.
		release(probe.permit(1));
		await settle();
		expect(next.granted).toEqual([2]);
	});

	it('after a long pause, frees no room when a probe fails without an answer', async () => {
		release(await acquire('b'), limits(2, 0, 1));
		await clockAt(5000);
		const probes = queue('b', [1, 2, 3]);
		await settle();
		expect(probes.granted).toEqual([1, 2]);
		// A request that failed without an answer may still have been counted.
		release(probes.permit(1));
		await clockAt(60_000);
		expect(probes.granted).toEqual([1, 2]);
		// Nothing is out any more: the next one may probe.
		release(probes.permit(2));
		await settle();
		expect(probes.granted).toEqual([1, 2, 3]);
	});

	it('after a pause of exactly one window also waits for an answer to learn where windows start', async () => {
		release(await acquire('b'), limits(2, 0, 1));
		// The window ended at 1000; at 2000 the one after it would end as well.
		await clockAt(2000);
		const waiting = queue('b', [1, 2, 3]);
		await settle();
		expect(waiting.granted).toEqual([1, 2]);
		await clockAt(10_000);
		expect(waiting.granted).toEqual([1, 2]);
		// An answer tells where this window ends.
		release(waiting.permit(1), limits(2, 1, 0.5));
		await clockAt(10_499);
		expect(waiting.granted).toEqual([1, 2]);
		await clockAt(10_500);
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	it('after a pause shorter than a window keeps the windows back to back', async () => {
		release(await acquire('b'), limits(2, 0, 1));
		await clockAt(1999);
		// The window from 1000 to 2000 is still on: two more, the third waits for 2000.
		const waiting = queue('b', [1, 2, 3]);
		await settle();
		expect(waiting.granted).toEqual([1, 2]);
		release(waiting.permit(1));
		release(waiting.permit(2));
		await settle();
		expect(waiting.granted).toEqual([1, 2]);
		await clockAt(2000);
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	it('trusts the server once it sent rate-limit headers, not the documented fallback', async () => {
		const opts = { fallbackPerSecond: 1 };
		const first = await acquire('channel', opts);
		release(first, limits(100, 99, 1));
		const waiting = queue('channel', [1, 2, 3], opts);
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	// An unreadable count is no count: the bucket stays as if the answer had no rate-limit headers.
	it.each(['', ' ', 'many'])(
		'sets no limit when X-RateLimit-Remaining is %j',
		async (remaining) => {
			const first = await acquire('b');
			release(first, { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': remaining });
			const waiting = queue('b', [1, 2]);
			await settle();
			expect(waiting.granted).toEqual([1, 2]);
		},
	);

	it.each(['', ' ', 'many'])(
		'keeps the documented pace when X-RateLimit-Remaining is %j',
		async (remaining) => {
			const opts = { fallbackPerSecond: 10 };
			const first = await acquire('channel', opts);
			release(first, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': remaining });
			const waiting = queue('channel', [1], opts);
			await clockAt(104);
			expect(waiting.granted).toEqual([]);
			await clockAt(105);
			expect(waiting.granted).toEqual([1]);
		},
	);
});

describe('rate gate: Retry-After', () => {
	it('serves waiters by ticket, so a retried request keeps its place after Retry-After', async () => {
		const throttled = await acquire('b', { ticket: 5 });
		// The first item is answered 429 with Retry-After: the bucket is blocked for everybody.
		release(throttled, limits(10, 0, 0.05), 50);
		// Items with later tickets queue up meanwhile, in any order; then the first item retries.
		const waiting = queue('b', [9, 7, 8, 5]);
		await clockAt(49);
		expect(waiting.granted).toEqual([]);
		// The retried item has the earliest ticket: it goes first when the bucket reopens.
		await clockAt(50);
		expect(waiting.granted).toEqual([5, 7, 8, 9]);
	});

	it('serves a ticket taken earlier first, even when its request queues later', async () => {
		release(await acquire('b'), undefined, 100);
		const early = nextTicket();
		const order: string[] = [];
		// A request without a ticket takes a new one, later than `early`.
		void acquire('b').then(() => order.push('later'));
		void acquire('b', { ticket: early }).then(() => order.push('early'));
		await clockAt(100);
		expect(order).toEqual(['early', 'later']);
	});

	it('blocks the bucket for a Retry-After without rate-limit headers; a shorter one later does not end it sooner', async () => {
		const first = await acquire('b');
		const second = await acquire('b');
		release(first, undefined, 2000);
		await clockAt(100);
		release(second, undefined, 500);
		const waiting = queue('b', [1, 2]);
		await clockAt(1999);
		expect(waiting.granted).toEqual([]);
		await clockAt(2000);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('lets a longer Retry-After later extend the block', async () => {
		const first = await acquire('b');
		const second = await acquire('b');
		release(first, undefined, 500);
		await clockAt(100);
		release(second, undefined, 2000);
		const waiting = queue('b', [1]);
		await clockAt(2099);
		expect(waiting.granted).toEqual([]);
		await clockAt(2100);
		expect(waiting.granted).toEqual([1]);
	});

	it('blocks the bucket even while the window has room', async () => {
		release(await acquire('b'), limits(10, 9, 60), 300);
		const waiting = queue('b', [1, 2]);
		await clockAt(299);
		expect(waiting.granted).toEqual([]);
		await clockAt(300);
		expect(waiting.granted).toEqual([1, 2]);
	});

	it('keeps buckets apart: a blocked channel does not hold back another', async () => {
		const a = await acquire('channel-a');
		release(a, limits(10, 0, 1), 1000);
		const blocked = queue('channel-a', [1]);
		const free = queue('channel-b', [2]);
		await settle();
		expect(blocked.granted).toEqual([]);
		expect(free.granted).toEqual([2]);
		await clockAt(1000);
		expect(blocked.granted).toEqual([1]);
	});
});

describe('rate gate: the documented pace without rate-limit headers', () => {
	it('keeps sends to the documented pace, a little under it, one at a time', async () => {
		const opts = { fallbackPerSecond: 10 };
		const tickets = [nextTicket(), nextTicket(), nextTicket()];
		const waiting = queue('channel', tickets, opts);
		await settle();
		expect(waiting.granted).toEqual([tickets[0]]);
		release(waiting.permit(tickets[0]), { 'content-type': 'application/json' });
		// 10 per second, 5% under: 105 ms apart.
		await clockAt(104);
		expect(waiting.granted).toEqual([tickets[0]]);
		await clockAt(105);
		expect(waiting.granted).toEqual(tickets.slice(0, 2));
		await clockAt(209);
		expect(waiting.granted).toEqual(tickets.slice(0, 2));
		await clockAt(210);
		expect(waiting.granted).toEqual(tickets);
	});

	it('sets no pace for a fallback of 0 per second', async () => {
		const waiting = queue('channel', [1, 2, 3], { fallbackPerSecond: 0 });
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	it('keeps the pace after a Retry-After ends', async () => {
		const opts = { fallbackPerSecond: 10 };
		release(await acquire('channel', opts), undefined, 1000);
		const waiting = queue('channel', [1, 2], opts);
		await clockAt(999);
		expect(waiting.granted).toEqual([]);
		await clockAt(1000);
		expect(waiting.granted).toEqual([1]);
		await clockAt(1104);
		expect(waiting.granted).toEqual([1]);
		await clockAt(1105);
		expect(waiting.granted).toEqual([1, 2]);
	});
});

describe('rate gate: waking waiters', () => {
	it('wakes all waiters of a bucket with one timer, at the first millisecond they may start', async () => {
		// The window ends at 1000.5 ms.
		release(await acquire('b'), limits(3, 0, 1.0005));
		const waiting = queue('b', [1, 2, 3]);
		await settle();
		expect(jest.getTimerCount()).toBe(1);
		await jest.advanceTimersToNextTimerAsync();
		await settle();
		expect(Date.now() - T0).toBe(1001);
		expect(waiting.granted).toEqual([1, 2, 3]);
	});

	it('waits out a block longer than a timer can wait without waking every millisecond', async () => {
		// setTimeout fires after 1 ms when asked to wait more than 2^31 - 1 ms (24.8 days).
		release(await acquire('b'), undefined, 30 * DAY);
		const waiting = queue('b', [1]);
		// One timer for the longest wait there is...
		await jest.advanceTimersToNextTimerAsync();
		await settle();
		expect(Date.now() - T0).toBe(2 ** 31 - 1);
		expect(waiting.granted).toEqual([]);
		// ...and one for the rest.
		await jest.advanceTimersToNextTimerAsync();
		await settle();
		expect(Date.now() - T0).toBe(30 * DAY);
		expect(waiting.granted).toEqual([1]);
	});

	it('adds no second timer when a timer overtaken by an earlier wake-up fires', async () => {
		const opts = { fallbackPerSecond: 1 };
		const first = await acquire('channel', opts);
		// Paced at 1 per second: the next may start at 1050, a timer is set for then.
		const second = queue('channel', [2], opts);
		// The answer brings rate-limit headers: the window ends at 600, the waiter goes then.
		await clockAt(100);
		release(first, limits(10, 0, 0.5));
		await clockAt(600);
		expect(second.granted).toEqual([2]);
		// Its answer: none left until 1700, and the next request waits for that.
		await clockAt(700);
		release(second.permit(2), limits(10, 0, 1));
		const third = queue('channel', [3], opts);
		// The timer for 1050 fires to no purpose; still one timer waits for 1700.
		await clockAt(1050);
		expect(jest.getTimerCount()).toBe(1);
		await clockAt(1700);
		expect(third.granted).toEqual([3]);
	});
});

describe('idle buckets', () => {
	it('forgets a bucket idle for more than ten minutes, and its block with it', async () => {
		// Both buckets are blocked a little beyond ten minutes.
		release(await acquire('idle'), undefined, 10 * MINUTE + 60);
		await clockAt(1);
		release(await acquire('edge'), undefined, 10 * MINUTE + 60);
		await clockAt(10 * MINUTE + 1);
		// Idle buckets are swept on every thousandth look-up.
		for (let i = 0; i < 1000; i++) release(await acquire('busy'));
		const idle = queue('idle', [1]);
		const edge = queue('edge', [2]);
		await settle();
		expect(idle.granted).toEqual([1]);
		// Idle exactly ten minutes: kept, so still blocked.
		expect(edge.granted).toEqual([]);
		await clockAt(10 * MINUTE + 61);
		expect(edge.granted).toEqual([2]);
	});

	it('keeps an idle bucket while a request waits in it or is still out', async () => {
		// 'waiting': blocked for 20 minutes with a request waiting. 'out': blocked as long, with
		// a request whose answer has not come.
		release(await acquire('waiting'), undefined, 20 * MINUTE);
		const waiter = queue('waiting', [1]);
		await acquire('out');
		release(await acquire('out'), undefined, 20 * MINUTE);
		await clockAt(11 * MINUTE);
		for (let i = 0; i < 1000; i++) release(await acquire('busy'));
		const late = queue('waiting', [2]);
		const again = queue('out', [3]);
		await settle();
		expect([...waiter.granted, ...late.granted, ...again.granted]).toEqual([]);
		await clockAt(20 * MINUTE);
		expect([...waiter.granted, ...late.granted]).toEqual([1, 2]);
		expect(again.granted).toEqual([3]);
	});

	it('sweeps on every thousandth look-up, not on each', async () => {
		// A fresh copy of the module counts look-ups from zero.
		let gate: RateGate | undefined;
		jest.isolateModules(() => {
			gate = jest.requireActual<RateGate>('../../nodes/Fiwano/transport/rateGate');
		});
		if (!gate) throw new Error('module not loaded');
		// Look-ups 1 to 4 (acquire and release look up one each): two buckets blocked 20 minutes.
		gate.release(await gate.acquire('a'), undefined, 20 * MINUTE);
		gate.release(await gate.acquire('b'), undefined, 20 * MINUTE);
		// Look-ups 5 and 6: a third, 5 minutes later.
		await clockAt(5 * MINUTE);
		gate.release(await gate.acquire('c'), undefined, 20 * MINUTE);
		await clockAt(11 * MINUTE);
		// Look-up 7: 'a' has been idle for 11 minutes, but no sweep has come: still blocked.
		const a = queue('a', [1], {}, gate);
		// Look-ups 8 to 999.
		for (let i = 8; i < 1000; i += 2) gate.release(await gate.acquire('busy'));
		// Look-up 1000 sweeps first: 'b' is forgotten with its block; 'c', idle for 6 minutes,
		// is kept (look-up 1001).
		const b = queue('b', [2], {}, gate);
		const c = queue('c', [3], {}, gate);
		await settle();
		expect(a.granted).toEqual([]);
		expect(b.granted).toEqual([2]);
		expect(c.granted).toEqual([]);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

	it.each([
		['120', 120_000],
		['1.5', 1500],
		['0', 0],
		['Wed, 21 Oct 2015 07:28:07 GMT', 7000],
		// A date already past means "now", never a negative wait.
		['Wed, 21 Oct 2015 07:27:00 GMT', 0],
	])('reads Retry-After: %s as %i ms', (value, ms) => {
		expect(parseRetryAfter({ 'Retry-After': value }, now)).toBe(ms);
	});

	it.each([
		[{ 'retry-after': ['7', '9'] }, 7000],
		[{ 'RETRY-AFTER': '3' }, 3000],
		[{ 'retry-after': '-5' }, 0],
		[{ 'retry-after': '0.0004' }, 0],
		[{ 'retry-after': '0.0006' }, 1],
		// The lowercase name wins over another spelling of it.
		[{ 'Retry-After': '1', 'retry-after': '2' }, 2000],
	])('reads %j as %i ms', (headers, ms) => {
		expect(parseRetryAfter(headers, now)).toBe(ms);
	});

	it.each([
		[undefined],
		[{ 'retry-after': [] }],
		[{ 'retry-after': null }],
		[{ 'retry-after': '  ' }],
	])('returns undefined for %j', (headers) => {
		expect(parseRetryAfter(headers, now)).toBeUndefined();
	});

	it.each([[{}], [{ 'retry-after': '' }], [{ 'retry-after': 'soon' }]])(
		'returns undefined for %j',
		(headers) => {
			expect(parseRetryAfter(headers, now)).toBeUndefined();
		},
	);
});
