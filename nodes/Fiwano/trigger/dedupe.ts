import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { PROCESS_ID } from '../helpers/processId';

/**
 * How long a delivery is remembered. Fiwano retries a failed delivery for at most 20 minutes
 * (30 s, 1, 2, 2, 2, 2, 2 minutes, hard deadline 20 minutes); five more minutes cover clock
 * skew between Fiwano and n8n and a slow last attempt.
 */
export const DEDUPE_WINDOW_MINUTES = 25;

/**
 * Most keys written to the workflow's static data: 30,000 keys cover 20 events a second for the
 * whole window (Fiwano's limit for one channel's sends is 10 a second, and each send brings up to
 * three status events). At 11 characters a key that is about 330 KB, which n8n writes at most
 * once a second per process (DEDUPE_STORE_INTERVAL_MS); the oldest keys go first.
 */
export const DEDUPE_MAX_STORED_KEYS = 30_000;

/** Most keys one process remembers per trigger: a safety bound far above any real channel. */
export const DEDUPE_MAX_MEMORY_KEYS = 200_000;

/**
 * How often one process writes its keys to the static data at most. Every write is a database
 * write n8n makes before the execution starts, so writing per delivery slowed every event;
 * memory decides in the process anyway. What the interval risks: a key recorded less than a
 * second before n8n stops, or before another process (queue mode) gets the same delivery.
 */
export const DEDUPE_STORE_INTERVAL_MS = 1000;

/** Where the keys live in the node's static data. */
export const DEDUPE_FIELD = 'seen';

/** Characters of a key's hash that are stored: 66 bits of SHA-256, base64url. */
const HASH_LENGTH = 11;

const MINUTE_MS = 60_000;

/**
 * The stored form: `m` holds, per epoch minute, the hashes recorded in that minute written one
 * after another; `w` holds, per n8n process that wrote, how many keys it had recorded then and
 * when (`[count, minute]`). The 2.0.0 form (`v: 1`, arrays of 16-character hashes) is still read.
 */
interface StoredKeys {
	v: 2;
	m: Record<string, string>;
	w: Record<string, [number, number]>;
}

/** The keys one process recorded or learnt in one minute. */
interface Bucket {
	hashes: string[];
	/** `hashes` written one after another, kept until the bucket changes. */
	joined?: string;
}

/** What this n8n process knows about one trigger's deliveries. */
interface ProcessMemory {
	/** Hash → the minute it was recorded in. */
	keys: Map<string, number>;
	/** The same keys by minute, for writing them out and forgetting them a minute at a time. */
	buckets: Map<number, Bucket>;
	/** Keys recorded by this process itself, ever: compared with `w` to spot lost writes. */
	recorded: number;
	/** Per minute, the stored bucket last merged or written, so an unchanged bucket is skipped. */
	mergedBuckets: Map<number, string>;
	/** Epoch ms this process last wrote the keys to the static data. */
	storedAt: number;
}

/** One memory per trigger (and per mode: a test listen must not share production's keys). */
const memories = new Map<string, ProcessMemory>();

function memoryFor(scope: string): ProcessMemory {
	let memory = memories.get(scope);
	if (!memory) {
		memory = {
			keys: new Map(),
			buckets: new Map(),
			recorded: 0,
			mergedBuckets: new Map(),
			storedAt: Number.NEGATIVE_INFINITY,
		};
		memories.set(scope, memory);
	}
	return memory;
}

/**
 * Forgets what this process remembered, as a restart of n8n does. The static data, and so the
 * keys of the last writes, survive it.
 */
export function forgetProcessMemory(): void {
	memories.clear();
}

/** A short, fixed-size stand-in for a key (66 bits; a false match is not a practical concern). */
function hashKey(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, HASH_LENGTH);
}

function dropBucket(memory: ProcessMemory, minute: number): void {
	// Stryker disable next-line OptionalChaining,ArrayDeclaration: both callers pass a minute that has a bucket
	for (const hash of memory.buckets.get(minute)?.hashes ?? []) memory.keys.delete(hash);
	memory.buckets.delete(minute);
	memory.mergedBuckets.delete(minute);
}

function prune(memory: ProcessMemory, oldest: number): void {
	for (const minute of [...memory.buckets.keys()]) if (minute < oldest) dropBucket(memory, minute);
	// Stryker disable ArrayDeclaration,ConditionalExpression,EqualityOperator: mergedBuckets only lets mergeStored skip a bucket it read already; mergeStored skips old minutes itself and remember() ignores known keys, so this only frees memory
	for (const minute of [...memory.mergedBuckets.keys()])
		if (minute < oldest) memory.mergedBuckets.delete(minute);
	// Stryker restore ArrayDeclaration,ConditionalExpression,EqualityOperator
}

function remember(memory: ProcessMemory, hash: string, minute: number): void {
	if (memory.keys.has(hash)) return;
	if (memory.keys.size >= DEDUPE_MAX_MEMORY_KEYS) {
		dropBucket(memory, Math.min(...memory.buckets.keys()));
	}
	memory.keys.set(hash, minute);
	const bucket = memory.buckets.get(minute);
	if (bucket) {
		bucket.hashes.push(hash);
		bucket.joined = undefined;
	} else {
		memory.buckets.set(minute, { hashes: [hash] });
	}
}

/** Adds what another writer stored (another process, or this one before a restart) to memory. */
function mergeStored(memory: ProcessMemory, stored: unknown, oldest: number): void {
	if (!stored || typeof stored !== 'object') return;
	const { v, m } = stored as { v?: unknown; m?: unknown };
	if (!m || typeof m !== 'object') return;
	for (const [key, bucket] of Object.entries(m as Record<string, unknown>)) {
		const minute = Number(key);
		if (!Number.isInteger(minute) || minute < oldest) continue;
		if (v === 2 && typeof bucket === 'string') {
			if (memory.mergedBuckets.get(minute) === bucket) continue;
			for (let i = 0; i + HASH_LENGTH <= bucket.length; i += HASH_LENGTH) {
				remember(memory, bucket.slice(i, i + HASH_LENGTH), minute);
			}
			memory.mergedBuckets.set(minute, bucket);
		} else if (v === 1 && Array.isArray(bucket)) {
			// 2.0.0 stored 16 characters of base64 (not base64url) of the same hash.
			for (const old of bucket) {
				if (typeof old === 'string')
					remember(memory, toBase64Url(old).slice(0, HASH_LENGTH), minute);
			}
		}
	}
}

function toBase64Url(base64: string): string {
	return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

/** Whether the stored copy lacks keys this process recorded (another writer saved over them). */
function storedCopyIsBehind(memory: ProcessMemory, stored: unknown): boolean {
	if (memory.recorded === 0) return false;
	const writers = (stored as Partial<StoredKeys> | undefined)?.w;
	const mine = writers && typeof writers === 'object' ? writers[PROCESS_ID] : undefined;
	return !Array.isArray(mine) || mine[0] !== memory.recorded;
}

/** Everything this process knows, the newest keys when over the stored limit. */
function storedForm(
	memory: ProcessMemory,
	stored: unknown,
	minute: number,
	oldest: number,
): StoredKeys {
	const m: Record<string, string> = {};
	let room = DEDUPE_MAX_STORED_KEYS * HASH_LENGTH;
	for (const bucketMinute of [...memory.buckets.keys()].sort((a, b) => b - a)) {
		if (room <= 0) break;
		const bucket = memory.buckets.get(bucketMinute) as Bucket;
		bucket.joined ??= bucket.hashes.join('');
		// Stryker disable next-line ConditionalExpression,EqualityOperator: room is above 0 here, and slice(-room) of a string no longer than room is the whole string
		const text = bucket.joined.length > room ? bucket.joined.slice(-room) : bucket.joined;
		room -= text.length;
		m[String(bucketMinute)] = text;
		memory.mergedBuckets.set(bucketMinute, text);
	}
	const w: Record<string, [number, number]> = {};
	const writers = (stored as Partial<StoredKeys> | undefined)?.w;
	if (writers && typeof writers === 'object') {
		for (const [id, mark] of Object.entries(writers)) {
			if (Array.isArray(mark) && typeof mark[1] === 'number' && mark[1] >= oldest) w[id] = mark;
		}
	}
	w[PROCESS_ID] = [memory.recorded, minute];
	return { v: 2, m, w };
}

function window(nowMs: number): { minute: number; oldest: number } {
	const minute = Math.floor(nowMs / MINUTE_MS);
	return { minute, oldest: minute - DEDUPE_WINDOW_MINUTES };
}

/**
 * Records a delivery and says whether it is a duplicate: `true` when the key was recorded
 * before within {@link DEDUPE_WINDOW_MINUTES}, by this n8n process or by any process whose
 * write reached the static data this request loaded.
 *
 * Two stores, because neither is exact alone:
 * - This process's memory decides. n8n loads the workflow's static data once per request and
 *   saves it whole after the webhook answered, so two deliveries that overlap (or follow each
 *   other faster than the save) load copies without each other's keys; memory has them all, and
 *   the check and the record happen in one synchronous step, so no two requests in a process
 *   can both see a key as new.
 * - The static data (`scope`'s node data) carries the keys across restarts and to other
 *   processes. Each write holds everything this process knows, so the last writer in a process
 *   never drops another request's key; keys another process stored are merged into memory on
 *   the way in. When another writer saved over this process's keys (two processes in queue
 *   mode), the next request this process handles, a duplicate included, writes them back.
 *
 * Writes happen at most once per {@link DEDUPE_STORE_INTERVAL_MS} per process; a request
 * that is not due leaves the static data alone, so n8n does not write it. A duplicate changes
 * nothing either, unless a repair is due.
 */
export function recordDelivery(
	staticData: IDataObject,
	scope: string,
	key: string,
	nowMs: number,
): boolean {
	const { minute, oldest } = window(nowMs);
	const memory = memoryFor(scope);
	prune(memory, oldest);
	const stored = staticData[DEDUPE_FIELD];
	mergeStored(memory, stored, oldest);

	const hash = hashKey(key);
	const duplicate = memory.keys.has(hash);
	if (!duplicate) {
		remember(memory, hash, minute);
		memory.recorded += 1;
	}
	const due = nowMs - memory.storedAt >= DEDUPE_STORE_INTERVAL_MS;
	if (due && (!duplicate || storedCopyIsBehind(memory, stored))) {
		// A new object (not a change inside the old one) marks the static data as changed, so
		// n8n saves it.
		staticData[DEDUPE_FIELD] = storedForm(memory, stored, minute, oldest);
		memory.storedAt = nowMs;
	}
	return duplicate;
}

/**
 * Writes everything this process knows into the static data again. For a request that wrote and
 * then waited (a media download, a reply handed to its execution) before returning: n8n saves
 * the static data only after the webhook returns, so without this the save would drop the keys
 * other requests recorded meanwhile.
 */
export function refreshStoredDeliveries(
	staticData: IDataObject,
	scope: string,
	nowMs: number,
): void {
	const { minute, oldest } = window(nowMs);
	const memory = memoryFor(scope);
	staticData[DEDUPE_FIELD] = storedForm(memory, staticData[DEDUPE_FIELD], minute, oldest);
	memory.storedAt = nowMs;
}
