import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MIN } from '../../helpers/webhookSecret';
import { CREDENTIAL_NAME } from '../../transport';

/**
 * Checks a webhook secret's length: 1–64 characters under typeVersion 1 (1.x only enforced
 * Fiwano's 64 maximum), 16–64 from typeVersion 2. The secret itself is never put in the message.
 */
export function checkWebhookSecret(
	ctx: IExecuteFunctions,
	secret: string,
	itemIndex: number,
	minLength = WEBHOOK_SECRET_MIN,
	what = 'The webhook secret',
	description = 'Use a random string, or leave the secret out and Fiwano generates a 64-character one and returns it once in the output.',
): string {
	if (secret.length < minLength || secret.length > WEBHOOK_SECRET_MAX) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${what} must be ${minLength}–${WEBHOOK_SECRET_MAX} characters long (it has ${secret.length})`,
			{ itemIndex, description },
		);
	}
	return secret;
}

/** The Webhook Secret stored in the Fiwano credential, so the secret never sits in the workflow. */
export async function credentialWebhookSecret(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME, itemIndex);
	const stored: unknown = credentials.webhookSecret;
	const secret = typeof stored === 'string' ? stored : '';
	if (!secret) {
		throw new NodeOperationError(ctx.getNode(), 'The Fiwano credential has no Webhook Secret', {
			itemIndex,
			description:
				'Fill in Webhook Secret in the Fiwano credential, or turn off "Use Secret From Credential" (then Fiwano keeps the current secret, or generates one this node does not output).',
		});
	}
	return checkWebhookSecret(
		ctx,
		secret,
		itemIndex,
		WEBHOOK_SECRET_MIN,
		'The Webhook Secret in the Fiwano credential',
		'Use a random string of 16–64 characters (Fiwano stores at most 64) in the credential’s Webhook Secret.',
	);
}
