import type { IDataObject } from 'n8n-workflow';

import { createHash } from 'crypto';

import {
	DEDUPE_MAX_MEMORY_KEYS,
	DEDUPE_MAX_STORED_KEYS,
	DEDUPE_STORE_INTERVAL_MS,
	DEDUPE_WINDOW_MINUTES,
	forgetProcessMemory,
	recordDelivery,
	refreshStoredDeliveries,
} from '../../nodes/Fiwano/trigger/dedupe';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

/** A copy through JSON, the way n8n stores static data in its database between requests. */
function roundTrip(data: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}

type DedupeModule = typeof import('../../nodes/Fiwano/trigger/dedupe');

/**
 * A separate copy of the module: its memory and process ID are its own, the way a second n8n
 * process (queue mode) or a restarted one has them.
 */
function anotherProcess(): DedupeModule {
	let copy: DedupeModule | undefined;
	jest.isolateModules(() => {
		copy = jest.requireActual<DedupeModule>('../../nodes/Fiwano/trigger/dedupe');
	});
	if (!copy) throw new Error('module not loaded');
	return copy;
}

const SCOPE = 'webhook|wf-1|node-1';

/** One request as n8n runs it: load the saved static data, record, and save if it changed. */
class Database {
	saved: IDataObject = {};

	writes = 0;

	load(): IDataObject {
		return roundTrip(this.saved);
	}

	save(loaded: IDataObject, before: unknown): void {
		if (loaded.seen !== before) {
			this.saved = roundTrip(loaded);
			this.writes += 1;
		}
	}

	request(process: Pick<DedupeModule, 'recordDelivery'>, key: string, now: number): boolean {
		const loaded = this.load();
		const before = loaded.seen;
		const duplicate = process.recordDelivery(loaded, SCOPE, key, now);
		this.save(loaded, before);
		return duplicate;
	}
}

beforeEach(() => forgetProcessMemory());

describe('recordDelivery', () => {
	it('says new the first time and duplicate after, across a save and load of the static data', () => {
		const db = new Database();
		expect(db.request({ recordDelivery }, 'k1', T0)).toBe(false);
		forgetProcessMemory();
		expect(db.request({ recordDelivery }, 'k1', T0 + 30_000)).toBe(true);
		expect(db.request({ recordDelivery }, 'k2', T0 + 30_000)).toBe(false);
	});

	it('covers Fiwano’s 20-minute retry horizon, from memory and from the stored copy alike', () => {
		const db = new Database();
		db.request({ recordDelivery }, 'k1', T0);
		// The retry schedule: 30 s, 1, 2, 2, 2, 2, 2 minutes; hard deadline 20 minutes.
		for (const offset of [0.5, 1.5, 3.5, 5.5, 7.5, 9.5, 11.5, 20, DEDUPE_WINDOW_MINUTES]) {
			expect(db.request({ recordDelivery }, 'k1', T0 + offset * MINUTE)).toBe(true);
			forgetProcessMemory();
		}
	});

	it('forgets keys after the window, in memory and in the static data', () => {
		const db = new Database();
		db.request({ recordDelivery }, 'old', T0);
		const later = T0 + (DEDUPE_WINDOW_MINUTES + 1) * MINUTE;
		expect(db.request({ recordDelivery }, 'new', later)).toBe(false);
		expect(Object.keys((db.saved.seen as IDataObject).m as IDataObject)).toEqual([
			String(Math.floor(later / MINUTE)),
		]);
		expect(db.request({ recordDelivery }, 'old', later)).toBe(false);
	});

	it('keeps every key of 10 events a second for 20 minutes, through a restart too', () => {
		// One static data object stands for the database here: a JSON round trip per request
		// would make this test slow without testing more.
		const data: IDataObject = {};
		const total = 10 * 60 * 20;
		for (let i = 0; i < total; i++) recordDelivery(data, SCOPE, `k${i}`, T0 + i * 100);
		const end = T0 + total * 100;
		let found = 0;
		for (let i = 0; i < total; i++) if (recordDelivery(data, SCOPE, `k${i}`, end)) found += 1;
		expect(found).toBe(total);
		forgetProcessMemory();
		const afterRestart = roundTrip(data);
		found = 0;
		for (let i = 0; i < total; i++)
			if (recordDelivery(afterRestart, SCOPE, `k${i}`, end)) found += 1;
		expect(found).toBe(total);
	});

	it('stores at most DEDUPE_MAX_STORED_KEYS, the newest, while memory keeps more', () => {
		const data: IDataObject = {};
		const total = DEDUPE_MAX_STORED_KEYS + 50;
		for (let i = 0; i < total; i++)
			recordDelivery(data, SCOPE, `k${i}`, T0 + Math.floor(i / 2000) * MINUTE);
		const buckets = (data.seen as { m: Record<string, string> }).m;
		const stored = Object.values(buckets).reduce((n, b) => n + b.length / 11, 0);
		expect(stored).toBe(DEDUPE_MAX_STORED_KEYS);
		const now = T0 + Math.floor((total - 1) / 2000) * MINUTE + DEDUPE_STORE_INTERVAL_MS;
		// A duplicate a second later writes the keys recorded since the last write.
		expect(recordDelivery(data, SCOPE, 'k0', now)).toBe(true);
		forgetProcessMemory();
		expect(recordDelivery(roundTrip(data), SCOPE, `k${total - 1}`, now)).toBe(true);
		expect(recordDelivery(roundTrip(data), SCOPE, 'k0', now)).toBe(false);
	});

	it('leaves the static data untouched for a duplicate (no extra database write)', () => {
		const db = new Database();
		db.request({ recordDelivery }, 'k1', T0);
		expect(db.writes).toBe(1);
		expect(db.request({ recordDelivery }, 'k1', T0 + MINUTE)).toBe(true);
		expect(db.writes).toBe(1);
	});

	it('keeps keys of requests that overlap in one process, whatever order they save in', () => {
		const db = new Database();
		const loadedA = db.load();
		const loadedB = db.load();
		const beforeA = loadedA.seen;
		const beforeB = loadedB.seen;
		expect(recordDelivery(loadedA, SCOPE, 'a', T0)).toBe(false);
		expect(recordDelivery(loadedB, SCOPE, 'b', T0)).toBe(false);
		// A saves last, a copy made before B recorded: the stored copy lacks B's key, but memory
		// has it, and the process's next request (a duplicate here) writes it back.
		db.save(loadedB, beforeB);
		db.save(loadedA, beforeA);
		expect(db.request({ recordDelivery }, 'b', T0 + DEDUPE_STORE_INTERVAL_MS)).toBe(true);
		forgetProcessMemory();
		expect(db.request({ recordDelivery }, 'a', T0)).toBe(true);
		expect(db.request({ recordDelivery }, 'b', T0)).toBe(true);
	});

	it('refreshes the stored copy with keys recorded while a request waited', () => {
		const data: IDataObject = {};
		const other: IDataObject = {};
		recordDelivery(data, SCOPE, 'slow', T0);
		recordDelivery(other, SCOPE, 'meanwhile', T0);
		refreshStoredDeliveries(data, SCOPE, T0);
		forgetProcessMemory();
		expect(recordDelivery(roundTrip(data), SCOPE, 'meanwhile', T0)).toBe(true);
	});

	it('writes the static data at most once a second per process, and memory decides meanwhile', () => {
		const db = new Database();
		expect(db.request({ recordDelivery }, 'k1', T0)).toBe(false);
		expect(db.request({ recordDelivery }, 'k2', T0 + 400)).toBe(false);
		expect(db.request({ recordDelivery }, 'k2', T0 + 500)).toBe(true);
		expect(db.writes).toBe(1);
		expect(db.request({ recordDelivery }, 'k3', T0 + DEDUPE_STORE_INTERVAL_MS)).toBe(false);
		expect(db.writes).toBe(2);
		forgetProcessMemory();
		for (const key of ['k1', 'k2', 'k3'])
			expect(db.request({ recordDelivery }, key, T0 + 5000)).toBe(true);
	});

	it('keeps test listens and each trigger apart', () => {
		const data: IDataObject = {};
		recordDelivery(data, 'webhook|wf-1|node-1', 'k', T0);
		expect(recordDelivery({}, 'manual|wf-1|node-1', 'k', T0)).toBe(false);
		expect(recordDelivery({}, 'webhook|wf-1|node-2', 'k', T0)).toBe(false);
		expect(recordDelivery({}, 'webhook|wf-1|node-1', 'k', T0)).toBe(true);
	});

	it('reads the keys 2.0.0 stored, so an upgrade does not run a retry twice', () => {
		const hash = createHash('sha256').update('k-old').digest('base64').slice(0, 16);
		const minute = Math.floor(T0 / MINUTE);
		const data: IDataObject = { seen: { v: 1, m: { [String(minute)]: [hash] } } };
		expect(recordDelivery(data, SCOPE, 'k-old', T0 + MINUTE)).toBe(true);
		expect(recordDelivery(data, SCOPE, 'k-new', T0 + MINUTE)).toBe(false);
	});

	it('remembers a key to the last minute of the window in memory alone', () => {
		recordDelivery({}, SCOPE, 'k1', T0);
		// No stored copy: only memory can answer.
		expect(recordDelivery({}, SCOPE, 'k1', T0 + DEDUPE_WINDOW_MINUTES * MINUTE)).toBe(true);
		expect(recordDelivery({}, SCOPE, 'k1', T0 + (DEDUPE_WINDOW_MINUTES + 1) * MINUTE)).toBe(false);
	});

	it('forgets the oldest minute first when memory is full', () => {
		// The first keys in one minute, all the others a minute later; nothing is stored between.
		for (let i = 0; i < 10; i++) recordDelivery({}, SCOPE, `old${i}`, T0);
		for (let i = 10; i < DEDUPE_MAX_MEMORY_KEYS; i++)
			recordDelivery({}, SCOPE, `k${i}`, T0 + MINUTE);
		expect(recordDelivery({}, SCOPE, 'old0', T0 + MINUTE)).toBe(true);
		// One key over the bound: the oldest minute goes, the newer one stays.
		expect(recordDelivery({}, SCOPE, 'one-more', T0 + MINUTE)).toBe(false);
		expect(recordDelivery({}, SCOPE, 'k10', T0 + MINUTE)).toBe(true);
		expect(recordDelivery({}, SCOPE, 'old1', T0 + MINUTE)).toBe(false);
	});

	it('stores the newest keys whole minutes first when over the limit', () => {
		const data: IDataObject = {};
		const perMinute = 2000;
		// One minute more than fits, so an older minute is left out entirely.
		const total = DEDUPE_MAX_STORED_KEYS + perMinute + 50;
		for (let i = 0; i < total; i++)
			recordDelivery(data, SCOPE, `k${i}`, T0 + Math.floor(i / perMinute) * MINUTE);
		const buckets = (data.seen as { m: Record<string, string> }).m;
		const stored = Object.values(buckets).reduce((n, b) => n + b.length / 11, 0);
		expect(stored).toBe(DEDUPE_MAX_STORED_KEYS);
		expect(Object.keys(buckets)).not.toContain(String(Math.floor(T0 / MINUTE)));
	});

	it('stores each key once, also after merging a copy that holds it', () => {
		const db = new Database();
		const a = anotherProcess();
		const b = anotherProcess();
		db.request(a, 'k1', T0);
		db.request(b, 'k2', T0);
		db.request(a, 'k3', T0 + DEDUPE_STORE_INTERVAL_MS);
		const minute = String(Math.floor(T0 / MINUTE));
		const hash = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 11);
		expect((db.saved.seen as { m: Record<string, string> }).m).toEqual({
			[minute]: hash('k1') + hash('k2') + hash('k3'),
		});
	});

	it('keeps the marks of writers within the window, its own included, and drops the rest', () => {
		const minute = Math.floor(T0 / MINUTE);
		const oldest = minute - DEDUPE_WINDOW_MINUTES;
		const data: IDataObject = {
			seen: {
				v: 2,
				m: {},
				w: {
					recent: [3, minute],
					edge: [1, oldest],
					gone: [2, oldest - 1],
					notAList: { 1: minute },
					minuteAsText: [1, String(minute)],
				},
			},
		};
		recordDelivery(data, SCOPE, 'k1', T0);
		const w = (data.seen as { w: Record<string, unknown> }).w;
		expect(w.recent).toEqual([3, minute]);
		expect(w.edge).toEqual([1, oldest]);
		// The only other mark is this process's own: one key recorded, this minute.
		const others = Object.entries(w).filter(([id]) => id !== 'recent' && id !== 'edge');
		expect(others).toEqual([[expect.any(String), [1, minute]]]);
	});

	it('does not write for a duplicate it only learnt from another process', () => {
		const db = new Database();
		const a = anotherProcess();
		const b = anotherProcess();
		db.request(a, 'k1', T0);
		const writes = db.writes;
		// B has recorded nothing itself: there is nothing of its own to repair.
		expect(db.request(b, 'k1', T0 + MINUTE)).toBe(true);
		expect(db.writes).toBe(writes);
	});

	it.each([
		['nothing', null],
		['text', 'garbage'],
		['no minutes', { v: 2 }],
		['minutes that are no list', { v: 2, m: 'abc' }],
	])('reads a stored copy holding %s as empty', (_what, seen) => {
		const data: IDataObject = { seen };
		expect(recordDelivery(data, SCOPE, 'k1', T0)).toBe(false);
		expect(recordDelivery({}, SCOPE, 'k1', T0)).toBe(true);
	});

	it('ignores stored minutes that are no number and formats it does not know', () => {
		const minute = String(Math.floor(T0 / MINUTE));
		const hash = createHash('sha256').update('k1').digest('base64url').slice(0, 11);
		expect(recordDelivery({ seen: { v: 2, m: { soon: hash } } }, SCOPE, 'k1', T0)).toBe(false);
		forgetProcessMemory();
		expect(recordDelivery({ seen: { v: 3, m: { [minute]: hash } } }, SCOPE, 'k1', T0)).toBe(false);
		forgetProcessMemory();
		expect(recordDelivery({ seen: { v: 1, m: { [minute]: hash } } }, SCOPE, 'k1', T0)).toBe(false);
		forgetProcessMemory();
		expect(recordDelivery({ seen: { v: 2, m: { [minute]: [hash] } } }, SCOPE, 'k1', T0)).toBe(
			false,
		);
	});

	it('reads 2.0.0 hashes with + and / in them, and skips entries that are no text', () => {
		// k4's base64 hash has both characters that base64url writes differently.
		const old = createHash('sha256').update('k4').digest('base64').slice(0, 16);
		expect(old).toMatch(/\+/);
		expect(old).toMatch(/\//);
		const minute = String(Math.floor(T0 / MINUTE));
		const data: IDataObject = { seen: { v: 1, m: { [minute]: [7, old] } } };
		expect(recordDelivery(data, SCOPE, 'k4', T0 + MINUTE)).toBe(true);
	});

	describe('several n8n processes on one database (queue mode)', () => {
		it('finds a key another process stored', () => {
			const db = new Database();
			const a = anotherProcess();
			const b = anotherProcess();
			expect(db.request(a, 'k1', T0)).toBe(false);
			expect(db.request(b, 'k1', T0 + 30_000)).toBe(true);
		});

		it('writes its keys back when another process saved over them, on its next request', () => {
			const db = new Database();
			const a = anotherProcess();
			const b = anotherProcess();
			// B loads, A records and saves, B records and saves the copy it loaded: A's key is gone.
			const loadedByB = db.load();
			const beforeB = loadedByB.seen;
			expect(db.request(a, 'from-a', T0)).toBe(false);
			expect(b.recordDelivery(loadedByB, SCOPE, 'from-b', T0)).toBe(false);
			db.save(loadedByB, beforeB);
			expect(JSON.stringify(db.saved)).not.toContain(
				createHash('sha256').update('from-a').digest('base64url').slice(0, 11),
			);
			// A's next request, even a duplicate, repairs the stored copy.
			const writes = db.writes;
			expect(db.request(a, 'from-b', T0 + DEDUPE_STORE_INTERVAL_MS)).toBe(true);
			expect(db.writes).toBe(writes + 1);
			const c = anotherProcess();
			expect(db.request(c, 'from-a', T0)).toBe(true);
			expect(db.request(c, 'from-b', T0)).toBe(true);
		});

		it('learns what it loads, so its own later writes keep the other process’s keys', () => {
			const db = new Database();
			const a = anotherProcess();
			const b = anotherProcess();
			db.request(a, 'from-a', T0);
			db.request(b, 'from-b', T0);
			// A saves a copy loaded before B's write; B's key must survive through A's memory…
			const loadedByA = db.load();
			db.saved = {};
			const before = loadedByA.seen;
			a.recordDelivery(loadedByA, SCOPE, 'a-2', T0 + DEDUPE_STORE_INTERVAL_MS);
			db.save(loadedByA, before);
			const c = anotherProcess();
			expect(db.request(c, 'from-b', T0)).toBe(true);
		});
	});
});
