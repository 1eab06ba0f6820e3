import { createHmac } from 'crypto';

import { verifySignature } from '../../nodes/Fiwano/trigger/signature';

const SECRET = 'f'.repeat(16) + '0123456789abcdef0123456789abcdef0123456789abcdef';
const BODY = Buffer.from(
	'{"event":"message.received","channel_id":"a1b2c3d4e5f67890","data":{"text":"Hi"}}',
);

function hex(body: Buffer | string, secret = SECRET): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

describe('verifySignature', () => {
	it('accepts the HMAC-SHA256 of the raw body with the sha256= prefix', () => {
		expect(verifySignature(BODY, `sha256=${hex(BODY)}`, SECRET)).toEqual({ valid: true });
	});

	it('accepts upper-case hex and surrounding spaces (the bytes are what counts)', () => {
		expect(verifySignature(BODY, `  sha256=${hex(BODY).toUpperCase()} `, SECRET)).toEqual({
			valid: true,
		});
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from(BODY.toString().replace('Hi', 'Ho'));
		expect(verifySignature(tampered, `sha256=${hex(BODY)}`, SECRET)).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});

	it('rejects a signature made with another secret', () => {
		expect(
			verifySignature(BODY, `sha256=${hex(BODY, 'another-secret-0123456789')}`, SECRET),
		).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});

	it('rejects a re-serialised body: the signature is over the exact bytes', () => {
		const reformatted = Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 2));
		expect(verifySignature(reformatted, `sha256=${hex(BODY)}`, SECRET).valid).toBe(false);
	});

	it.each([
		['missing', undefined],
		['missing', ''],
	])('rejects a %s header (%p)', (reason, header) => {
		expect(verifySignature(BODY, header, SECRET)).toEqual({ valid: false, reason });
	});

	it.each([
		['no prefix', hex(BODY)],
		['another algorithm', `sha1=${hex(BODY)}`],
		['non-hex characters', `sha256=${'z'.repeat(64)}`],
		['a repeated header', [`sha256=${hex(BODY)}`, `sha256=${hex(BODY)}`]],
	])('rejects a malformed header: %s', (_name, header) => {
		expect(verifySignature(BODY, header, SECRET)).toEqual({ valid: false, reason: 'malformed' });
	});

	it.each([
		['shorter', `sha256=${hex(BODY).slice(0, 62)}`],
		['longer', `sha256=${hex(BODY)}00`],
		['empty', 'sha256='],
	])('rejects a %s signature before comparing', (_name, header) => {
		expect(verifySignature(BODY, header, SECRET)).toEqual({ valid: false, reason: 'length' });
	});
});
