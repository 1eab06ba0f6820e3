import { createHmac } from 'crypto';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FiwanoCredentials } from '../helpers/types';
import { CREDENTIAL_NAME } from '../transport';
import type { TriggerParams } from './params';

/** Where the secret came from; only `derived` is made by the trigger itself. */
type SecretSource = 'node' | 'credential' | 'derived';

export interface TriggerSecret {
	secret: string;
	source: SecretSource;
}

const DERIVATION_LABEL = 'n8n-nodes-fiwano trigger webhook secret v1';
const FINGERPRINT_LABEL = 'n8n-nodes-fiwano trigger secret fingerprint v1';

/**
 * The trigger's own webhook secret when neither the node (typeVersion 1) nor the credential
 * gives one: HMAC-SHA256 keyed with the Fiwano API key over the workflow ID and the node ID,
 * as 64 hex characters — the same shape as a secret Fiwano generates.
 *
 * Why derived and not stored: every n8n process that can read the credential (main, webhook
 * processes, workers, and a test listen, whose static data is a fresh empty object) computes
 * the same value, so nothing has to be kept anywhere, the secret is never written in plain
 * text to the workflow's static data, and it cannot be lost. It is as hard to guess as the
 * API key, which can set a channel's secret anyway. Two consequences, both documented in
 * docs/trigger.md: a new API key means a new secret (deactivate and activate the workflow so
 * the channel gets it), and each trigger node in each workflow has its own secret.
 */
function deriveWebhookSecret(apiKey: string, workflowId: string, nodeId: string): string {
	return createHmac('sha256', apiKey)
		.update(`${DERIVATION_LABEL}\n${workflowId}\n${nodeId}`)
		.digest('hex');
}

/**
 * A short keyed fingerprint of the secret a channel was given, kept in static data so
 * `checkExists` can tell that the secret it would set now is the one it set then. Keyed with
 * the API key so a fingerprint of a short, hand-made secret cannot be brute-forced offline.
 */
export function secretFingerprint(secret: string, apiKey: string): string {
	return createHmac('sha256', apiKey)
		.update(`${FINGERPRINT_LABEL}\n${secret}`)
		.digest('hex')
		.slice(0, 16);
}

/**
 * The credential, or undefined when the node has none and the setup does not need one (manual).
 * The automatic setups need it for the API and for the trigger's own secret.
 *
 * A credential that is selected but cannot be read is an error in every setup, manual included:
 * it may hold the Webhook Secret, and going on without it would accept unsigned deliveries.
 */
export async function triggerCredentials(
	ctx: IHookFunctions | IWebhookFunctions,
	params: TriggerParams,
): Promise<FiwanoCredentials | undefined> {
	const node = ctx.getNode();
	if (params.setup === 'manual' && !node.credentials?.[CREDENTIAL_NAME]) return undefined;
	try {
		const data = await ctx.getCredentials(CREDENTIAL_NAME);
		return {
			apiKey: typeof data.apiKey === 'string' ? data.apiKey : '',
			webhookSecret: typeof data.webhookSecret === 'string' ? data.webhookSecret : '',
			baseUrl: typeof data.baseUrl === 'string' ? data.baseUrl : undefined,
		};
	} catch (error) {
		const reason = error instanceof Error ? ` (${error.message})` : '';
		if (params.setup === 'manual') {
			throw new NodeOperationError(
				node,
				`Could not read the Fiwano credential selected on the trigger${reason}`,
				{
					description:
						'Deliveries are refused until it can be read, because its Webhook Secret is what they are checked with. Fix or reselect the credential, or remove it from the trigger to accept unsigned deliveries.',
				},
			);
		}
		throw new NodeOperationError(
			node,
			`The automatic webhook setup needs a Fiwano credential${reason}`,
			{
				description:
					'Select a Fiwano API credential on the trigger, or switch Webhook Setup to Manual.',
			},
		);
	}
}

/**
 * The secret deliveries must be signed with, in this order: the node's Webhook Secret
 * (typeVersion 1 only), the credential's Webhook Secret, and in the automatic setups the
 * trigger's derived secret. Undefined only in manual setup with no secret anywhere: then
 * deliveries are accepted unsigned and the editor warns about it.
 */
export function pickSecret(
	params: TriggerParams,
	credentials: FiwanoCredentials | undefined,
	workflowId: string,
	nodeId: string,
): TriggerSecret | undefined {
	if (params.nodeSecret) return { secret: params.nodeSecret, source: 'node' };
	const fromCredential =
		typeof credentials?.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
	if (fromCredential) return { secret: fromCredential, source: 'credential' };
	if (params.setup === 'manual') return undefined;
	const apiKey = typeof credentials?.apiKey === 'string' ? credentials.apiKey : '';
	if (!apiKey) return undefined;
	return { secret: deriveWebhookSecret(apiKey, workflowId, nodeId), source: 'derived' };
}

/**
 * How long a process reuses a trigger's credential. n8n reads and decrypts a credential from the
 * database on every `getCredentials`; per delivery that was the largest cost of the trigger's
 * answer. A delivery that fails the check with a reused credential is checked again with a
 * freshly read one, so a changed credential is never the reason a delivery is refused.
 */
export const CREDENTIAL_REUSE_MS = 60_000;

const reusedCredentials = new Map<
	string,
	{ readAt: number; credentials: FiwanoCredentials | undefined }
>();

/** Forgets every reused credential, as a restart of n8n does. */
export function forgetReusedCredentials(): void {
	reusedCredentials.clear();
}

/**
 * {@link triggerCredentials}, reusing what this process read for the same workflow, node and
 * credential within {@link CREDENTIAL_REUSE_MS}. `reused` says whether it came from memory.
 */
export async function reusableTriggerCredentials(
	ctx: IWebhookFunctions,
	params: TriggerParams,
	nowMs: number,
	fresh = false,
): Promise<{ credentials: FiwanoCredentials | undefined; reused: boolean }> {
	const node = ctx.getNode();
	const key = `${ctx.getMode()}|${String(ctx.getWorkflow().id ?? '')}|${node.id}|${node.credentials?.[CREDENTIAL_NAME]?.id ?? ''}|${params.setup}`;
	const known = reusedCredentials.get(key);
	if (!fresh && known && nowMs - known.readAt < CREDENTIAL_REUSE_MS) {
		return { credentials: known.credentials, reused: true };
	}
	const credentials = await triggerCredentials(ctx, params);
	reusedCredentials.set(key, { readAt: nowMs, credentials });
	return { credentials, reused: false };
}
