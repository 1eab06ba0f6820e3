// Quoted replies for the sandbox's inbound messages (webhooks.md, "Replies and quoted messages —
// reply_to"). POST /_sandbox/inbound takes an optional `reply_to` (the quoted message's id); the
// delivered `message.received` then carries `data.reply_to: { message_id }`.
//
// The id is passed on exactly as given, as Fiwano does: the Fiwano UUID of a message the
// business sent, or the provider id (`data.message_id`) of one of the user's earlier messages.
// An id the conversation does not know is passed through too (Fiwano does that when a reply
// beats the record of the quoted send), so tests can also forge a quote. The inbound record
// gets a `quote` (who wrote the quoted message and a snippet of it, or `known: false`) so the
// phone page can draw the quoted block without looking the message up.

const SNIPPET_CHARS = 160;

/** A short, single-paragraph preview of a text (code points, like the API's limits). */
function snippet(text) {
	const flat = String(text ?? '')
		.replace(/\s+/g, ' ')
		.trim();
	const chars = Array.from(flat);
	return chars.length > SNIPPET_CHARS ? `${chars.slice(0, SNIPPET_CHARS - 1).join('')}…` : flat;
}

/** What a sent message looks like in a quote: its text, caption, or media kind. */
function outboundPreview(message) {
	if (message.kind === 'media') {
		const caption = message.caption ? `: ${message.caption}` : '';
		return `${message.media_type ?? 'media'}${caption}`;
	}
	return message.text ?? message.template_name ?? '';
}

/** What a received message looks like in a quote. */
function inboundPreview(record) {
	if (record.type === 'text') return record.text ?? '';
	const kind = record.type === 'unsupported' ? (record.unsupported_type ?? 'media') : record.type;
	return record.text ? `${kind}: ${record.text}` : kind;
}

/**
 * Reads the optional `reply_to` of an inbound control request: a message id string or
 * `{ message_id }`. Returns null when absent (undefined, null or ''), the id otherwise, and
 * throws `fail(422, …)` for anything else.
 */
export function replyToId(value, fail) {
	if (value === undefined || value === null || value === '') return null;
	const id = typeof value === 'object' && !Array.isArray(value) ? value.message_id : value;
	if (typeof id !== 'string' || !id.trim()) {
		throw fail(
			422,
			'reply_to must be the quoted message id: a string, or { "message_id": "<id>" }',
		);
	}
	return id;
}

/**
 * Finds the quoted message in the conversation (this channel and this customer) and describes
 * it for the phone page: `{ message_id, known, author: 'business' | 'customer' | null, text }`.
 */
export function describeQuote(id, { channelId, from, messages, inbound, sameRecipient }) {
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i];
		if (message.message_id !== id) continue;
		if (message.channel_id !== channelId || !sameRecipient(message.recipient, from)) break;
		return {
			message_id: id,
			known: true,
			author: 'business',
			text: snippet(outboundPreview(message)),
		};
	}
	for (let i = inbound.length - 1; i >= 0; i--) {
		const record = inbound[i];
		if (record.message_id !== id) continue;
		if (record.channel_id !== channelId || record.from !== from) break;
		return {
			message_id: id,
			known: true,
			author: 'customer',
			text: snippet(inboundPreview(record)),
		};
	}
	return { message_id: id, known: false, author: null, text: null };
}
