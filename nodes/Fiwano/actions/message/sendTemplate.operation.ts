import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	ResourceMapperField,
	ResourceMapperValue,
} from 'n8n-workflow';
import { isV1 } from '../../helpers/version';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { normalizeRecipient, readRecipient } from '../../helpers/recipient';
import {
	buildVariables,
	LANGUAGE_REGEX,
	parseTemplateRef,
	TEMPLATE_NAME_REGEX,
} from '../../helpers/templateVariables';
import { getChannelId } from '../../helpers/parameters';
import { V1_ONLY, V2_ON, resourceLocator } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { channelFields, orderingKey, postSend, recipientFields, sendOptions } from './shared';
import { concurrencyOption, sendEngine } from './sendEngine';

const VARIABLES_EXAMPLE =
	'Positional: {"body": ["Pablo", "ORD-123"], "header": ["Summer Sale"], "buttons": [{"index": 0, "value": "promo25"}]}. Named: {"body": {"customer_name": "Pablo"}}. Leave empty if the template has no variables.';

const properties: INodeProperties[] = [
	...channelFields(),
	...recipientFields(
		'WhatsApp phone number of the customer in international format, e.g. 15551234567 (+, spaces and dashes are removed). Templates can be sent outside the 24-hour window.',
	),
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_confirmation',
		description: 'Name of the approved WhatsApp template to send',
		displayOptions: { show: V1_ONLY },
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'e.g. en_US',
		description: 'Language code matching the approved template version',
		displayOptions: { show: V1_ONLY },
	},
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'json',
		default: '',
		typeOptions: { rows: 4 },
		description:
			'Template variables as JSON. Positional: {"body": ["Pablo", "ORD-123"]}. Named: {"body": {"customer_name": "Pablo"}}. Omit if the template has no variables.',
		displayOptions: { show: V1_ONLY },
	},
	resourceLocator(
		{
			displayName: 'Template',
			name: 'templateName',
			description:
				'The approved WhatsApp template to send. The list shows the channel’s approved templates with their language; by name, enter the template name (e.g. order_update), optionally followed by |language (e.g. order_update|es).',
			typeOptions: { loadOptionsDependsOn: ['channelId.value'] },
			displayOptions: { show: V2_ON },
			modes: [
				{
					displayName: 'By Name',
					name: 'name',
					type: 'string',
					placeholder: 'e.g. order_update',
					validation: [
						{
							type: 'regex',
							properties: {
								regex: '^[a-z0-9_]+(\\|[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?)?$',
								errorMessage:
									'Template names use lowercase letters, digits and underscores, e.g. order_update',
							},
						},
					],
				},
			],
		},
		'searchApprovedTemplates',
		'Select a template...',
	),
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'e.g. en_US',
		description:
			'Language code of the template version to send, e.g. en_US or es. A template picked from the list carries its own language.',
		// The `/` (root) form: n8n-workflow 1.x resolves display conditions in dependency order
		// and loops forever ("Max iterations reached") on a relative key that is not a parameter
		// name, such as `templateName.mode`; root keys it reads with a path lookup, as 2.x does.
		displayOptions: { show: { ...V2_ON, '/templateName.mode': ['name'] } },
	},
	{
		displayName: 'Variables',
		name: 'variablesMode',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{
				name: 'Fields From Template',
				value: 'fields',
				description: 'One field per variable of the chosen template',
			},
			{
				name: 'JSON',
				value: 'json',
				description:
					'Variables as JSON, e.g. from an expression or when the template changes per item',
			},
		],
		displayOptions: { show: V2_ON },
	},
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: 'A value for each variable of the template, e.g. the customer name for {{1}}',
		typeOptions: {
			loadOptionsDependsOn: ['channelId.value', 'templateName.value', 'language'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				valuesLabel: 'Variables',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables: there is nothing to fill in.',
			},
		},
		displayOptions: { show: { ...V2_ON, variablesMode: ['fields'] } },
	},
	{
		displayName: 'Variables (JSON)',
		name: 'variables',
		type: 'json',
		default: '',
		typeOptions: { rows: 4 },
		description:
			'Template variables keyed by component. Positional: {"header": ["Sale"], "body": ["Pablo", "ORD-123"], "buttons": [{"index": 0, "value": "promo25"}]}. Named: {"body": {"customer_name": "Pablo"}}.',
		displayOptions: { show: { ...V2_ON, variablesMode: ['json'] } },
	},
	sendOptions([concurrencyOption]),
];

export const description = operationDescription('message', 'sendTemplate', properties);

/**
 * `variables` from the JSON field: empty text means none; anything but a JSON object is an
 * error. An empty object is dropped too, except in typeVersion 1, which sent it as 1.x did.
 */
function parseVariablesJson(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
	keepEmptyObject = false,
): IDataObject | undefined {
	const value = raw;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Variables must be a JSON object keyed by component',
			{
				itemIndex,
				description: VARIABLES_EXAMPLE,
			},
		);
	}
	return keepEmptyObject || Object.keys(value).length > 0 ? (value as IDataObject) : undefined;
}

function readVariablesJson(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const raw = ctx.getNodeParameter('variables', itemIndex, '') as unknown;
	let parsed: unknown = raw;
	if (typeof raw === 'string' && raw.trim() !== '') {
		try {
			parsed = jsonParse(raw);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Variables are not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description: VARIABLES_EXAMPLE,
				},
			);
		}
	}
	return parseVariablesJson(ctx, parsed, itemIndex, isV1(ctx));
}

/**
 * `variables` from the template-variable fields, checked against the fields the template
 * defines. The mapper is read whole, so an empty value is reported with the field's label.
 */
function readVariableFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const mapper = (ctx.getNodeParameter('templateVariables', itemIndex, {}) ??
		{}) as Partial<ResourceMapperValue>;
	const values = (mapper.value ?? {}) as IDataObject;
	const schema: ResourceMapperField[] = Array.isArray(mapper.schema) ? mapper.schema : [];
	const labels: Record<string, string> = {};
	for (const field of schema) {
		labels[field.id] = field.displayName;
		if (field.removed) continue;
		if (values[field.id] === undefined || values[field.id] === null) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Template variable "${field.displayName}" is empty`,
				{
					itemIndex,
					description:
						'Every variable of a WhatsApp template needs a value; Meta rejects empty parameters.',
				},
			);
		}
	}
	return buildVariables(ctx.getNode(), values, itemIndex, labels);
}

function readTemplate(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { name: string; language: string } {
	const v2 = !isV1(ctx);
	const value = ctx.getNodeParameter('templateName', itemIndex, '', {
		extractValue: true,
	}) as unknown;
	const language = ctx.getNodeParameter('language', itemIndex, '') as unknown;
	const template = v2
		? parseTemplateRef(value, language)
		: { name: String(value ?? '').trim(), language: String(language ?? '').trim() };
	if (!template.name) {
		throw new NodeOperationError(ctx.getNode(), 'No template chosen', {
			itemIndex,
			description:
				'Pick an approved template of the channel, or enter its name, e.g. order_update.',
		});
	}
	if (!TEMPLATE_NAME_REGEX.test(template.name)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${template.name}" is not a WhatsApp template name`,
			{
				itemIndex,
				description:
					'Template names use lowercase letters, digits and underscores only, e.g. order_update.',
			},
		);
	}
	if (!LANGUAGE_REGEX.test(template.language)) {
		throw new NodeOperationError(
			ctx.getNode(),
			template.language
				? `"${template.language}" is not a template language code`
				: 'The template language is missing',
			{
				itemIndex,
				description: v2
					? 'Set Language (e.g. en_US), or enter the template as name|language, e.g. order_update|en_US.'
					: 'Set Language to the code of the approved template version, e.g. en_US.',
			},
		);
	}
	return template;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const v2 = !isV1(this);
	const channelId = getChannelId(this, itemIndex);
	// Templates are WhatsApp-only, so from typeVersion 2 the recipient is cleaned up as a phone
	// number; typeVersion 1 sends it only trimmed, as 1.x did (and as its Send Text does).
	const rawRecipient = readRecipient(this, itemIndex);
	const recipient = v2 ? normalizeRecipient(rawRecipient, 'whatsapp') : rawRecipient;
	const template = readTemplate(this, itemIndex);
	const mode = v2
		? (this.getNodeParameter('variablesMode', itemIndex, 'fields') as string)
		: 'json';
	const variables =
		mode === 'fields' ? readVariableFields(this, itemIndex) : readVariablesJson(this, itemIndex);

	const body: IDataObject = {
		channel_id: channelId,
		recipient,
		template_name: template.name,
		language: template.language,
	};
	if (variables !== undefined) body.variables = variables;
	const response = await postSend(this, '/messages/send-template', body, itemIndex);
	if (!v2) return response;
	return {
		...response,
		channel_id: channelId,
		recipient,
		template_name: template.name,
		language: template.language,
	};
}

export const runItems = sendEngine(orderingKey);
