import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { FiwanoCredentials } from '../helpers/types';
import { apiError } from './errors';
import {
	acquire,
	DOCUMENTED_SENDS_PER_SECOND,
	nextTicket,
	parseRetryAfter,
	release,
} from './rateGate';

export type FiwanoContext =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions;

export const CREDENTIAL_NAME = 'fiwanoApi';
export const DEFAULT_BASE_URL = 'https://fiwano.com';

/** How long one call may spend waiting on Retry-After and back-off, in total. */
export const DEFAULT_MAX_WAIT_MS = 60_000;

/** Fiwano's send-media waits up to 30 s for Meta; its docs ask clients to allow 35 s. */
const SEND_TIMEOUT_MS = 35_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** What one 429/503 retry counts against the wait budget at least, however short Retry-After is. */
const MIN_THROTTLED_RETRY_COST_MS = 1000;

/** Back-off for idempotent requests after 502/504 or a network error (no Retry-After). */
const IDEMPOTENT_BACKOFF_MS = [500, 1000, 2000];

/**
 * Connection errors raised before a request reached the server: safe to retry even a send.
 * Typed to take undefined (an error without a code is in neither set), so callers need no check.
 */
const NOT_SENT_CODES: ReadonlySet<string | undefined> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
]);

/** Errors after which the server may or may not have processed the request. */
const MAYBE_SENT_CODES: ReadonlySet<string | undefined> = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
]);

export interface FiwanoRequestOptions {
	body?: IDataObject;
	qs?: IDataObject;
	/** Index of the item this request is for, carried into errors. */
	itemIndex?: number;
	/** Upper bound for all waiting in this call (Retry-After and back-off). */
	maxWaitMs?: number;
	/** Per-attempt timeout; sends default to 35 s as Fiwano's docs ask. */
	timeoutMs?: number;
}

export interface FiwanoResponse<T> {
	body: T;
	headers: IDataObject;
	statusCode: number;
	/** How many HTTP attempts the call took. */
	attempts: number;
}

export function baseUrlOf(credentials: FiwanoCredentials): string {
	const raw = (credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	return raw.replace(/\/+$/, '');
}

/** A message send: the one kind of request that must never reach Fiwano twice. */
export function isSendPath(method: IHttpRequestMethods, path: string): boolean {
	return method === 'POST' && path.startsWith('/messages/');
}

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as { code?: unknown; cause?: unknown };
		if (typeof candidate.code === 'string' && /^E[A-Z_]+$/.test(candidate.code))
			return candidate.code;
		current = candidate.cause;
	}
	// Stryker disable next-line StringLiteral: any stand-in without an E-code, "socket hang up" or "timeout" in it reads as no code, as '' does
	const text = String((error as Error)?.message ?? '');
	const match = /\b(E[A-Z]{3,})\b/.exec(text);
	if (match) return match[1];
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	if (/timeout/i.test(text)) return 'ETIMEDOUT';
	return undefined;
}

/** Rate-limit bucket of requests other than sends: the API key (its hash; the key stays secret). */
function keyBucketOf(baseUrl: string, apiKey: string): string {
	// Stryker disable next-line MethodExpression,StringLiteral: the name only has to be one per key; the whole hash or its raw bytes are that as well
	return `${baseUrl}|key|${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

/** Rate-limit bucket of sends: the channel, shared by every API key that sends on it. */
function channelBucketOf(baseUrl: string, channelId: string): string {
	return `${baseUrl}|channel|${channelId}`;
}

/**
 * The one place that talks to Fiwano. It adds the base URL and the credential, keeps the
 * API's errors (status, `detail`, Retry-After) with a hint, paces requests from the server's
 * rate-limit headers, and retries only when that cannot send a message twice:
 * - 429 and 503 are retried after Retry-After for every request (the server did not process it);
 *   a 429 holds back every request of its bucket for that long, a 503 only this one;
 * - idempotent requests (GET, PUT, PATCH, DELETE) also retry 502/504 and network errors;
 * - a send (POST /messages/*) is never retried after a 500, a timeout or a reset connection,
 *   only after a connection that was refused before the request was written.
 */
export async function fiwanoApiRequestFull<T = IDataObject>(
	this: FiwanoContext,
	method: IHttpRequestMethods,
	path: string,
	options: FiwanoRequestOptions & { encoding?: 'arraybuffer' } = {},
): Promise<FiwanoResponse<T>> {
	const credentials = await this.getCredentials<FiwanoCredentials>(
		CREDENTIAL_NAME,
		options.itemIndex,
	);
	// Handed to n8n with the request, so it does not read and decrypt the credential a second time.
	const selected = this.getNode().credentials?.[CREDENTIAL_NAME];
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: selected?.id ?? '',
		name: selected?.name ?? '',
		type: CREDENTIAL_NAME,
		data: credentials as unknown as ICredentialDataDecryptedObject,
	};
	const baseUrl = baseUrlOf(credentials);
	const send = isSendPath(method, path);
	const idempotent = method !== 'POST';
	const channelId = send ? options.body?.channel_id : undefined;
	const bucket =
		typeof channelId === 'string' && channelId !== ''
			? channelBucketOf(baseUrl, channelId)
			: keyBucketOf(baseUrl, String(credentials.apiKey ?? ''));
	const gate = {
		ticket: nextTicket(),
		fallbackPerSecond: send ? DOCUMENTED_SENDS_PER_SECOND : undefined,
	};
	const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
	const request: IHttpRequestOptions = {
		method,
		url: `${baseUrl}/api/v1${path}`,
		json: options.encoding !== 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs ?? (send ? SEND_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
	};
	// Fiwano's API does not redirect. Following a redirect would turn a POST into a GET (301,
	// 302) that "succeeds" without sending, or repeat it at another address with the API key.
	if (method === 'POST') request.disableFollowRedirect = true;
	if (options.body !== undefined) request.body = options.body;
	if (options.qs !== undefined) request.qs = options.qs;
	if (options.encoding) request.encoding = options.encoding;

	const cancelSignal =
		'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	let waited = 0;
	let attempts = 0;
	let backoffIndex = 0;
	for (;;) {
		attempts += 1;
		// Retries keep the first attempt's ticket: they go before requests that started later.
		const permit = await acquire(bucket, gate);
		if (cancelSignal?.aborted) {
			// Waiting for the rate limit or a retry can outlast the execution: send nothing then.
			release(permit);
			const cancelled = new NodeOperationError(
				this.getNode(),
				'The execution was cancelled before this request was sent',
				{ itemIndex: options.itemIndex, description: `${method} ${path} was not sent.` },
			);
			cancelled.context = { ...cancelled.context, maybeSent: false };
			throw cancelled;
		}
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_NAME,
				{ ...request },
				{ credentialsDecrypted },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			release(permit);
			const code = errorCode(error);
			// Cancelled in flight: never retried; a send may have been written before the abort.
			const cancelled = code === 'ERR_CANCELED';
			const maybeSent = send && (MAYBE_SENT_CODES.has(code) || cancelled);
			const retriable =
				NOT_SENT_CODES.has(code) ||
				(idempotent && (code === undefined || MAYBE_SENT_CODES.has(code)));
			const delay = IDEMPOTENT_BACKOFF_MS[backoffIndex];
			if (
				retriable &&
				// Stryker disable next-line ConditionalExpression: past the last step delay is undefined and NaN <= maxWaitMs stops the retries as well
				delay !== undefined &&
				waited + delay <= maxWaitMs
			) {
				backoffIndex += 1;
				waited += delay;
				await sleep(delay);
				continue;
			}
			const message = cancelled
				? `The execution was cancelled while waiting for Fiwano's answer${send ? ". Fiwano may have accepted the message; check the recipient's conversation before resending." : '.'}`
				: maybeSent
					? `The connection to Fiwano failed (${code}) after the message was sent. Fiwano may have accepted it, so it was not sent again; check the recipient's conversation before resending.`
					: `Could not reach Fiwano (${code ?? 'network error'}) at ${baseUrl}.`;
			const wrapped =
				error instanceof NodeApiError
					? error
					: new NodeApiError(this.getNode(), { message: String(error) });
			wrapped.message = message;
			wrapped.description = `${method} ${path} after ${attempts} attempt${attempts > 1 ? 's' : ''}.`;
			wrapped.context = {
				...wrapped.context,
				code,
				maybeSent,
				itemIndex: options.itemIndex,
			};
			throw wrapped;
		}
		const status = response.statusCode;
		const headers = (response.headers ?? {}) as IDataObject;
		const retryAfterMs = parseRetryAfter(headers);
		const throttled = status === 429 || status === 503;
		// A 429 means the bucket is spent for everyone; a 503 is this request's load shedding.
		release(permit, headers, status === 429 ? (retryAfterMs ?? 1000) : undefined);
		if (status >= 200 && status < 300) {
			return { body: response.body as T, headers, statusCode: status, attempts };
		}
		if (throttled) {
			const delay = retryAfterMs ?? 1000;
			// Each retry costs the budget at least a second, so a server that keeps answering
			// Retry-After: 0 gets a bounded number of retries, not an endless loop.
			const cost = Math.max(delay, MIN_THROTTLED_RETRY_COST_MS);
			if (waited + cost <= maxWaitMs) {
				waited += cost;
				// After a 429 the gate holds the whole bucket until Retry-After; a 503 waits here.
				if (status === 503) await sleep(delay);
				continue;
			}
		} else if (idempotent && (status === 502 || status === 504)) {
			const delay = IDEMPOTENT_BACKOFF_MS[backoffIndex];
			if (
				// Stryker disable next-line ConditionalExpression: past the last step delay is undefined and NaN <= maxWaitMs stops the retries as well
				delay !== undefined &&
				waited + delay <= maxWaitMs
			) {
				backoffIndex += 1;
				waited += delay;
				await sleep(delay);
				continue;
			}
		}
		let body: unknown = response.body;
		if (Buffer.isBuffer(body)) {
			const text = body.toString('utf8');
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		const location = headers.location;
		throw apiError(
			this.getNode(),
			{
				status,
				method,
				path,
				body,
				retryAfterMs,
				attempts,
				location: typeof location === 'string' ? location : undefined,
			},
			options.itemIndex,
		);
	}
}

/** JSON request to Fiwano; see {@link fiwanoApiRequestFull} for errors, pacing and retries. */
export async function fiwanoApiRequest<T = IDataObject>(
	this: FiwanoContext,
	method: IHttpRequestMethods,
	path: string,
	options: FiwanoRequestOptions = {},
): Promise<T> {
	const response = await fiwanoApiRequestFull.call(this, method, path, options);
	return response.body as T;
}

export interface DownloadedMedia {
	data: Buffer;
	mimeType: string;
	fileName?: string;
}

function fileNameFromDisposition(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(value);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			return star[1].trim();
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(value);
	return plain ? plain[1].trim() : undefined;
}

/** Downloads an inbound media file (`GET /media/{id}`); 410 means it expired (files live 60 minutes). */
export async function fiwanoDownloadMedia(
	this: FiwanoContext,
	mediaId: string,
	itemIndex?: number,
): Promise<DownloadedMedia> {
	const response = (await fiwanoApiRequestFull.call(
		this,
		'GET',
		`/media/${encodeURIComponent(mediaId)}`,
		{
			encoding: 'arraybuffer',
			itemIndex,
		},
	)) as FiwanoResponse<Buffer>;
	// Stryker disable next-line StringLiteral: an empty type falls back to application/octet-stream below as well
	const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
	return {
		data: Buffer.from(response.body),
		mimeType: contentType.split(';')[0].trim() || 'application/octet-stream',
		fileName: fileNameFromDisposition(response.headers['content-disposition']),
	};
}
