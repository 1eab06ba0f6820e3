import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Messages the package's own nodes send each other over n8n's webhooks, for Send and Wait's
 * "reply in chat": the Fiwano node tells the Fiwano Trigger that a question waits for a reply
 * (`await-reply`), and the trigger hands a matching reply to the waiting execution (`reply`).
 *
 * They are signed with a key derived from the Fiwano API key, which both nodes' credentials
 * hold (whoever has the API key controls the channels anyway), in this header:
 *
 *     X-Fiwano-N8n-Signature: sha256=<hex HMAC-SHA256 of the raw body>
 *
 * Without an API key there is no key: such messages are refused, never accepted unsigned.
 */
export const CONTROL_HEADER = 'x-fiwano-n8n-signature';

/** The body field that marks a control message and names its kind. */
export const CONTROL_FIELD = 'fiwano_n8n';

export type ControlKind = 'await-reply' | 'reply';

function controlKey(apiKey: string): Buffer {
	return createHmac('sha256', apiKey).update('n8n-nodes-fiwano control message v1').digest();
}

/** The header value for a control message's exact body. */
export function signControlMessage(rawBody: string | Buffer, apiKey: string): string {
	return `sha256=${createHmac('sha256', controlKey(apiKey)).update(rawBody).digest('hex')}`;
}

/** Whether `header` is the right signature of `rawBody` for `apiKey`, compared in constant time. */
export function controlSignatureIsValid(
	rawBody: Buffer,
	header: string | string[] | undefined,
	apiKey: string | undefined,
): boolean {
	if (!apiKey || typeof header !== 'string') return false;
	const expected = Buffer.from(signControlMessage(rawBody, apiKey));
	const given = Buffer.from(header.trim());
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The kind of control message a parsed body is, if it is one. */
export function controlKindOf(body: unknown): ControlKind | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const kind = (body as Record<string, unknown>)[CONTROL_FIELD];
	return kind === 'await-reply' || kind === 'reply' ? kind : undefined;
}
