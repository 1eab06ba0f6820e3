import type { IDataObject } from 'n8n-workflow';

import type { WebhookEvent } from '../../nodes/Fiwano/helpers/types';
import {
	DEDUPE_MAX_KEYS,
	DEDUPE_WINDOW_MINUTES,
	seenBefore,
} from '../../nodes/Fiwano/trigger/dedupe';
import { dedupeKey } from '../../nodes/Fiwano/trigger/events';
import { events } from './fakeFiwano';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

/** A copy through JSON, the way n8n stores static data in its database between requests. */
function roundTrip(data: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}

describe('seenBefore', () => {
	it('remembers a key across a save and load of the static data', () => {
		const data: IDataObject = {};
		expect(seenBefore(data, 'k1', T0)).toBe(false);
		const loaded = roundTrip(data);
		expect(seenBefore(loaded, 'k1', T0 + 30_000)).toBe(true);
		expect(seenBefore(loaded, 'k2', T0 + 30_000)).toBe(false);
	});

	it('covers Fiwano’s 20-minute retry horizon', () => {
		const data: IDataObject = {};
		seenBefore(data, 'k1', T0);
		// The retry schedule: 30 s, 1, 2, 2, 2, 2, 2 minutes; hard deadline 20 minutes.
		for (const offset of [0.5, 1.5, 3.5, 5.5, 7.5, 9.5, 11.5, 20]) {
			expect(seenBefore(data, 'k1', T0 + offset * MINUTE)).toBe(true);
		}
	});

	it('forgets keys after the window, so static data does not grow forever', () => {
		const data: IDataObject = {};
		seenBefore(data, 'old', T0);
		expect(seenBefore(data, 'new', T0 + (DEDUPE_WINDOW_MINUTES + 1) * MINUTE)).toBe(false);
		expect(Object.keys((data.seen as IDataObject).m as IDataObject)).toEqual([
			String(Math.floor(T0 / MINUTE) + DEDUPE_WINDOW_MINUTES + 1),
		]);
		expect(seenBefore(data, 'old', T0 + (DEDUPE_WINDOW_MINUTES + 1) * MINUTE)).toBe(false);
	});

	it('keeps at most DEDUPE_MAX_KEYS keys, dropping the oldest first', () => {
		const data: IDataObject = {};
		for (let i = 0; i < DEDUPE_MAX_KEYS + 10; i++)
			seenBefore(data, `k${i}`, T0 + Math.floor(i / 100) * MINUTE);
		const buckets = (data.seen as { m: Record<string, string[]> }).m;
		expect(Object.values(buckets).reduce((n, b) => n + b.length, 0)).toBe(DEDUPE_MAX_KEYS);
		const now = T0 + Math.floor((DEDUPE_MAX_KEYS + 9) / 100) * MINUTE;
		expect(seenBefore(data, `k${DEDUPE_MAX_KEYS + 9}`, now)).toBe(true);
		expect(seenBefore(data, 'k0', now)).toBe(false);
	});

	it('leaves the static data untouched for a duplicate (no extra database write)', () => {
		const data: IDataObject = {};
		seenBefore(data, 'k1', T0);
		const before = data.seen;
		seenBefore(data, 'k1', T0 + MINUTE);
		expect(data.seen).toBe(before);
	});
});

describe('dedupeKey', () => {
	it('keys a message on channel, event, message ID and status, not on the timestamp', () => {
		expect(dedupeKey(events.text() as WebhookEvent, undefined)).toBe(
			'a1b2c3d4e5f67890|message.received|wamid.text1|',
		);
		expect(
			dedupeKey(events.text({ timestamp: '2030-01-01T00:00:00Z' }) as WebhookEvent, undefined),
		).toBe(dedupeKey(events.text() as WebhookEvent, undefined));
		expect(dedupeKey(events.status('message.read') as WebhookEvent, undefined)).toBe(
			'b2c3d4e5f6789012|message.read|a1b2c3d4-e5f6-7890-abcd-ef1234567890|read',
		);
	});

	it('keys an event without a message ID on the exact body', () => {
		const raw = Buffer.from(JSON.stringify(events.conversationReferral()));
		const key = dedupeKey(events.conversationReferral() as WebhookEvent, raw);
		expect(key).toMatch(/^b2c3d4e5f6789012\|conversation\.referral\|body:[0-9a-f]{64}$/);
		expect(
			dedupeKey(events.conversationReferral() as WebhookEvent, Buffer.from(`${raw.toString()} `)),
		).not.toBe(key);
	});
});
