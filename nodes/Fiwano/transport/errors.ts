import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { SendResponse } from '../helpers/types';

/** What to do next, per HTTP status. Added to Fiwano's own words, never instead of them. */
const STATUS_HINTS: Record<number, string> = {
	400: 'Fiwano rejected the request: check the fields named in the detail.',
	401: 'The API key was not accepted. Check the API Key in the Fiwano credential (keys start with mip_live_ and are shown only once; create a new one if it was lost).',
	402: 'Payment required: the trial ended, the subscription lapsed, or this feature needs a Pro licence (media and WhatsApp templates). See Billing in the Fiwano portal.',
	403: 'The API key may not do this.',
	404: 'Not found: the ID is wrong or belongs to another Fiwano account.',
	409: 'Conflict: every subscription slot for this channel type is taken. Reconnect one of the channels listed in occupied_by, release a slot, or add a subscription.',
	410: 'Gone: inbound media files are kept for 60 minutes only. Download media as soon as the webhook arrives.',
	422: 'Validation failed: check required fields, types and limits named in the detail.',
	429: 'Rate limited by Fiwano. The node waited as long as Retry-After asked and gave up when the wait budget ran out; send fewer items at once or retry later.',
	502: 'Meta answered with an error (upstream failure). Retrying later may help.',
	503: 'Fiwano is temporarily overloaded. The node honoured Retry-After; retry later.',
	504: 'Gateway timeout between Fiwano and Meta. Retrying later may help.',
};

/** Meta error codes from Fiwano's send error table, with what to do about each. */
const SEND_ERROR_HINTS: Record<number, string> = {
	10: 'Meta denies this action for the account. On Instagram/Messenger, if the error says another app controls the thread, set Fiwano as the default routing app in Meta Business settings.',
	100: 'Invalid parameter (Meta reuses this for several causes, including a media file above the size cap). Check media URL, media type, recipient format and file size.',
	190: 'The channel lost Meta access (token expired or revoked). Reconnect the channel.',
	200: 'Meta denies this action for the account. Check the account in Meta Business Settings.',
	368: 'The account is temporarily blocked for policy violations. Resolve it in Meta Business Manager.',
	551: 'This person cannot be messaged right now (blocked the Page, closed the chat, or never messaged it). Do not resend automatically.',
	803: 'The recipient does not exist or is unavailable. Check the recipient identifier.',
	131008: 'A required parameter is missing. Fix the request.',
	131009: 'A parameter value is invalid for this channel. Fix the request.',
	131026: 'The recipient is not reachable on this platform. Verify the recipient.',
	131047:
		'The 24-hour window is closed. On WhatsApp send an approved template instead; on Instagram/Messenger wait for the user to write.',
	131051: 'This message type is not supported on this channel.',
	131052:
		'Meta could not download the media URL. Check that it returns 200 with the right Content-Type and that a signed URL has not expired.',
	131053:
		'Meta could not process the media (format or size). Check the file; some hosting networks are rate-limited by Meta.',
	131056: 'Too many messages between this sender and recipient. Slow down.',
	131057: 'The WhatsApp Business Account is in maintenance mode. Usually temporary.',
	133010:
		'The WhatsApp number is not registered on the WhatsApp Business Platform. Reconnect the channel and complete the WhatsApp Business App step.',
};

function hintForStatus(status: number): string | undefined {
	return STATUS_HINTS[status];
}

function hintForSendErrorCode(code: number | undefined): string | undefined {
	// Stryker disable next-line ConditionalExpression: SEND_ERROR_HINTS[undefined] is undefined as well
	return code === undefined ? undefined : SEND_ERROR_HINTS[code];
}

/** Fiwano's `detail` as one readable line, whatever its shape (string, list of field errors, object). */
function describeDetail(detail: unknown): string | undefined {
	if (detail === undefined || detail === null) return undefined;
	// Stryker disable next-line ConditionalExpression,StringLiteral: without it a string still comes back unchanged from String(detail) below
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((entry) => {
				if (entry && typeof entry === 'object') {
					const e = entry as IDataObject;
					const loc = Array.isArray(e.loc) ? e.loc.join('.') : undefined;
					const msg = typeof e.msg === 'string' ? e.msg : JSON.stringify(e);
					return loc ? `${loc}: ${msg}` : msg;
				}
				return String(entry);
			})
			.join('; ');
	}
	// Stryker disable next-line ConditionalExpression: what is left of a JSON detail is a number or boolean, and JSON.stringify writes it as String does
	if (typeof detail === 'object') {
		const d = detail as IDataObject;
		const parts: string[] = [];
		if (typeof d.message === 'string') parts.push(d.message);
		else if (typeof d.code === 'string') parts.push(d.code);
		if (typeof d.reason === 'string' && !parts.some((p) => p.includes(d.reason as string))) {
			parts.push(`(${d.reason})`);
		}
		return parts.length ? parts.join(' ') : JSON.stringify(d);
	}
	return String(detail);
}

export interface ApiErrorFacts {
	status: number;
	method: string;
	path: string;
	body: unknown;
	retryAfterMs?: number;
	attempts: number;
	/** `Location` of a redirect answer. */
	location?: string;
}

/**
 * Builds the NodeApiError for a non-2xx answer. It keeps the HTTP status, Fiwano's `detail`
 * (in the message and, unchanged, in `context.detail`) and Retry-After, and adds a hint.
 */
export function apiError(node: INode, facts: ApiErrorFacts, itemIndex?: number): NodeApiError {
	const body = (facts.body && typeof facts.body === 'object' ? facts.body : {}) as IDataObject;
	const detail =
		body.detail !== undefined
			? body.detail
			: typeof facts.body === 'string'
				? facts.body
				: undefined;
	const detailText = describeDetail(detail);
	const structured =
		// Stryker disable next-line ConditionalExpression,LogicalOperator: a string, number or null detail has no hint, code or max_length, so taking it as structured changes nothing
		detail && typeof detail === 'object' && !Array.isArray(detail)
			? (detail as IDataObject)
			: undefined;
	const redirect =
		facts.status >= 300 && facts.status < 400
			? `Fiwano's API does not redirect, so the request was not sent on${facts.location ? ` to ${facts.location}` : ''}: set the Base URL in the Fiwano credential to the address the API answers on (https://fiwano.com unless you use a sandbox).`
			: undefined;
	const hints = [
		typeof structured?.hint === 'string' ? structured.hint : undefined,
		hintForStatus(facts.status),
		redirect,
	].filter((h): h is string => Boolean(h));
	if (structured?.code === 'text_too_long' && typeof structured.max_length === 'number') {
		hints.unshift(
			`The ${String(structured.channel_type ?? 'channel')} limit is ${structured.max_length} characters; set the Fiwano node's Long Text option (node version 2) to "Split Into Several Messages".`,
		);
	}
	const message = `Fiwano ${facts.status}${detailText ? `: ${detailText}` : ''}`;
	const descriptionParts = [...hints];
	if (facts.retryAfterMs !== undefined) {
		descriptionParts.push(`Retry-After: ${Math.ceil(facts.retryAfterMs / 1000)} s.`);
	}
	if (facts.attempts > 1) descriptionParts.push(`Gave up after ${facts.attempts} attempts.`);
	const error = new NodeApiError(node, { ...body, httpCode: String(facts.status) } as JsonObject, {
		message,
		description: descriptionParts.join(' '),
		httpCode: String(facts.status),
		itemIndex,
	});
	error.context = {
		...error.context,
		status: facts.status,
		detail: detail as IDataObject,
		code: structured?.code,
		hint: hints[0],
		retryAfter: facts.retryAfterMs !== undefined ? Math.ceil(facts.retryAfterMs / 1000) : undefined,
		request: `${facts.method} ${facts.path}`,
		location: facts.location,
	};
	return error;
}

/**
 * A send Fiwano answered 200 but reported as failed (`success: false` / `status: "failed"`).
 * It is an error carrying Meta's code and the documented hint.
 */
export function sendFailedError(
	node: INode,
	response: SendResponse,
	itemIndex?: number,
): NodeApiError {
	const code = typeof response.error_code === 'number' ? response.error_code : undefined;
	const hint = hintForSendErrorCode(code);
	const message = `Fiwano could not send the message${code !== undefined ? ` (Meta error ${code})` : ''}: ${
		response.error ?? 'no reason given'
	}`;
	const error = new NodeApiError(node, response as JsonObject, {
		message,
		description: hint ?? 'Fiwano reported the send as failed. Fix the request and send again.',
		itemIndex,
	});
	error.context = { ...error.context, status: response.status ?? 'failed', code, hint };
	return error;
}
