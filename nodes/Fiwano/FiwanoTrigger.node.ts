import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchChannels } from './methods/listSearch';
import { triggerProperties } from './trigger/description';
import { receive } from './trigger/receive';
import { checkExists, create, remove, WEBHOOK_PATH } from './trigger/registration';

/**
 * Starts a workflow for Fiwano webhook events. typeVersion 1 keeps the 1.x parameters;
 * typeVersion 2 (the default) adds the channel picker, every documented event and options,
 * and has no secret parameter. n8n 2.41 evaluates an extra expression
 * (`$parameter["options"]["binaryData"]`) on every request to a webhook node whose typeVersion
 * is exactly 1, so new nodes on typeVersion 2 skip that cost. The webhook description holds
 * plain values only, so n8n resolves it without the expression engine.
 * See docs/trigger.md for registration, secrets, test listens and deduplication.
 */
export class FiwanoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fiwano Trigger',
		name: 'fiwanoTrigger',
		icon: { light: 'file:fiwano.svg', dark: 'file:fiwano.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["autoSetup"]}}',
		description: 'Starts the workflow when Fiwano sends a WhatsApp, Instagram or Messenger event',
		defaults: { name: 'Fiwano Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Optional: manual setup works without one. The automatic setups say so when it is missing.
		credentials: [{ name: 'fiwanoApi', required: false }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: WEBHOOK_PATH },
		],
		properties: triggerProperties,
	};

	methods = { listSearch: { searchChannels } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
