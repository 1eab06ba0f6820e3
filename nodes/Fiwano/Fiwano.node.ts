import type {
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import * as channel from './actions/channel';
import { V1_ONLY, V2_ON } from './descriptions/common';
import * as contact from './actions/contact';
import * as media from './actions/media';
import * as message from './actions/message';
import * as sendAndWait from './actions/message/sendAndWait.operation';
import * as redirect from './actions/redirect';
import { router } from './actions/router';
import * as subscription from './actions/subscription';
import * as template from './actions/template';
import { runsAsTool, toolRouter, withToolVariant } from './actions/tool';
import { listSearch, resourceMapping } from './methods';

/** The resources of the 1.x package (typeVersion 1 keeps exactly these). */
const RESOURCES_V1: INodePropertyOptions[] = [
	{
		name: 'Channel',
		value: 'channel',
		description: 'Connected WhatsApp numbers, Instagram accounts and Facebook Pages',
	},
	{
		name: 'Contact',
		value: 'contact',
		description: 'Profiles of Instagram and Messenger users',
	},
	{ name: 'Media', value: 'media', description: 'Files received in incoming messages' },
	{
		name: 'Message',
		value: 'message',
		description: 'Send text, media and WhatsApp templates',
	},
	{ name: 'Redirect URI', value: 'redirect', description: 'Allowed OAuth redirect URIs' },
	{ name: 'Template', value: 'template', description: 'WhatsApp message templates' },
];

/** New in typeVersion 2. */
const SUBSCRIPTION_RESOURCE: INodePropertyOptions = {
	name: 'Subscription',
	value: 'subscription',
	description: 'Subscriptions and their free channel slots',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The Resource selector of one typeVersion; both are saved as `resource`. */
function resourceSelector(
	options: INodePropertyOptions[],
	show: IDisplayOptions['show'],
): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options,
		default: 'message',
		displayOptions: { show },
	};
}

/**
 * One class for both typeVersions (light versioning): typeVersion 1 keeps the saved shape of
 * the published 1.x package; typeVersion 2 adds pickers and structured fields, shown with
 * `@version` display conditions. The item loop lives in the router.
 */
export class Fiwano implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fiwano',
		name: 'fiwano',
		icon: { light: 'file:fiwano.svg', dark: 'file:fiwano.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send and manage WhatsApp, Instagram DM and Facebook Messenger messages, channels and templates through Fiwano',
		defaults: { name: 'Fiwano' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fiwanoApi', required: true }],
		// Only Send and Wait's waiting webhooks (restartWebhook): nothing is registered on activation.
		webhooks: sendAndWait.webhooks,
		// The Fiwano Tool (what n8n makes of usableAsTool) sees only sends and lookups: actions/tool.ts
		properties: withToolVariant([
			resourceSelector(RESOURCES_V1, V1_ONLY),
			resourceSelector([...RESOURCES_V1, SUBSCRIPTION_RESOURCE].sort(byName), V2_ON),
			...message.description,
			...media.description,
			...channel.description,
			...contact.description,
			...template.description,
			...redirect.description,
			...subscription.description,
		]),
	};

	methods = { listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The agent's Fiwano Tool runs only what actions/tool.ts lists (Send and Wait reaches an
		// agent as the human-review tool n8n generates, fiwanoHitlTool, which is not this).
		if (runsAsTool(this)) return await toolRouter.call(this);
		// Send and Wait asks once per execution and pauses it, so it is not an item operation.
		if (this.getNodeParameter('operation', 0) === SEND_AND_WAIT_OPERATION) {
			return await sendAndWait.execute.call(this);
		}
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWait.webhook.call(this);
	}
}
