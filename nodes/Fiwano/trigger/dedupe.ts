import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * How long a delivery is remembered. Fiwano retries a failed delivery for at most 20 minutes
 * (30 s, 1, 2, 2, 2, 2, 2 minutes, hard deadline 20 minutes); five more minutes cover clock
 * skew between Fiwano and n8n and a slow last attempt.
 */
export const DEDUPE_WINDOW_MINUTES = 25;

/**
 * Upper bound of remembered deliveries, so the workflow's static data (saved by n8n after
 * every webhook call) stays small: about 20 bytes per delivery. Above ~80 events a minute the
 * oldest keys leave before the 25 minutes are over.
 */
export const DEDUPE_MAX_KEYS = 2000;

/** Where the keys live in the node's static data: `{ v: 1, m: { <epoch minute>: [hash, …] } }`. */
export const DEDUPE_FIELD = 'seen';

interface SeenStore {
	v: 1;
	m: Record<string, string[]>;
}

function readStore(staticData: IDataObject): Record<string, string[]> {
	const store = staticData[DEDUPE_FIELD] as Partial<SeenStore> | undefined;
	if (!store || store.v !== 1 || !store.m || typeof store.m !== 'object') return {};
	const buckets: Record<string, string[]> = {};
	for (const [minute, hashes] of Object.entries(store.m)) {
		if (Array.isArray(hashes))
			buckets[minute] = hashes.filter((h): h is string => typeof h === 'string');
	}
	return buckets;
}

/** A short, fixed-size stand-in for a key (96 bits; collisions are not a practical concern). */
function hashKey(key: string): string {
	return createHash('sha256').update(key).digest('base64').slice(0, 16);
}

/**
 * Records a delivery key in the workflow's static data and says whether it was already there.
 *
 * Why static data: n8n 2.41's webhook context offers no data-deduplication helper
 * (`checkProcessedAndRecord` exists only for execute and supply-data contexts), and static
 * data is the one store every n8n process shares: for each production request n8n loads the
 * workflow, static data included, from the database and saves it back after the webhook
 * function returned. A duplicate therefore finds the key whichever process or instance
 * receives it. (n8n 2.41 only saves it if the webhook answers the request itself; see
 * `receive` in receive.ts.)
 *
 * Limits: two deliveries handled at the same moment by different requests both start from
 * the same saved copy and the later save wins, so one of their keys can be lost; the window
 * is bounded by {@link DEDUPE_MAX_KEYS}. Fiwano's retries come 30 seconds or more apart, so
 * neither matters for the retry case this guards against. A duplicate leaves the data
 * unchanged, so it causes no database write.
 */
export function seenBefore(staticData: IDataObject, key: string, nowMs: number): boolean {
	const hash = hashKey(key);
	const minute = Math.floor(nowMs / 60_000);
	const oldest = minute - DEDUPE_WINDOW_MINUTES;
	const buckets = readStore(staticData);
	const kept: Array<[number, string[]]> = Object.entries(buckets)
		.map(([m, hashes]): [number, string[]] => [Number(m), hashes])
		.filter(([m]) => Number.isFinite(m) && m >= oldest)
		.sort((a, b) => a[0] - b[0]);
	if (kept.some(([, hashes]) => hashes.includes(hash))) return true;

	const current = kept.find(([m]) => m === minute);
	if (current) current[1] = [...current[1], hash];
	else kept.push([minute, [hash]]);

	let total = kept.reduce((sum, [, hashes]) => sum + hashes.length, 0);
	while (total > DEDUPE_MAX_KEYS && kept.length > 0) {
		const [, hashes] = kept[0];
		const drop = Math.min(hashes.length, total - DEDUPE_MAX_KEYS);
		if (drop === hashes.length) kept.shift();
		else kept[0][1] = hashes.slice(drop);
		total -= drop;
	}
	const m: Record<string, string[]> = {};
	for (const [bucket, hashes] of kept) m[String(bucket)] = hashes;
	// Assigning a new object (not mutating the old one) marks the static data as changed, so
	// n8n saves it.
	staticData[DEDUPE_FIELD] = { v: 1, m };
	return false;
}
