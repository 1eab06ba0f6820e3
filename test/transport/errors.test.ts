import type { ApiErrorFacts } from '../../nodes/Fiwano/transport/errors';
import { apiError, sendFailedError } from '../../nodes/Fiwano/transport/errors';
import type { SendResponse } from '../../nodes/Fiwano/helpers/types';
import { UNIT_NODE } from '../helpers/unitNode';

/** The facts of a plain GET answered once, with what the case changes. */
const facts = (extra: Partial<ApiErrorFacts>): ApiErrorFacts => ({
	status: 400,
	method: 'GET',
	path: '/channels/c1',
	body: {},
	attempts: 1,
	...extra,
});

const HINT_400 = 'Fiwano rejected the request: check the fields named in the detail.';

describe('apiError', () => {
	it.each([
		['a string', 'Channel is inactive', 'Fiwano 400: Channel is inactive'],
		['a number', 42, 'Fiwano 400: 42'],
		['null', null, 'Fiwano 400'],
		['an empty string', '', 'Fiwano 400'],
		[
			'field errors with and without a location',
			[
				{ loc: ['body', 'media_url'], msg: 'must be https' },
				{ loc: 'body', msg: 'bad' },
				{ type: 'missing' },
				'plain',
				null,
			],
			'Fiwano 400: body.media_url: must be https; bad; {"type":"missing"}; plain; null',
		],
		[
			'an object with a message',
			{ message: 'No free slot', code: 'no_slot' },
			'Fiwano 400: No free slot',
		],
		['an object with only a code', { code: 'no_slot', message: 7 }, 'Fiwano 400: no_slot'],
		[
			'an object with a reason',
			{ message: 'Channel is inactive', reason: 'disconnected' },
			'Fiwano 400: Channel is inactive (disconnected)',
		],
		[
			'an object whose message names its reason',
			{ message: 'Channel is disconnected', reason: 'disconnected' },
			'Fiwano 400: Channel is disconnected',
		],
		['an object with only a reason', { reason: 'disconnected' }, 'Fiwano 400: (disconnected)'],
		[
			'an object with nothing readable',
			{ reason: 3, fields: ['a'] },
			'Fiwano 400: {"reason":3,"fields":["a"]}',
		],
	])('writes a detail that is %s into the message', (_shape, detail, message) => {
		const error = apiError(UNIT_NODE, facts({ body: { detail } }));
		expect(error.message).toBe(message);
		expect(error.context.detail).toEqual(detail);
	});

	it('names no detail when the body has none', () => {
		const error = apiError(UNIT_NODE, facts({ body: { error: 'x' } }));
		expect(error.message).toBe('Fiwano 400');
		expect(error.context.detail).toBeUndefined();
	});

	it('takes a text body as the detail and keeps no body fields', () => {
		const error = apiError(UNIT_NODE, facts({ status: 500, body: 'Internal Server Error' }));
		expect(error.message).toBe('Fiwano 500: Internal Server Error');
		expect(error.context.detail).toBe('Internal Server Error');
		expect(error.errorResponse).toEqual({ httpCode: '500' });
	});

	it('keeps the body, status, request and item index, with the status hint', () => {
		const error = apiError(
			UNIT_NODE,
			facts({ method: 'POST', path: '/messages/send', body: { detail: 'Bad', extra: 1 } }),
			4,
		);
		expect(error.httpCode).toBe('400');
		expect(error.description).toBe(HINT_400);
		expect(error.errorResponse).toEqual({ detail: 'Bad', extra: 1, httpCode: '400' });
		expect(error.context).toEqual({
			itemIndex: 4,
			status: 400,
			detail: 'Bad',
			code: undefined,
			hint: HINT_400,
			retryAfter: undefined,
			request: 'POST /messages/send',
			location: undefined,
		});
	});

	it('puts Fiwano’s own hint and code first, before the status hint', () => {
		const detail = { code: 'inactive', message: 'Channel is inactive', hint: 'Reconnect it.' };
		const error = apiError(UNIT_NODE, facts({ body: { detail } }));
		expect(error.description).toBe(`Reconnect it. ${HINT_400}`);
		expect(error.context.code).toBe('inactive');
		expect(error.context.hint).toBe('Reconnect it.');
	});

	it('ignores a hint or code of a detail that is a list', () => {
		const detail = [{ msg: 'bad' }];
		Object.assign(detail, { hint: 'not this', code: 'not this' });
		const error = apiError(UNIT_NODE, facts({ body: { detail } }));
		expect(error.description).toBe(HINT_400);
		expect(error.context.code).toBeUndefined();
	});

	it('ignores a hint that is not text', () => {
		const error = apiError(UNIT_NODE, facts({ body: { detail: { message: 'x', hint: 5 } } }));
		expect(error.description).toBe(HINT_400);
		expect(error.context.hint).toBe(HINT_400);
	});

	it('tells how to split text that is too long, first', () => {
		const detail = {
			code: 'text_too_long',
			message: 'Text too long',
			max_length: 2000,
			channel_type: 'facebook',
			hint: 'Split it.',
		};
		const error = apiError(UNIT_NODE, facts({ body: { detail } }));
		const split =
			'The facebook limit is 2000 characters; set the Fiwano node\'s Long Text option (node version 2) to "Split Into Several Messages".';
		expect(error.description).toBe(`${split} Split it. ${HINT_400}`);
		expect(error.context.hint).toBe(split);
	});

	it('names the channel generically when a too-long answer has no channel type', () => {
		const detail = { code: 'text_too_long', message: 'Text too long', max_length: 1000 };
		const error = apiError(UNIT_NODE, facts({ body: { detail } }));
		expect(error.description).toMatch(/^The channel limit is 1000 characters;/);
	});

	it('adds no split advice without a numeric limit or for another code', () => {
		for (const detail of [
			{ code: 'text_too_long', message: 'Text too long', max_length: '1000' },
			{ code: 'other', message: 'Text too long', max_length: 1000 },
		]) {
			expect(apiError(UNIT_NODE, facts({ body: { detail } })).description).toBe(HINT_400);
		}
	});

	it('gives no description for a status without a hint', () => {
		const error = apiError(UNIT_NODE, facts({ status: 418, body: { detail: 'teapot' } }));
		expect(error.context.hint).toBeUndefined();
		// n8n falls back to the body's detail when the description is empty.
		expect(error.description).toBe('teapot');
	});

	it('rounds Retry-After up to whole seconds and counts the attempts', () => {
		const error = apiError(
			UNIT_NODE,
			facts({ status: 418, body: {}, retryAfterMs: 1500, attempts: 3 }),
		);
		expect(error.description).toBe('Retry-After: 2 s. Gave up after 3 attempts.');
		expect(error.context.retryAfter).toBe(2);
	});

	it('keeps a Retry-After of zero', () => {
		const error = apiError(UNIT_NODE, facts({ status: 418, body: {}, retryAfterMs: 0 }));
		expect(error.description).toBe('Retry-After: 0 s.');
		expect(error.context.retryAfter).toBe(0);
	});

	it('does not count a single attempt', () => {
		const error = apiError(UNIT_NODE, facts({ status: 410, body: {}, attempts: 1 }));
		expect(error.description).not.toMatch(/Gave up/);
		expect(apiError(UNIT_NODE, facts({ status: 410, attempts: 2 })).description).toMatch(
			/ Gave up after 2 attempts\.$/,
		);
	});

	it.each([300, 399])('explains a redirect (%i) and names where it pointed', (status) => {
		const error = apiError(
			UNIT_NODE,
			facts({ status, method: 'POST', location: 'https://elsewhere.test/x' }),
		);
		expect(error.description).toBe(
			"Fiwano's API does not redirect, so the request was not sent on to https://elsewhere.test/x: set the Base URL in the Fiwano credential to the address the API answers on (https://fiwano.com unless you use a sandbox).",
		);
		expect(error.context.location).toBe('https://elsewhere.test/x');
	});

	it('explains a redirect without a Location', () => {
		const error = apiError(UNIT_NODE, facts({ status: 302 }));
		expect(error.description).toMatch(
			/^Fiwano's API does not redirect, so the request was not sent on: set/,
		);
	});

	it.each([299, 400])('does not call %i a redirect', (status) => {
		const error = apiError(UNIT_NODE, facts({ status, location: 'https://elsewhere.test/x' }));
		expect(error.description ?? '').not.toMatch(/redirect/);
	});
});

describe('sendFailedError', () => {
	const failed = (extra: Partial<SendResponse>): SendResponse =>
		({ success: false, status: 'failed', ...extra }) as SendResponse;

	it('names Meta’s code and the documented hint for it', () => {
		const response = failed({ error: 'Window closed', error_code: 131047 });
		const error = sendFailedError(UNIT_NODE, response, 1);
		expect(error.message).toBe(
			'Fiwano could not send the message (Meta error 131047): Window closed',
		);
		expect(error.description).toBe(
			'The 24-hour window is closed. On WhatsApp send an approved template instead; on Instagram/Messenger wait for the user to write.',
		);
		expect(error.errorResponse).toEqual(response);
		expect(error.context).toEqual({
			itemIndex: 1,
			status: 'failed',
			code: 131047,
			hint: error.description,
		});
	});

	it('falls back to a general hint for a code it does not know', () => {
		const error = sendFailedError(UNIT_NODE, failed({ error: 'Odd', error_code: 1 }));
		expect(error.message).toBe('Fiwano could not send the message (Meta error 1): Odd');
		expect(error.description).toBe(
			'Fiwano reported the send as failed. Fix the request and send again.',
		);
		expect(error.context.code).toBe(1);
		expect(error.context.hint).toBeUndefined();
	});

	it('ignores a code that is not a number, and says when no reason was given', () => {
		const response = {
			success: false,
			error_code: '131047',
		} as unknown as SendResponse;
		const error = sendFailedError(UNIT_NODE, response);
		expect(error.message).toBe('Fiwano could not send the message: no reason given');
		expect(error.description).toBe(
			'Fiwano reported the send as failed. Fix the request and send again.',
		);
		expect(error.context).toEqual({ status: 'failed', code: undefined, hint: undefined });
	});

	it('keeps the status Fiwano reported', () => {
		const error = sendFailedError(UNIT_NODE, failed({ status: 'undeliverable' as never }));
		expect(error.context.status).toBe('undeliverable');
	});
});
