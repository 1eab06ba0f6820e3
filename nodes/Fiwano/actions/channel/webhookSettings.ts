import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import { requireHttpsUrl } from '../../helpers/url';
import {
	idValidation,
	V1_ONLY,
	V2_ON,
	WEBHOOK_EVENT_OPTIONS,
	WEBHOOK_EVENT_OPTIONS_V1,
} from '../../descriptions/common';
import { fiwanoApiRequest } from '../../transport';
import { checkWebhookSecret, credentialWebhookSecret } from './shared';

/** Exchange OAuth Code sets up a new channel's webhook; Update Webhook changes an existing one. */
export type WebhookCall = 'exchange' | 'update';

/** Subscription IDs the ID mode accepts (Fiwano's are 16 hex characters; its field takes at most 16). */
const SUBSCRIPTION_ID_REGEX = '^[A-Za-z0-9_-]{1,16}$';

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

/**
 * typeVersion 2: where the webhook secret comes from, shown above the webhook fields (the node
 * takes no secret as a parameter and never outputs one).
 */
function webhookSecretNotice(): INodeProperties {
	return {
		displayName:
			'To receive these webhooks in n8n, use the Fiwano Trigger node: it sets and keeps its own secret. To verify signatures elsewhere, put the secret in the Fiwano credential’s Webhook Secret and turn on Use Secret From Credential. This node never outputs a webhook secret.',
		name: 'webhookSecretNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: V2_ON },
	};
}

/** The webhook options of the 1.x package (typeVersion 1), unchanged. */
function webhookOptionsV1(call: WebhookCall): INodeProperties[] {
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
			description:
				'Events Fiwano delivers to the webhook URL. None are delivered until you choose them.',
		},
	];
}

/**
 * typeVersion 2: every documented event, echo statuses, the credential's secret, subscription
 * moves. There is no plain-text secret field: a secret typed into a node parameter is saved and
 * exported with the workflow, while the credential's Webhook Secret is stored encrypted.
 */
function webhookOptionsV2(call: WebhookCall): INodeProperties[] {
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
				call === 'exchange'
					? 'Whether Fiwano signs deliveries with the Webhook Secret stored (encrypted) in the Fiwano credential, so you can verify signatures with it. Off: Fiwano generates a secret when a webhook URL is set, which this node does not output.'
					: 'Whether Fiwano signs deliveries with the Webhook Secret stored (encrypted) in the Fiwano credential from the next delivery on. Off: the current secret stays (or Fiwano generates one when a first webhook URL is set, which this node does not output).',
		},
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
				displayName: 'Move to Subscription',
				name: 'subscription_id',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				description:
					'Moves the channel to this subscription. The list shows the active subscriptions with a free slot for this channel’s type. Moving to a Starter subscription stops media and template sending at once. An empty value changes nothing (it never releases the slot).',
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						placeholder: 'Select a subscription...',
						typeOptions: { searchListMethod: 'searchSubscriptions', searchable: true },
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						placeholder: 'e.g. a1b2c3d4e5f67890',
						validation: idValidation(SUBSCRIPTION_ID_REGEX, 'Not a valid Fiwano subscription ID'),
					},
				],
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

/** The collection the webhook settings sit in: Additional Fields of Exchange OAuth Code, Update Fields of Update Webhook. */
const COLLECTION: Record<WebhookCall, { displayName: string; name: string }> = {
	exchange: { displayName: 'Additional Fields', name: 'additionalFields' },
	update: { displayName: 'Update Fields', name: 'updateFields' },
};

/**
 * The webhook fields of Exchange OAuth Code or Update Webhook: the 1.x collection under
 * typeVersion 1; from typeVersion 2 the secret notice and the newer collection. Both versions
 * save the collection under the same name, which {@link webhookBody} reads.
 */
export function webhookFields(call: WebhookCall): INodeProperties[] {
	const collection = {
		...COLLECTION[call],
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
	} as const;
	return [
		{ ...collection, displayOptions: { show: V1_ONLY }, options: webhookOptionsV1(call) },
		webhookSecretNotice(),
		{ ...collection, displayOptions: { show: V2_ON }, options: webhookOptionsV2(call) },
	];
}

/**
 * A field's text, trimmed; a resource locator gives its value. Anything else (null, an expression
 * that resolved to nothing) is '' — which callers treat as "not set", never as a value to send.
 */
function stringField(fields: IDataObject, name: string): string {
	let value = fields[name];
	if (value !== null && typeof value === 'object' && !Array.isArray(value))
		value = (value as IDataObject).value;
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
function webhookBodyV1(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	call: WebhookCall,
): IDataObject {
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

	// There is no Webhook Secret field from typeVersion 2: n8n drops a webhook_secret left in saved
	// parameters before the node runs, so only the credential's secret can be sent.
	if (fields.useCredentialSecret === true)
		body.webhook_secret = await credentialWebhookSecret(ctx, itemIndex);

	const events = eventList(fields);
	if (events && (call === 'update' || events.length > 0)) body.webhook_events = events;
	if (typeof fields.echo_statuses === 'boolean') body.echo_statuses = fields.echo_statuses;

	if (call === 'update') {
		// Releasing a slot retires the channel, so only the explicit toggle does it: an empty
		// subscription (a picker left empty, an expression that resolved to nothing) moves nothing.
		const subscriptionId = stringField(fields, 'subscription_id');
		const release = fields.releaseSubscriptionSlot === true;
		if (subscriptionId && release) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Choose either "Move to Subscription" or "Release Subscription Slot", not both',
				{ itemIndex },
			);
		}
		if (subscriptionId) body.subscription_id = subscriptionId;
		if (release) body.subscription_id = '';
		if (Object.keys(body).length === 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Nothing to update: add at least one field under Update Fields',
				{
					itemIndex,
					description:
						'Add Webhook URL, Use Secret From Credential, Webhook Events, Echo Statuses or a subscription change.',
				},
			);
		}
	}
	return body;
}

/**
 * The webhook part of an Exchange OAuth Code or Update Webhook request, read from the fields of
 * {@link webhookFields} and validated before any request is sent. typeVersion 1 builds exactly
 * the 1.x body; typeVersion 2 adds the newer fields.
 */
export async function webhookBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: WebhookCall,
): Promise<IDataObject> {
	const fields = ctx.getNodeParameter(COLLECTION[call].name, itemIndex, {}) as IDataObject;
	return isV1(ctx)
		? webhookBodyV1(ctx, itemIndex, fields, call)
		: await webhookBodyV2(ctx, itemIndex, fields, call);
}

/** What typeVersion 2 outputs instead of a secret Fiwano generated and shows only once. */
export const GENERATED_SECRET_NOTE =
	'Fiwano generated a signing secret; it is shown only once and this node does not output secrets. Set your own with Use Secret From Credential, or use the Fiwano Trigger.';

const REDACTED = '[redacted]';

/**
 * Shorter secrets (typeVersion 1 accepts 1 character) are redacted only where a whole string is
 * the secret, so that an error message's ordinary words are not cut up.
 */
const MIN_SUBSTRING_REDACTION = 8;

/** The value with every occurrence of the secret replaced; unchanged values keep their identity. */
function redactValue(value: unknown, secret: string, depth = 0): unknown {
	if (typeof value === 'string') {
		if (value === secret) return REDACTED;
		return secret.length >= MIN_SUBSTRING_REDACTION && value.includes(secret)
			? value.split(secret).join(REDACTED)
			: value;
	}
	if (depth > 8 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		const entries = value.map((entry: unknown) => redactValue(entry, secret, depth + 1));
		return entries.some((entry, i) => entry !== value[i]) ? entries : value;
	}
	// Only plain data (Fiwano's answer, the error context) is copied; other objects stay as they are.
	if (Object.getPrototypeOf(value) !== Object.prototype) return value;
	let changed = false;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		copy[key] = redactValue(entry, secret, depth + 1);
		if (copy[key] !== entry) changed = true;
	}
	return changed ? copy : value;
}

interface ErrorParts {
	message?: unknown;
	description?: unknown;
	messages?: unknown;
	context?: unknown;
	errorResponse?: unknown;
}

/**
 * Removes a secret the request carried from an error before it reaches the execution data, the
 * logs or a Continue On Fail item: a validation answer (422) may echo the request's input.
 */
function redactError(error: NodeApiError | NodeOperationError, secret: string): void {
	const parts: ErrorParts = error;
	for (const key of ['message', 'description', 'messages', 'context', 'errorResponse'] as const) {
		if (parts[key] !== undefined && parts[key] !== null)
			parts[key] = redactValue(parts[key], secret);
	}
}

/**
 * Sends an Exchange OAuth Code or Update Webhook request. Whatever fails, the error never
 * contains the webhook secret the request carried.
 */
export async function webhookRequest(
	ctx: IExecuteFunctions,
	method: 'POST' | 'PATCH',
	path: string,
	body: IDataObject | undefined,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		return asObject(await fiwanoApiRequest.call(ctx, method, path, { body, itemIndex }));
	} catch (caught) {
		const error =
			caught instanceof NodeApiError || caught instanceof NodeOperationError
				? caught
				: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
		const secret = body?.webhook_secret;
		if (typeof secret === 'string' && secret !== '') redactError(error, secret);
		throw error;
	}
}

/**
 * The output of an Exchange OAuth Code or Update Webhook call. typeVersion 1 outputs Fiwano's
 * answer as 1.x did. From typeVersion 2 no secret is output, since execution data is stored and
 * shown to whoever opens the workflow: neither one the request set (from the credential) nor
 * one Fiwano generated. The output says `has_webhook_secret: true` instead (when a secret was
 * sent or answered), and for a generated secret (answered, none sent) adds `webhook_secret_note`.
 */
export function webhookOutput(
	ctx: IExecuteFunctions,
	response: IDataObject,
	body: IDataObject,
): IDataObject {
	if (isV1(ctx)) return response;
	const output: IDataObject = { ...response };
	const returned = output.webhook_secret;
	delete output.webhook_secret;
	const sent = typeof body.webhook_secret === 'string';
	if (sent || (typeof returned === 'string' && returned !== '')) output.has_webhook_secret = true;
	// Answered with a secret none was sent for: Fiwano generated it (a first webhook URL).
	if (!sent && typeof returned === 'string' && returned !== '')
		output.webhook_secret_note = GENERATED_SECRET_NOTE;
	return output;
}
