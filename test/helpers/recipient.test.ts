import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	assertRecipientFits,
	normalizeRecipient,
	readRecipient,
	recipientOrderingKey,
} from '../../nodes/Fiwano/helpers/recipient';
import { UNIT_NODE } from './unitNode';

const NODE = UNIT_NODE;

/** A context whose `recipient` parameter is `value` (and records which name was read). */
function withRecipient(value: unknown) {
	const read: string[] = [];
	const ctx = {
		getNodeParameter: (name: string, _index: number, fallback: unknown) => {
			read.push(name);
			return value === undefined ? fallback : value;
		},
		getNode: () => NODE,
	} as unknown as IExecuteFunctions;
	return { ctx, read };
}

function errorOf(run: () => unknown): NodeOperationError {
	try {
		run();
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('did not throw');
}

describe('readRecipient', () => {
	it.each([
		['  15551234567 ', '15551234567'],
		[15551234567, '15551234567'],
		[0, '0'],
		['+1 (555) 123-4567', '+1 (555) 123-4567'],
	])('reads %p as %p', (value, expected) => {
		expect(readRecipient(withRecipient(value).ctx, 0)).toBe(expected);
	});

	it('reads the recipient parameter unless told another name', () => {
		const { ctx, read } = withRecipient('42');
		readRecipient(ctx, 0);
		expect(read).toEqual(['recipient']);
	});

	it('reads the named parameter', () => {
		const { ctx, read } = withRecipient('42');
		expect(readRecipient(ctx, 0, 'userId')).toBe('42');
		expect(read).toEqual(['userId']);
	});

	it.each([
		[{ a: 1 }, 'Recipient must be text, but it is an object', /not the whole object/],
		[['1'], 'Recipient must be text, but it is a list', /not the whole object/],
		[1.5, 'Recipient 1.5 is not a whole number that can be sent exactly', /String\(/],
		[-3, 'Recipient -3 is not a whole number that can be sent exactly', /String\(/],
		[2 ** 60, `Recipient ${2 ** 60} is not a whole number that can be sent exactly`, /too long/],
		['   ', 'Recipient is empty', /15551234567/],
		[undefined, 'Recipient is empty', /data\.from/],
		[null, 'Recipient is empty', /data\.from/],
		[true, 'Recipient is empty', /IGSID/],
	])('refuses %p', (value, message, description) => {
		const error = errorOf(() => readRecipient(withRecipient(value).ctx, 3));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.description).toMatch(description);
		expect(error.context.itemIndex).toBe(3);
	});
});

describe('normalizeRecipient', () => {
	it.each([
		['+1 (555) 123-4567', 'whatsapp', '15551234567'],
		['+44 20.7946.0958', 'whatsapp', '442079460958'],
		['15551234567', 'whatsapp', '15551234567'],
		['+1 555', 'instagram', '+1 555'],
		['+1 555', 'facebook', '+1 555'],
		['+1 555', undefined, '+1 555'],
		['wa-id abc', 'whatsapp', 'wa-id abc'],
		['+', 'whatsapp', '+'],
		['12 x', 'whatsapp', '12 x'],
		['x 12', 'whatsapp', 'x 12'],
	] as const)('%p on %p is %p', (recipient, type, expected) => {
		expect(normalizeRecipient(recipient, type)).toBe(expected);
	});
});

describe('assertRecipientFits', () => {
	const { ctx } = withRecipient('');

	it.each([
		['6543217890123456', 'instagram'],
		['6543217890123456', 'facebook'],
		['anything+goes', 'whatsapp'],
		['anything', undefined],
	] as const)('accepts %p on %p', (recipient, type) => {
		expect(() => assertRecipientFits(ctx, recipient, type, 0)).not.toThrow();
	});

	it.each([
		[
			'instagram',
			'Recipient "+123" is not a valid IGSID: Instagram recipients are numeric IDs',
			/Use the IGSID/,
		],
		[
			'facebook',
			'Recipient "+123" is not a valid PSID: Messenger recipients are numeric IDs',
			/Use the PSID/,
		],
	] as const)('refuses a non-numeric ID on %p', (type, message, description) => {
		const error = errorOf(() => assertRecipientFits(ctx, '+123', type, 2));
		expect(error.message).toBe(message);
		expect(error.description).toMatch(description);
		expect(error.context.itemIndex).toBe(2);
	});

	it('refuses digits with something after them', () => {
		expect(() => assertRecipientFits(ctx, '123 ', 'instagram', 0)).toThrow(/not a valid IGSID/);
		expect(() => assertRecipientFits(ctx, ' 123', 'facebook', 0)).toThrow(/not a valid PSID/);
	});
});

describe('recipientOrderingKey', () => {
	it.each([
		['+1 (555) 123-4567', '15551234567'],
		['15551234567', '15551234567'],
		['6543217890123456', '6543217890123456'],
		['user name', 'user name'],
	])('keys %p as %p', (value, expected) => {
		expect(recipientOrderingKey(withRecipient(value).ctx, 4)).toBe(expected);
	});

	it('gives a broken recipient a key of its own instead of throwing', () => {
		expect(recipientOrderingKey(withRecipient({}).ctx, 4)).toBe('#item-4');
		expect(recipientOrderingKey(withRecipient('').ctx, 5)).toBe('#item-5');
	});
});
