import type { WebhookEvent } from '../../nodes/Fiwano/helpers/types';
import { dedupeKey } from '../../nodes/Fiwano/trigger/events';
import { events } from './fakeFiwano';

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
