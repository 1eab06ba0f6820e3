import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../../transport';

/** Shown only under typeVersion 1 (the saved shape of the 1.x package). */
export const V1_ONLY = { '@version': [1] };

/** Shown from typeVersion 2 on. */
export const V2_ON = { '@version': [{ _cnd: { gte: 2 } }] };

export const WEBHOOK_SECRET_MIN = 16;
export const WEBHOOK_SECRET_MAX = 64;

/** True for nodes saved with typeVersion 1, which keep the 1.x requests and output shape. */
export function isV1(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().typeVersion < 2;
}

/** A response body as an object, so every output item has JSON even when an API answers with nothing. */
export function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/**
 * "Return All" and "Limit" for a typeVersion 2 Get Many. Fiwano's list endpoints are not paged,
 * so the limit is applied to the list the API returns.
 */
export function returnAllLimitFields(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: V2_ON },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...V2_ON, returnAll: [false] } },
		},
	];
}

/** Applies Return All / Limit (typeVersion 2) to a list the API returned in one piece. */
export function applyLimit<T>(ctx: IExecuteFunctions, itemIndex: number, list: T[]): T[] {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	return list.slice(0, Math.max(1, Math.floor(limit) || 1));
}

/** A required string parameter, trimmed; empty is an error naming the field. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Enter the ${label.toLowerCase()} or map it from an earlier node.`,
		});
	}
	return value;
}

/**
 * Checks that a URL Fiwano will call or redirect to is absolute HTTPS, without credentials or a
 * fragment (Fiwano refuses both). With `wildcards`, `*` is accepted where a redirect URI pattern
 * may hold one (a whole left-most host label, the path or the query).
 */
export function requireHttpsUrl(
	ctx: IExecuteFunctions,
	value: string,
	label: string,
	itemIndex: number,
	options: { wildcards?: boolean } = {},
): string {
	const url = value.trim();
	const fail = (why: string) =>
		new NodeOperationError(ctx.getNode(), `${label} must be an absolute HTTPS URL: ${why}`, {
			itemIndex,
			description: `Got "${url}". Example: https://yourapp.com/callback`,
		});
	if (!/^https:\/\//i.test(url)) throw fail('it does not start with https://');
	if (/\s/.test(url)) throw fail('it contains spaces');
	let parsed: URL;
	try {
		parsed = new URL(options.wildcards ? url.replace(/\*/g, 'wildcard') : url);
	} catch {
		throw fail('it is not a valid URL');
	}
	if (!parsed.hostname) throw fail('it has no host');
	if (parsed.username || parsed.password) throw fail('it must not contain a user name or password');
	if (url.includes('#')) throw fail('it must not contain a #fragment');
	return url;
}

/** Checks a webhook secret's length: 16–64 characters (typeVersion 1 only enforces Fiwano's 64 maximum). */
export function checkWebhookSecret(
	ctx: IExecuteFunctions,
	secret: string,
	itemIndex: number,
	minLength = WEBHOOK_SECRET_MIN,
): string {
	if (secret.length < minLength || secret.length > WEBHOOK_SECRET_MAX) {
		// The secret itself is never put in the message.
		throw new NodeOperationError(
			ctx.getNode(),
			`The webhook secret must be ${minLength}–${WEBHOOK_SECRET_MAX} characters long (it has ${secret.length})`,
			{
				itemIndex,
				description:
					'Use a random string, or leave the secret out and Fiwano generates a 64-character one and returns it once in the output.',
			},
		);
	}
	return secret;
}

/** The Webhook Secret stored in the Fiwano credential, so the secret never sits in the workflow. */
export async function credentialWebhookSecret(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME, itemIndex);
	const stored: unknown = credentials.webhookSecret;
	const secret = typeof stored === 'string' ? stored : '';
	if (!secret) {
		throw new NodeOperationError(ctx.getNode(), 'The Fiwano credential has no Webhook Secret', {
			itemIndex,
			description:
				'Fill in Webhook Secret in the Fiwano credential, or turn off "Use Secret From Credential" to let Fiwano generate one.',
		});
	}
	return checkWebhookSecret(ctx, secret, itemIndex);
}
