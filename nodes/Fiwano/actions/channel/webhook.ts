import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	isV1,
	requireHttpsUrl,
	WEBHOOK_EVENT_OPTIONS,
	WEBHOOK_EVENT_OPTIONS_V1,
} from '../common.descriptions';
import { checkWebhookSecret, credentialWebhookSecret } from './shared';

/** Exchange OAuth Code sets up a new channel's webhook; Update Webhook changes an existing one. */
export type WebhookCall = 'exchange' | 'update';

const webhookUrl = (description: string): INodeProperties => ({
	displayName: 'Webhook URL',
	name: 'webhook_url',
	type: 'string',
	default: '',
	placeholder: 'https://your-n8n.example.com/webhook/…',
	description,
});

const webhookSecret = (description: string): INodeProperties => ({
	displayName: 'Webhook Secret',
	name: 'webhook_secret',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description,
});

/** The webhook options of the 1.x package (typeVersion 1), unchanged. */
export function webhookOptionsV1(call: WebhookCall): INodeProperties[] {
	return [
		webhookUrl(
			call === 'exchange'
				? 'HTTPS URL to receive webhook events. Can also be set later via Update Webhook.'
				: 'New webhook URL for this channel',
		),
		webhookSecret(
			call === 'exchange'
				? 'HMAC-SHA256 secret for signature verification. Auto-generated if omitted.'
				: 'New HMAC-SHA256 secret. Auto-generated if URL is set and secret is omitted.',
		),
		{
			displayName: 'Webhook Events',
			name: 'webhook_events',
			type: 'multiOptions',
			options: WEBHOOK_EVENT_OPTIONS_V1,
			default: [],
			description: 'Events Fiwano delivers to the webhook URL. None are delivered until you choose them.',
		},
	];
}

/** typeVersion 2: every documented event, echo statuses, the credential's secret, subscription moves. */
export function webhookOptionsV2(call: WebhookCall): INodeProperties[] {
	const options: INodeProperties[] = [
		{
			displayName: 'Echo Statuses',
			name: 'echo_statuses',
			type: 'boolean',
			default: false,
			description:
				'Whether messages your business sends outside Fiwano (Message Echo event) also get delivered/read/failed status events. Has no effect unless Message Echo is among the webhook events.',
		},
		{
			displayName: 'Use Secret From Credential',
			name: 'useCredentialSecret',
			type: 'boolean',
			default: true,
			description:
				'Whether to sign deliveries with the Webhook Secret stored in the Fiwano credential, so the secret is not saved in the workflow. Use this when a Fiwano Trigger verifies with that credential.',
		},
		webhookSecret(
			call === 'exchange'
				? 'Your own HMAC-SHA256 secret (16–64 characters). Leave out and Fiwano generates one when a webhook URL is set; the output shows it once, so store it.'
				: 'A new HMAC-SHA256 secret (16–64 characters) that replaces the current one from the next delivery. Leave out to keep the current secret.',
		),
		{
			displayName: 'Webhook Events',
			name: 'webhook_events',
			type: 'multiOptions',
			options: WEBHOOK_EVENT_OPTIONS,
			default: [],
			description:
				call === 'exchange'
					? 'Events Fiwano delivers to the webhook URL. None are delivered until you choose them. Events a channel type does not have are ignored.'
					: 'Replaces the channel’s list of delivered events. An empty list turns all deliveries off. Events a channel type does not have are ignored.',
		},
		webhookUrl(
			call === 'exchange'
				? 'HTTPS URL Fiwano delivers this channel’s events to. Can also be set later with Update Webhook.'
				: 'New HTTPS URL Fiwano delivers this channel’s events to',
		),
	];
	if (call === 'update') {
		options.push(
			{
				displayName: 'Move to Subscription ID',
				name: 'subscription_id',
				type: 'string',
				default: '',
				placeholder: 'e.g. a1b2c3d4e5f67890',
				description:
					'Moves the channel to this subscription (an ID from the subscriptions list in the Fiwano portal or API). The subscription must be active with a free slot for this channel type. Moving to a Starter subscription stops media and template sending at once.',
			},
			{
				displayName: 'Release Subscription Slot',
				name: 'releaseSubscriptionSlot',
				type: 'boolean',
				default: false,
				description:
					'Whether to free this channel’s subscription slot so another channel of the same type can be connected. Only for a channel already deactivated with Delete; effectively permanent.',
			},
		);
	}
	return options;
}

function stringField(fields: IDataObject, name: string): string {
	const value = fields[name];
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

function eventList(fields: IDataObject): string[] | undefined {
	const value = fields.webhook_events;
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value)) return value.map(String);
	return String(value)
		.split(',')
		.map((event) => event.trim())
		.filter(Boolean);
}

/** The 1.x request body: only filled-in fields, events only when chosen (update also sends an empty list). */
function webhookBodyV1(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject, call: WebhookCall): IDataObject {
	const body: IDataObject = {};
	const url = stringField(fields, 'webhook_url');
	if (url) body.webhook_url = requireHttpsUrl(ctx, url, 'Webhook URL', itemIndex);
	const secret = typeof fields.webhook_secret === 'string' ? fields.webhook_secret : '';
	if (secret) body.webhook_secret = checkWebhookSecret(ctx, secret, itemIndex, 1);
	const events = eventList(fields);
	if (events && (call === 'update' || events.length > 0)) body.webhook_events = events;
	return body;
}

async function webhookBodyV2(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	call: WebhookCall,
): Promise<IDataObject> {
	const body: IDataObject = {};
	const url = stringField(fields, 'webhook_url');
	if (url) body.webhook_url = requireHttpsUrl(ctx, url, 'Webhook URL', itemIndex);

	const secret = typeof fields.webhook_secret === 'string' ? fields.webhook_secret : '';
	const fromCredential = fields.useCredentialSecret === true;
	if (secret && fromCredential) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Choose one webhook secret: either "Webhook Secret" or "Use Secret From Credential", not both',
			{ itemIndex },
		);
	}
	if (secret) body.webhook_secret = checkWebhookSecret(ctx, secret, itemIndex);
	if (fromCredential) body.webhook_secret = await credentialWebhookSecret(ctx, itemIndex);

	const events = eventList(fields);
	if (events && (call === 'update' || events.length > 0)) body.webhook_events = events;
	if (typeof fields.echo_statuses === 'boolean') body.echo_statuses = fields.echo_statuses;

	if (call === 'update') {
		const subscriptionId = stringField(fields, 'subscription_id');
		const release = fields.releaseSubscriptionSlot === true;
		if (subscriptionId && release) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Choose either "Move to Subscription ID" or "Release Subscription Slot", not both',
				{ itemIndex },
			);
		}
		if (subscriptionId) body.subscription_id = subscriptionId;
		if (release) body.subscription_id = '';
		if (Object.keys(body).length === 0) {
			throw new NodeOperationError(ctx.getNode(), 'Nothing to update: add at least one field under Update Fields', {
				itemIndex,
				description: 'Add Webhook URL, Webhook Secret, Webhook Events, Echo Statuses or a subscription change.',
			});
		}
	}
	return body;
}

/**
 * The webhook part of an Exchange OAuth Code or Update Webhook request, validated before any
 * request is sent. typeVersion 1 builds exactly the 1.x body; typeVersion 2 adds the newer fields.
 */
export async function webhookBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	call: WebhookCall,
): Promise<IDataObject> {
	return isV1(ctx)
		? webhookBodyV1(ctx, itemIndex, fields, call)
		: await webhookBodyV2(ctx, itemIndex, fields, call);
}

/**
 * The output of an Exchange OAuth Code or Update Webhook call. Fiwano's answer echoes a secret
 * the request set; that one came from the credential or the node, so from typeVersion 2 it is
 * kept out of the output (execution data is stored and shown to whoever opens the workflow) and
 * the output only says that a secret is set. A secret Fiwano generated is shown this once and
 * cannot be read back later, so it stays. typeVersion 1 outputs the answer as 1.x did.
 */
export function webhookOutput(ctx: IExecuteFunctions, response: IDataObject, body: IDataObject): IDataObject {
	if (isV1(ctx) || typeof body.webhook_secret !== 'string') return response;
	const output: IDataObject = { ...response };
	delete output.webhook_secret;
	output.has_webhook_secret = true;
	return output;
}
