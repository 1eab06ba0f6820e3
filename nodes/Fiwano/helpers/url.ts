import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface HttpsUrlRules {
	/** A `*` may stand for a whole left-most host label, the path or the query (redirect URI patterns). */
	wildcards?: boolean;
	/** Refuse a `#fragment` (Fiwano refuses it in webhook and redirect URLs). */
	noFragment?: boolean;
}

/** The longest URL Fiwano and Meta accept. */
const URL_MAX_LENGTH = 2048;

/**
 * Why a URL Fiwano or Meta will call, fetch or redirect to is refused, or undefined when it is
 * fine: absolute `https://` with a host, no white space, no user name or password, at most
 * 2048 characters. The reason reads after the field's label: "Media URL must start with https://".
 */
export function httpsUrlProblem(url: string, rules: HttpsUrlRules = {}): string | undefined {
	if (!url) return 'is empty';
	if (!/^https:\/\//i.test(url)) return 'must start with https://';
	if (/\s/.test(url)) return 'must not contain spaces; encode them as %20';
	let parsed: URL;
	try {
		parsed = new URL(rules.wildcards ? url.replace(/\*/g, 'wildcard') : url);
	} catch {
		return 'is not a valid URL';
	}
	if (parsed.username || parsed.password)
		return 'must not contain a user name or password; use a signed URL instead';
	if (rules.noFragment && url.includes('#')) return 'must not contain a #fragment';
	if (url.length > URL_MAX_LENGTH)
		return `is ${url.length} characters long; the maximum is ${URL_MAX_LENGTH}`;
	return undefined;
}

/**
 * A URL Fiwano will call or redirect users to (webhook URL, OAuth redirect URI), trimmed and
 * checked with {@link httpsUrlProblem}; a #fragment is refused, as Fiwano does.
 */
export function requireHttpsUrl(
	ctx: IExecuteFunctions,
	value: string,
	label: string,
	itemIndex: number,
	rules: HttpsUrlRules = {},
): string {
	const url = value.trim();
	const problem = httpsUrlProblem(url, { ...rules, noFragment: true });
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `${label} ${problem}`, {
			itemIndex,
			description: `Got "${url}". Example: https://yourapp.com/callback`,
		});
	}
	return url;
}
