import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The oldest n8n these nodes support: the oldest release the whole end-to-end path passes on
 * (README, Compatibility). A user on an older n8n who reaches a gated feature is asked for at
 * least this version, even where the helper itself is older.
 */
export const MIN_N8N_VERSION = '1.123.81';

/**
 * Context helpers (`this.<name>` in execute and webhook functions) that a feature needs, with the
 * first n8n release that provides each, read in n8n-core's execution contexts
 * (dist/execution-engine/node-execution-context/*.js) of the releases on the npm registry.
 * Nodes run on the n8n-core of the n8n they are installed in, so an older n8n simply has no
 * such method.
 *
 * - getSignedResumeUrl (Send and Wait's approval links): absent in n8n-core 1.105.0 (n8n 1.105.4),
 *   present from n8n-core 1.106.2; n8n 1.106–1.108 are not on the registry, so 1.109.0 is the
 *   first release that could be checked.
 * - putExecutionToWait: already in n8n-core 1.14.1, so in every n8n that can load these nodes;
 *   listed at the first of those, n8n 1.85.3 (n8n-workflow exports NodeConnectionTypes, which
 *   the node classes use, from 1.83.0, the one n8n 1.85.3 ships).
 * - logHitlResponse (webhook: records an approver's answer in n8n's human-in-the-loop log):
 *   absent in n8n 2.31.0, present from 2.32.0; n8n 1.123.81 lacks it.
 *
 * Add a helper here, with where its version was read, before gating a feature on it.
 */
export const N8N_HELPER_SINCE = {
	getSignedResumeUrl: '1.109.0',
	putExecutionToWait: '1.85.3',
	logHitlResponse: '2.32.0',
} as const;

export type GatedHelper = keyof typeof N8N_HELPER_SINCE;

/** -1, 0 or 1 as version `a` is older than, equal to or newer than `b` (`major.minor.patch`). */
export function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) {
		const d = (pa[i] || 0) - (pb[i] || 0);
		if (d !== 0) return d < 0 ? -1 : 1;
	}
	return 0;
}

/** The n8n version a user needs for these helpers: the newest of theirs and MIN_N8N_VERSION. */
export function minN8nVersionFor(helpers: readonly GatedHelper[]): string {
	return helpers
		.map((h) => N8N_HELPER_SINCE[h])
		.reduce((newest, v) => (compareVersions(v, newest) > 0 ? v : newest), MIN_N8N_VERSION);
}

/**
 * Stops a feature with a clear error when the running n8n lacks a context helper it needs,
 * instead of a TypeError about an undefined function deep in the feature.
 *
 * Call it first in the operation's `execute` (or the webhook method) with the context and every
 * gated helper the feature will call:
 *
 * ```ts
 * requireN8nHelpers(this, 'Send and Wait', ['getSignedResumeUrl', 'putExecutionToWait']);
 * requireResumeUrlSignature(this); // before waiting: see below
 * ```
 *
 * Throws a NodeOperationError that names the feature, the missing helpers and the minimum n8n
 * version (minN8nVersionFor), with the upgrade as its description. Returns nothing when every
 * helper is there. A helper this file does not list is a compile error: add it to
 * N8N_HELPER_SINCE first.
 */
export function requireN8nHelpers(
	ctx: { getNode(): INode },
	feature: string,
	helpers: readonly GatedHelper[],
): void {
	const missing = helpers.filter(
		(h) => typeof (ctx as unknown as Record<string, unknown>)[h] !== 'function',
	);
	if (!missing.length) return;
	const version = minN8nVersionFor(helpers);
	throw new NodeOperationError(ctx.getNode(), `${feature} needs n8n ${version} or newer`, {
		description: `This n8n does not provide ${missing.join(', ')}, which ${feature} uses. Update n8n to ${version} or newer, or choose another operation.`,
	});
}

/**
 * A notice for the operation of a feature that needs a newer n8n than MIN_N8N_VERSION's
 * helpers, shown under the given display conditions. n8n cannot show a field by n8n version, so
 * the notice says which version is needed and what happens on an older one.
 */
export function newerN8nNotice(
	feature: string,
	helpers: readonly GatedHelper[],
	show: NonNullable<INodeProperties['displayOptions']>['show'],
): INodeProperties {
	return {
		displayName: `${feature} needs n8n ${minN8nVersionFor(helpers)} or newer; on an older n8n the node stops with an error that says so`,
		name: 'n8nVersionNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	};
}

/**
 * Makes n8n refuse a resume URL from getSignedResumeUrl without its signature, on every n8n.
 * Call it in the operation before putExecutionToWait. n8n 1.x checks the signature only when
 * the node asked for it with `setSignatureValidationRequired()` (a method 2.x no longer has);
 * 2.x checks it by itself. Both check it only for a node whose `operation` parameter is n8n's
 * SEND_AND_WAIT_OPERATION ('sendAndWait'), so the operation must have that value (read in
 * n8n/dist/webhooks/waiting-webhooks.js of 1.123.81 and 2.41.1).
 */
export function requireResumeUrlSignature(ctx: object): void {
	const older = ctx as { setSignatureValidationRequired?: () => void };
	if (typeof older.setSignatureValidationRequired === 'function') {
		older.setSignatureValidationRequired();
	}
}
