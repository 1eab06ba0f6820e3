import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { WEBHOOK_EVENT_OPTIONS, WEBHOOK_EVENT_OPTIONS_V1 } from '../descriptions/common';
import type { WebhookEvent } from '../helpers/types';

/** Every event the 1.x package offered (typeVersion 1). */
const EVENTS_V1: string[] = WEBHOOK_EVENT_OPTIONS_V1.map((o) => String(o.value));

/** Every event in the newer docs (typeVersion 2): adds message.echo and conversation.referral. */
const EVENTS_V2: string[] = WEBHOOK_EVENT_OPTIONS.map((o) => String(o.value));

/**
 * The events to put on a channel. An empty selection means "every event" (the 1.x rule), so
 * the channel is subscribed to all of this version's events; Fiwano keeps the ones its type has.
 */
export function eventsToRegister(selected: string[], version: number): string[] {
	const all = version >= 2 ? EVENTS_V2 : EVENTS_V1;
	const chosen = selected.length > 0 ? selected : all;
	return [...new Set(chosen)].sort();
}

/** Whether a delivered event starts the workflow. An empty selection accepts every event. */
export function isSelected(event: string, selected: string[]): boolean {
	return selected.length === 0 || selected.includes(event);
}

/** A delivery body with the envelope every Fiwano event has. */
export function isWebhookEvent(body: unknown): body is WebhookEvent {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
	const candidate = body as IDataObject;
	return typeof candidate.event === 'string' && candidate.event !== '';
}

function sha256(value: Buffer | string): string {
	return createHash('sha256').update(value).digest('hex');
}

/**
 * What makes two deliveries "the same event" for deduplication:
 * - events about a message (received, echo and the status events) are keyed on the channel,
 *   event, `data.message_id` and `data.status` — Fiwano's retries and Meta's redeliveries keep
 *   the message ID, and a `message.read` after a `message.delivered` is a different event;
 * - events without a message ID (`conversation.referral`, or anything unknown) are keyed on
 *   the delivered body itself, which Fiwano's retries send byte for byte.
 */
export function dedupeKey(event: WebhookEvent, rawBody: Buffer | undefined): string {
	const data: IDataObject = event.data && typeof event.data === 'object' ? event.data : {};
	const messageId = data.message_id;
	const channel = typeof event.channel_id === 'string' ? event.channel_id : '';
	if (typeof messageId === 'string' && messageId !== '') {
		const status = typeof data.status === 'string' ? data.status : '';
		return `${channel}|${event.event}|${messageId}|${status}`;
	}
	return `${channel}|${event.event}|body:${sha256(rawBody ?? JSON.stringify(event))}`;
}
