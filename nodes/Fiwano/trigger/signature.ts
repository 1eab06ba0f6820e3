import { createHmac, timingSafeEqual } from 'crypto';

/** The header Fiwano signs deliveries with. */
export const SIGNATURE_HEADER = 'x-webhook-signature';

const PREFIX = 'sha256=';
/** A SHA-256 digest written as hex. */
const HEX_DIGEST_LENGTH = 64;
const HEX = /^[0-9a-f]+$/i;

export type SignatureFailure = 'missing' | 'malformed' | 'length' | 'mismatch';

export type SignatureCheck = { valid: true } | { valid: false; reason: SignatureFailure };

/**
 * Checks Fiwano's `X-Webhook-Signature: sha256=<hex>` header: the lowercase hex HMAC-SHA256 of
 * the raw request body, keyed with the channel's webhook secret (webhooks.md "Verifying
 * Signatures").
 *
 * - The header must be present exactly once and carry the `sha256=` prefix.
 * - The hex part must be 64 characters; the length is checked before any comparison, so
 *   `timingSafeEqual` only ever compares two 32-byte digests.
 * - The comparison is constant time.
 *
 * There is no "no secret" branch here: a caller that has no secret (manual setup without one)
 * does not call this function and accepts the delivery unsigned, and says so in the editor.
 */
export function verifySignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): SignatureCheck {
	if (header === undefined || header === '') return { valid: false, reason: 'missing' };
	if (Array.isArray(header)) return { valid: false, reason: 'malformed' };
	const value = header.trim();
	if (!value.toLowerCase().startsWith(PREFIX)) return { valid: false, reason: 'malformed' };
	const hex = value.slice(PREFIX.length);
	if (hex.length !== HEX_DIGEST_LENGTH) return { valid: false, reason: 'length' };
	if (!HEX.test(hex)) return { valid: false, reason: 'malformed' };
	// 64 hex digits are 32 bytes, the length of a SHA-256 digest: timingSafeEqual gets equal lengths.
	const received = Buffer.from(hex, 'hex');
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return timingSafeEqual(received, expected)
		? { valid: true }
		: { valid: false, reason: 'mismatch' };
}

/** What the 401 answer says; never the expected value. */
export const SIGNATURE_MESSAGES: Record<SignatureFailure, string> = {
	missing: 'Missing X-Webhook-Signature header',
	malformed: 'Malformed X-Webhook-Signature header (expected sha256=<hex>)',
	length: 'X-Webhook-Signature has the wrong length',
	mismatch: 'Invalid webhook signature',
};
