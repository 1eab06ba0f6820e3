import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FiwanoMap, FiwanoResource } from './node.type';
import { router } from './router';

/**
 * What the Fiwano Tool offers an AI agent: sends and read-only lookups. n8n builds the tool
 * from `usableAsTool` (n8n/dist/tool-generation/ai-tools.js); every other operation changes the
 * Fiwano account (deletes channels, templates or redirect URIs, rewires webhooks, connects
 * channels, submits templates) and must never be one careless model call away, so the tool
 * variant does not show it and refuses it at run time. A resource or operation added later
 * stays out of the tool until it is listed here.
 */
export const TOOL_OPERATIONS: { readonly [R in FiwanoResource]?: ReadonlyArray<FiwanoMap[R]> } = {
	message: ['send', 'sendMedia', 'sendTemplate'],
	contact: ['getProfile'],
	channel: ['getAll', 'get'],
	template: ['getAll', 'get'],
};

/** The display condition n8n evaluates to true in a node type whose name ends in `Tool`. */
const IN_TOOL = { '@tool': [true] };

function allowedIn(resource: string): readonly string[] {
	return (TOOL_OPERATIONS as Record<string, readonly string[] | undefined>)[resource] ?? [];
}

/**
 * True when the node runs as the Fiwano Tool under an AI agent. n8n names the generated tool
 * type `<node>Tool` and runs it under that type: through the agent's engine request in n8n 2.x
 * (n8n-core's requests-response.ts), through `createNodeAsTool` in 1.x. The human-review
 * variant (`<node>HitlTool`, n8n/dist/tool-generation/hitl-tools.js) runs Send and Wait and is
 * not the agent's tool. n8n-workflow's own test is the same (`isToolType`, `isHitlToolType`).
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	const type = ctx.getNode().type;
	return type.endsWith('Tool') && !type.endsWith('HitlTool');
}

function hiddenInTool(property: INodeProperties): INodeProperties {
	const displayOptions = property.displayOptions ?? {};
	return {
		...property,
		displayOptions: { ...displayOptions, hide: { ...displayOptions.hide, ...IN_TOOL } },
	};
}

/**
 * The node's properties with the tool variant's view added, derived from TOOL_OPERATIONS:
 * each Operation selector that offers something the tool must not is hidden in the tool and
 * followed by a tool-only copy listing just the allowed operations (same parameter name and
 * values, so saved workflows and the editor's action list are unchanged: n8n lists a
 * resource's actions from the first matching selector). Resources with nothing for the tool
 * get a notice there, and the tool gets its Simplify switch. `@tool` display conditions are
 * what n8n's own HTTP Request (v3) and Google Calendar nodes use for their tool variants.
 */
export function withToolVariant(properties: INodeProperties[]): INodeProperties[] {
	const result: INodeProperties[] = [];
	const closed: string[] = [];
	for (const property of properties) {
		if (property.name === 'resource' && property.type === 'options') {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				if (!allowedIn(String(option.value)).length) closed.push(String(option.value));
			}
		}
		const resource = property.displayOptions?.show?.resource?.[0];
		if (property.name !== 'operation' || typeof resource !== 'string') {
			result.push(property);
			continue;
		}
		const allowed = allowedIn(resource);
		const options = (property.options ?? []) as INodePropertyOptions[];
		const kept = options.filter((o) => allowed.includes(String(o.value)));
		if (kept.length === options.length) {
			result.push(property);
			continue;
		}
		result.push(hiddenInTool(property));
		if (!kept.length) continue;
		const fallback = String(kept[0].value);
		result.push({
			...property,
			options: kept,
			default: allowed.includes(String(property.default)) ? property.default : fallback,
			displayOptions: {
				...property.displayOptions,
				show: { ...property.displayOptions?.show, ...IN_TOOL },
			},
		});
	}
	const toolResources = Object.keys(TOOL_OPERATIONS);
	result.push(
		{
			displayName:
				'AI agents cannot use this resource: the Fiwano Tool only sends messages and looks up contacts, channels and templates. Use a regular Fiwano node for it.',
			name: 'toolUnavailableNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...IN_TOOL, resource: [...new Set(closed)] } },
		},
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
			displayOptions: {
				show: {
					...IN_TOOL,
					resource: toolResources,
					operation: [...new Set(Object.values(TOOL_OPERATIONS).flat())],
				},
			},
		},
	);
	return result;
}

const LABELS: Record<string, string> = {
	channel: 'Channel',
	contact: 'Contact',
	media: 'Media',
	message: 'Message',
	redirect: 'Redirect URI',
	template: 'Template',
};

/** Refuses, before any request, an operation the Fiwano Tool does not offer. */
export function assertToolMayRun(ctx: IExecuteFunctions, resource: string, operation: string) {
	if (allowedIn(resource).includes(operation)) return;
	const offered = Object.entries(TOOL_OPERATIONS)
		.map(([r, ops]) => `${LABELS[r] ?? r}: ${(ops ?? []).join(', ')}`)
		.join('; ');
	throw new NodeOperationError(
		ctx.getNode(),
		`${LABELS[resource] ?? resource} → ${operation || '(none)'} is not available to AI agents: the Fiwano Tool only sends messages and looks things up, so a person has to do this`,
		{
			description: `The Fiwano Tool only sends messages and reads (${offered}). Deleting or changing channels, webhooks, templates and redirect URIs stays with a regular Fiwano node, where a person decides when it runs.`,
		},
	);
}

function pick(json: IDataObject, keys: string[]): IDataObject {
	const out: IDataObject = {};
	for (const key of keys) if (json[key] !== undefined) out[key] = json[key];
	return out;
}

const SENT = ['message_id', 'status', 'part', 'parts'];
const CHANNEL = ['id', 'name', 'channel_type', 'is_active', 'phone_number', 'ig_username'];
const TEMPLATE = ['id', 'name', 'language', 'status', 'category', 'variables'];

function profileOf(json: IDataObject): IDataObject {
	const profile = (json.profile ?? null) as IDataObject | null;
	const out = pick(json, ['user_id', 'channel_type']);
	if (!profile || typeof profile !== 'object') return { ...out, found: false };
	const full = [profile.first_name, profile.last_name].filter(Boolean).join(' ');
	const name = typeof profile.name === 'string' && profile.name ? profile.name : full || undefined;
	return {
		...out,
		found: true,
		...pick({ name, username: profile.username }, ['name', 'username']),
	};
}

/** A list in typeVersion 1's single-item shape (`{ channels: [...] }`), or one element. */
function each(json: IDataObject, key: string, keys: string[]): IDataObject {
	const list = json[key];
	if (Array.isArray(list)) return { [key]: (list as IDataObject[]).map((e) => pick(e, keys)) };
	return pick(json, keys);
}

/**
 * What a model reads back from a tool call: every token costs, so sends give their message ID
 * and status, lookups the few fields a conversation needs. Error items pass unchanged.
 */
export function compactForTool(resource: string, json: IDataObject): IDataObject {
	if (typeof json.error === 'string') return json;
	if (resource === 'message') return pick(json, SENT);
	if (resource === 'contact') return profileOf(json);
	if (resource === 'channel') return each(json, 'channels', CHANNEL);
	if (resource === 'template') return each(json, 'templates', TEMPLATE);
	return json;
}

/** The Fiwano Tool's run: the allowed operation through the usual router, output simplified. */
export async function toolRouter(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = String(this.getNodeParameter('resource', 0, ''));
	const operation = String(this.getNodeParameter('operation', 0, ''));
	assertToolMayRun(this, resource, operation);
	const output = await router.call(this);
	if (!this.getNodeParameter('simplify', 0, true)) return output;
	return output.map((items) =>
		items.map((item) => ({ ...item, json: compactForTool(resource, item.json) })),
	);
}
