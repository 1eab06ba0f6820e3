import {
	acquire,
	nextTicket,
	parseRetryAfter,
	type Permit,
	release,
	resetRateGates,
} from '../../nodes/Fiwano/transport/rateGate';
import { delay } from '../helpers/node';

/** Rate-limit headers as Fiwano sends them. */
const limits = (limit: number, remaining: number, resetSeconds: number) => ({
	'x-ratelimit-limit': String(limit),
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset': String(resetSeconds),
});

/** Starts acquisitions and records, in order, which were granted. */
function queue(bucket: string, tickets: number[]) {
	const granted: number[] = [];
	const permits = new Map<number, Permit>();
	const all = tickets.map(async (ticket) => {
		const permit = await acquire(bucket, { ticket });
		granted.push(ticket);
		permits.set(ticket, permit);
		return permit;
	});
	return { granted, permits, all: Promise.all(all) };
}

/** Lets every pending promise callback run (no clock involved). */
const settle = async () => await delay(0);

beforeEach(() => resetRateGates());

describe('rate gate', () => {
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
		await settle();
		expect(waiting.granted).toHaveLength(4);
		// The rest start in the next window, in order.
		await waiting.all;
		expect(waiting.granted).toEqual([101, 102, 103, 104, 105, 106]);
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
		await settle();
		expect(waiting.granted).toEqual([]);
		await waiting.all;
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
		await settle();
		expect(waiting.granted).toEqual([1, 2, 3, 4]);
		await waiting.all;
		expect(waiting.granted).toEqual([1, 2, 3, 4, 5]);
	});

	it('keeps the lower count when an older answer for the same window arrives late', async () => {
		const clock = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
		try {
			const older = await acquire('b');
			const newer = await acquire('b');
			// The newer request is answered first: 5 left, minus the older one still in flight.
			release(newer, limits(10, 5, 1));
			// The older one's answer comes 50 ms later, so its reset lands 50 ms after the tracked
			// end: still the same window, and its higher count (the server saw it first) must not
			// hand out allowance the server no longer has.
			clock.mockReturnValue(1_000_050);
			release(older, limits(10, 6, 1));
			const waiting = queue('b', [1, 2, 3, 4, 5]);
			await settle();
			expect(waiting.granted).toEqual([1, 2, 3, 4]);
			clock.mockRestore();
			await waiting.all;
		} finally {
			clock.mockRestore();
		}
	});

	it('serves waiters by ticket, so a retried request keeps its place after Retry-After', async () => {
		const throttled = await acquire('b', { ticket: 5 });
		// The first item is answered 429 with Retry-After: the bucket is blocked for everybody.
		release(throttled, limits(10, 0, 0.05), 50);
		// Items with later tickets queue up meanwhile, in any order; then the first item retries.
		const waiting = queue('b', [9, 7, 8]);
		const retry = acquire('b', { ticket: 5 }).then(() => waiting.granted.push(5));
		await settle();
		expect(waiting.granted).toEqual([]);
		await Promise.all([waiting.all, retry]);
		// The retried item has the earliest ticket: it goes first when the bucket reopens.
		expect(waiting.granted).toEqual([5, 7, 8, 9]);
	});

	it('without rate-limit headers keeps sends to the documented pace, one at a time', async () => {
		const opts = { fallbackPerSecond: 10 };
		const granted: number[] = [];
		const tickets = [nextTicket(), nextTicket(), nextTicket()];
		const all = tickets.map(async (ticket) => {
			const permit = await acquire('channel', { ...opts, ticket });
			granted.push(ticket);
			release(permit, { 'content-type': 'application/json' });
		});
		await settle();
		expect(granted).toEqual([tickets[0]]);
		await Promise.all(all);
		expect(granted).toEqual(tickets);
	});

	it('trusts the server once it sent rate-limit headers, not the documented fallback', async () => {
		const opts = { fallbackPerSecond: 1 };
		const first = await acquire('channel', opts);
		release(first, limits(100, 99, 1));
		const waiting = queue('channel', [1, 2, 3]);
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
			const granted: number[] = [];
			const all = [1, 2].map(async (ticket) => {
				release(await acquire('channel', { ...opts, ticket }));
				granted.push(ticket);
			});
			await settle();
			expect(granted).toEqual([]);
			await Promise.all(all);
			expect(granted).toEqual([1, 2]);
		},
	);

	it('after a long pause, lets one request probe the window and holds the rest for its answer', async () => {
		const t = 1_000_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(t);
		try {
			release(await acquire('b'), limits(1, 0, 0.05));
			// Well past the next window: where windows start is unknown until an answer says so.
			clock.mockReturnValue(t + 5000);
			const probe = queue('b', [1]);
			await settle();
			expect(probe.granted).toEqual([1]);
			const next = queue('b', [2]);
			await settle();
			expect(next.granted).toEqual([]);
			// The probe failed without an answer: nothing is in flight, so the next one may try.
			release((await probe.all)[0]);
			await settle();
			expect(next.granted).toEqual([2]);
		} finally {
			clock.mockRestore();
		}
	});

	it('reads an X-RateLimit-Reset given as epoch seconds', async () => {
		const t = 1_800_000_000_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(t);
		try {
			const first = await acquire('b');
			release(first, limits(10, 0, (t + 50) / 1000));
			const waiting = queue('b', [1]);
			await settle();
			expect(waiting.granted).toEqual([]);
			// The window ends 50 ms after t: from then on the next one starts.
			clock.mockReturnValue(t + 50);
			await waiting.all;
			expect(waiting.granted).toEqual([1]);
		} finally {
			clock.mockRestore();
		}
	});

	it('keeps buckets apart: a blocked channel does not hold back another', async () => {
		const a = await acquire('channel-a');
		release(a, limits(10, 0, 1), 1000);
		const blocked = queue('channel-a', [1]);
		const free = queue('channel-b', [2]);
		await settle();
		expect(blocked.granted).toEqual([]);
		expect(free.granted).toEqual([2]);
		await blocked.all;
	});
});

describe('idle buckets', () => {
	it('forgets a bucket idle for more than ten minutes, and its block with it', async () => {
		const t = 5_000_000;
		const minute = 60_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(t);
		try {
			// Both buckets are blocked a little beyond ten minutes.
			release(await acquire('idle'), undefined, 10 * minute + 60);
			clock.mockReturnValue(t + 1);
			release(await acquire('edge'), undefined, 10 * minute + 60);
			clock.mockReturnValue(t + 10 * minute + 1);
			// Idle buckets are swept on every thousandth look-up.
			for (let i = 0; i < 1000; i++) release(await acquire('busy'));
			const idle = queue('idle', [1]);
			const edge = queue('edge', [2]);
			await settle();
			expect(idle.granted).toEqual([1]);
			// Idle exactly ten minutes: kept, so still blocked.
			expect(edge.granted).toEqual([]);
			clock.mockReturnValue(t + 11 * minute);
			await edge.all;
			expect(edge.granted).toEqual([2]);
		} finally {
			clock.mockRestore();
		}
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
