import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { httpsUrlProblem } from '../../helpers/url';
import { NodeOperationError } from 'n8n-workflow';

import { channelIdFields, V1_ONLY, V2_ON, resourceLocator } from '../../descriptions/common';
import { channelPath } from '../../helpers/apiPath';
import { getChannelId, requiredString } from '../../helpers/parameters';
import { TEMPLATE_NAME_REGEX } from '../../helpers/templateVariables';

/** Meta's longest template name, which Fiwano enforces too. */
const TEMPLATE_NAME_MAX = 512;

/** Meta's length limits for template text. */
const HEADER_MAX = 60;
const BODY_MAX = 1024;
const FOOTER_MAX = 60;
const BUTTON_TEXT_MAX = 25;
const BUTTONS_MAX = 10;

export const TEMPLATE_STATUS_OPTIONS = [
	{ name: 'All', value: '' },
	{ name: 'Approved', value: 'APPROVED' },
	{ name: 'Pending', value: 'PENDING' },
	{ name: 'Rejected', value: 'REJECTED' },
];

export const TEMPLATE_CATEGORY_OPTIONS = [
	{
		name: 'Authentication',
		value: 'AUTHENTICATION',
		description: 'One-time passwords and login codes',
	},
	{
		name: 'Marketing',
		value: 'MARKETING',
		description: 'Promotions, offers, news and invitations',
	},
	{
		name: 'Utility',
		value: 'UTILITY',
		description: 'Updates on an order, account or request the customer made',
	},
];

/** The WhatsApp channel the templates belong to: a plain ID in typeVersion 1, a picker from typeVersion 2. */
export function templateChannelFields(): INodeProperties[] {
	return channelIdFields(
		'The WhatsApp channel ID',
		'The WhatsApp channel whose templates to manage (templates exist on WhatsApp only)',
	);
}

/** The template: a plain ID in typeVersion 1, a picker of the channel's templates (or an ID) from typeVersion 2. */
export function templateIdFields(description: string): INodeProperties[] {
	return [
		{
			displayName: 'Template ID',
			name: 'templateId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID of the template',
			displayOptions: { show: V1_ONLY },
		},
		resourceLocator(
			{
				displayName: 'Template',
				name: 'templateId',
				description,
				displayOptions: { show: V2_ON },
				modes: [{ displayName: 'ID', name: 'id', type: 'string', placeholder: 'e.g. tpl_abc123' }],
			},
			'searchTemplates',
			'Select a template...',
		),
	];
}

/**
 * The template an item names (Channel, then Template: a 1.x string or a v2 resource locator):
 * its ID and its API path, `/channels/{id}/templates/{template_id}`.
 */
export function pickedTemplate(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { templateId: string; path: string } {
	const channelId = getChannelId(ctx, itemIndex);
	const templateId = requiredString(
		ctx,
		'templateId',
		'Template',
		itemIndex,
		'Pick a template or enter its ID.',
	);
	return { templateId, path: channelPath(channelId, 'templates', templateId) };
}

/** Checks a new template's name the way Meta does, before the request. */
export function checkTemplateName(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	if (!TEMPLATE_NAME_REGEX.test(name) || name.length > TEMPLATE_NAME_MAX) {
		throw new NodeOperationError(ctx.getNode(), `Template name "${name}" is not allowed`, {
			itemIndex,
			description: `Use only lowercase letters, digits and underscores, at most ${TEMPLATE_NAME_MAX} characters (e.g. order_confirmation).`,
		});
	}
	return name;
}

const COMPONENTS_DEFAULT =
	'[\n  {\n    "type": "BODY",\n    "text": "Hello {{1}}!",\n    "example": { "body_text": [["World"]] }\n  }\n]';

/** The 1.x "Components (JSON)" field; typeVersion 2 shows it in JSON mode. */
export function componentsJsonField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Components (JSON)',
		name: 'components',
		type: 'json',
		default: COMPONENTS_DEFAULT,
		required: true,
		description:
			'Template components as JSON array. BODY is required. HEADER (text only), FOOTER, BUTTONS optional. Include "example" for Meta review.',
		displayOptions: { show },
	};
}

/**
 * typeVersion 2 fields for a template's content: a builder (header, body, footer, buttons, with
 * the example values Meta's review needs) or the JSON array, kept for expressions.
 */
export function componentFieldsV2(): INodeProperties[] {
	const builder = { ...V2_ON, componentsMode: ['builder'] };
	return [
		{
			displayName: 'Define Content',
			name: 'componentsMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Using Fields Below',
					value: 'builder',
					description: 'Header, body, footer and buttons as separate fields',
				},
				{
					name: 'Using JSON',
					value: 'json',
					description: 'The components array as Meta defines it, e.g. built by an expression',
				},
			],
			default: 'builder',
			description: 'How to give the template’s header, body, footer and buttons',
			displayOptions: { show: V2_ON },
		},
		componentsJsonField({ ...V2_ON, componentsMode: ['json'] }),
		{
			displayName: 'Header Text',
			name: 'headerText',
			type: 'string',
			default: '',
			placeholder: 'e.g. Your order {{1}}',
			description: `Optional bold title, at most ${HEADER_MAX} characters and one variable. Leave empty for no header.`,
			displayOptions: { show: builder },
		},
		{
			displayName: 'Header Variable Example',
			name: 'headerExample',
			type: 'string',
			default: '',
			placeholder: 'e.g. ORD-123',
			description:
				'Example value for the header variable, required by Meta’s review when the header has one',
			displayOptions: { show: builder },
		},
		{
			displayName: 'Body Text',
			name: 'bodyText',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'e.g. Hi {{1}}, your order {{2}} is ready.',
			description: `The message text, at most ${BODY_MAX} characters. Variables are {{1}}, {{2}}, … (positional) or {{customer_name}} (named).`,
			displayOptions: { show: builder },
		},
		{
			displayName: 'Body Variable Examples',
			name: 'bodyExamples',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Example',
			default: {},
			description: 'One example value per body variable, required by Meta’s review',
			displayOptions: { show: builder },
			options: [
				{
					displayName: 'Example',
					name: 'example',
					values: [
						{
							displayName: 'Variable',
							name: 'variable',
							type: 'string',
							default: '',
							placeholder: 'e.g. 1 or customer_name',
							description:
								'The variable as written between the braces: a number (positional) or a name',
						},
						{
							displayName: 'Example Value',
							name: 'value',
							type: 'string',
							default: '',
							placeholder: 'e.g. Pablo',
						},
					],
				},
			],
		},
		{
			displayName: 'Footer Text',
			name: 'footerText',
			type: 'string',
			default: '',
			description: `Optional small grey text under the body, at most ${FOOTER_MAX} characters, no variables`,
			displayOptions: { show: builder },
		},
		{
			displayName: 'Buttons',
			name: 'buttons',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Button',
			default: {},
			description: `Up to ${BUTTONS_MAX} buttons. A tapped quick reply arrives as a text message with the button label.`,
			displayOptions: { show: builder },
			options: [
				{
					displayName: 'Button',
					name: 'button',
					values: [
						{
							displayName: 'Button Type',
							name: 'type',
							type: 'options',
							options: [
								{ name: 'Call Phone Number', value: 'PHONE_NUMBER' },
								{ name: 'Open URL', value: 'URL' },
								{ name: 'Quick Reply', value: 'QUICK_REPLY' },
							],
							default: 'QUICK_REPLY',
						},
						{
							displayName: 'Label',
							name: 'text',
							type: 'string',
							default: '',
							description: `Button text, at most ${BUTTON_TEXT_MAX} characters`,
						},
						{
							displayName: 'Phone Number',
							name: 'phoneNumber',
							type: 'string',
							default: '',
							placeholder: 'e.g. +15550001111',
							description: 'Number to call, in international format',
							displayOptions: { show: { type: ['PHONE_NUMBER'] } },
						},
						{
							displayName: 'URL',
							name: 'url',
							type: 'string',
							default: '',
							placeholder: 'e.g. https://shop.example.com/track/{{1}}',
							description: 'Page to open. May end with one variable {{1}}.',
							displayOptions: { show: { type: ['URL'] } },
						},
						{
							displayName: 'URL Example',
							name: 'urlExample',
							type: 'string',
							default: '',
							placeholder: 'e.g. https://shop.example.com/track/ORD-123',
							description:
								'The full URL with an example value, required when the URL has a variable',
							displayOptions: { show: { type: ['URL'] } },
						},
					],
				},
			],
		},
	];
}

type ParameterFormat = 'positional' | 'named';

interface Variables {
	format?: ParameterFormat;
	names: string[];
}

/** The variables ({{1}} or {{name}}) in one text, in order of first appearance. */
function variablesIn(
	ctx: IExecuteFunctions,
	text: string,
	where: string,
	itemIndex: number,
): Variables {
	const names: string[] = [];
	let format: ParameterFormat | undefined;
	for (const match of text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
		const name = match[1];
		const kind: ParameterFormat | undefined = /^\d+$/.test(name)
			? 'positional'
			: /^[a-z_][a-z0-9_]*$/.test(name)
				? 'named'
				: undefined;
		if (!kind) {
			throw new NodeOperationError(ctx.getNode(), `${where} has an invalid variable {{${name}}}`, {
				itemIndex,
				description: 'Variables are {{1}}, {{2}}, … or lowercase names such as {{customer_name}}.',
			});
		}
		if (format && kind !== format) {
			throw new NodeOperationError(ctx.getNode(), `${where} mixes numbered and named variables`, {
				itemIndex,
				description: 'A template uses either {{1}}, {{2}}, … or {{names}}, not both.',
			});
		}
		format = kind;
		if (!names.includes(name)) names.push(name);
	}
	if (format === 'positional') {
		const numbers = names.map(Number).sort((a, b) => a - b);
		if (numbers.some((n, i) => n !== i + 1)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${where} must number its variables {{1}}, {{2}}, … without gaps`,
				{
					itemIndex,
					description: `Found ${names.map((n) => `{{${n}}}`).join(', ')}.`,
				},
			);
		}
		names.sort((a, b) => Number(a) - Number(b));
	}
	return { format, names };
}

function tooLong(
	ctx: IExecuteFunctions,
	where: string,
	max: number,
	actual: number,
	itemIndex: number,
) {
	return new NodeOperationError(
		ctx.getNode(),
		`${where} is too long: ${actual} characters, Meta allows ${max}`,
		{
			itemIndex,
		},
	);
}

/** A field's value as trimmed text (a number as its digits); anything else is empty. */
function trimmedText(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/**
 * Builds Meta's components array from the typeVersion 2 fields, checking before any request what
 * Meta's review would reject: lengths, variable numbering, a missing example, a bad button.
 * `expectedFormat` (create) must match the variables used; update infers it from them.
 */
function buildComponents(
	ctx: IExecuteFunctions,
	itemIndex: number,
	expectedFormat?: ParameterFormat,
): IDataObject[] {
	const components: IDataObject[] = [];
	// Meta wants {{1}} / {{name}} without inner spaces; "{{ 1 }}" is a common way to type them.
	const tidy = (value: string) => value.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, '{{$1}}');
	const header = tidy(trimmedText(ctx.getNodeParameter('headerText', itemIndex, '')));
	const body = tidy(trimmedText(ctx.getNodeParameter('bodyText', itemIndex, '')));
	const footer = trimmedText(ctx.getNodeParameter('footerText', itemIndex, ''));
	const bodyExamples = (
		(ctx.getNodeParameter('bodyExamples.example', itemIndex, []) as IDataObject[]) ?? []
	).map((e) => ({
		variable: trimmedText(e.variable).replace(/^\{\{\s*|\s*\}\}$/g, ''),
		value: trimmedText(e.value),
	}));
	const buttons = (ctx.getNodeParameter('buttons.button', itemIndex, []) as IDataObject[]) ?? [];

	if (!body) {
		throw new NodeOperationError(ctx.getNode(), 'Body Text is empty: every template needs a body', {
			itemIndex,
		});
	}
	if (body.length > BODY_MAX) throw tooLong(ctx, 'Body Text', BODY_MAX, body.length, itemIndex);
	if (header.length > HEADER_MAX)
		throw tooLong(ctx, 'Header Text', HEADER_MAX, header.length, itemIndex);
	if (footer.length > FOOTER_MAX)
		throw tooLong(ctx, 'Footer Text', FOOTER_MAX, footer.length, itemIndex);

	const headerVars = variablesIn(ctx, header, 'Header Text', itemIndex);
	const bodyVars = variablesIn(ctx, body, 'Body Text', itemIndex);
	if (variablesIn(ctx, footer, 'Footer Text', itemIndex).names.length) {
		throw new NodeOperationError(ctx.getNode(), 'Footer Text cannot contain variables', {
			itemIndex,
		});
	}
	const formats = [headerVars.format, bodyVars.format].filter(
		(f): f is ParameterFormat => f !== undefined,
	);
	if (formats.length === 2 && formats[0] !== formats[1]) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Header and body mix numbered and named variables',
			{ itemIndex },
		);
	}
	const format = formats[0];
	if (expectedFormat && format && format !== expectedFormat) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The text uses ${format} variables but Parameter Format is ${expectedFormat}`,
			{
				itemIndex,
				description:
					format === 'named'
						? 'Set Parameter Format to Named, or write the variables as {{1}}, {{2}}, ….'
						: 'Set Parameter Format to Positional, or write the variables as {{names}}.',
			},
		);
	}

	if (header) {
		const component: IDataObject = { type: 'HEADER', format: 'TEXT', text: header };
		if (headerVars.names.length > 1) {
			throw new NodeOperationError(ctx.getNode(), 'Header Text can hold only one variable', {
				itemIndex,
			});
		}
		if (headerVars.names.length === 1) {
			const example = trimmedText(ctx.getNodeParameter('headerExample', itemIndex, ''));
			if (!example) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Header Variable Example is empty: Meta’s review needs an example for {{${headerVars.names[0]}}}`,
					{ itemIndex },
				);
			}
			component.example =
				headerVars.format === 'named'
					? { header_text_named_params: [{ param_name: headerVars.names[0], example }] }
					: { header_text: [example] };
		}
		components.push(component);
	}

	const bodyComponent: IDataObject = { type: 'BODY', text: body };
	const known = new Set(bodyVars.names);
	const unknown = bodyExamples
		.filter((e) => e.variable && !known.has(e.variable))
		.map((e) => e.variable);
	if (unknown.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Body Variable Examples name variables the body does not use: ${unknown.join(', ')}`,
			{ itemIndex },
		);
	}
	if (bodyVars.names.length) {
		const values = bodyVars.names.map(
			(name) => bodyExamples.find((e) => e.variable === name)?.value ?? '',
		);
		const missing = bodyVars.names.filter((_, i) => !values[i]);
		if (missing.length) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Body Variable Examples miss a value for ${missing.map((n) => `{{${n}}}`).join(', ')}`,
				{ itemIndex, description: 'Meta’s review needs one example value per body variable.' },
			);
		}
		bodyComponent.example =
			bodyVars.format === 'named'
				? {
						body_text_named_params: bodyVars.names.map((name, i) => ({
							param_name: name,
							example: values[i],
						})),
					}
				: { body_text: [values] };
	}
	components.push(bodyComponent);

	if (footer) components.push({ type: 'FOOTER', text: footer });

	if (buttons.length > BUTTONS_MAX) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Too many buttons: ${buttons.length}, Meta allows ${BUTTONS_MAX}`,
			{
				itemIndex,
			},
		);
	}
	if (buttons.length) {
		components.push({
			type: 'BUTTONS',
			buttons: buttons.map((b, n) => buildButton(ctx, b, n + 1, itemIndex)),
		});
	}
	return components;
}

function buildButton(
	ctx: IExecuteFunctions,
	button: IDataObject,
	position: number,
	itemIndex: number,
): IDataObject {
	const type = trimmedText(button.type) || 'QUICK_REPLY';
	const label = trimmedText(button.text);
	const where = `Button ${position}`;
	if (!label) throw new NodeOperationError(ctx.getNode(), `${where} has no label`, { itemIndex });
	if (label.length > BUTTON_TEXT_MAX)
		throw tooLong(ctx, `${where} label`, BUTTON_TEXT_MAX, label.length, itemIndex);
	if (type === 'URL') {
		const url = trimmedText(button.url);
		const problem = httpsUrlProblem(url);
		if (problem) {
			throw new NodeOperationError(ctx.getNode(), `${where} URL ${problem}`, { itemIndex });
		}
		const result: IDataObject = { type, text: label, url };
		if (/\{\{\s*1\s*\}\}/.test(url)) {
			const example = trimmedText(button.urlExample);
			if (!example) {
				throw new NodeOperationError(
					ctx.getNode(),
					`${where} has a variable in its URL but no URL Example`,
					{
						itemIndex,
					},
				);
			}
			result.example = [example];
		}
		return result;
	}
	if (type === 'PHONE_NUMBER') {
		const phone = trimmedText(button.phoneNumber);
		if (!/^\+?[\d\s()-]{6,20}$/.test(phone)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${where} needs a phone number in international format`,
				{
					itemIndex,
					description: 'e.g. +15550001111',
				},
			);
		}
		return { type, text: label, phone_number: phone.replace(/[\s()-]/g, '') };
	}
	return { type: 'QUICK_REPLY', text: label };
}

/**
 * Reads the "Components (JSON)" field: text or an array from an expression. Invalid JSON, a
 * non-array or a missing BODY fail before the request with the item index.
 */
function parseComponentsJson(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = ctx.getNodeParameter('components', itemIndex, '') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), 'Components (JSON) is not valid JSON', {
				itemIndex,
				description: `${(error as Error).message}. Expected an array such as [{"type": "BODY", "text": "Hello {{1}}!", "example": {"body_text": [["World"]]}}].`,
			});
		}
	}
	if (!Array.isArray(value) || value.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Components (JSON) must be a non-empty array of components',
			{
				itemIndex,
			},
		);
	}
	const components = value as unknown[];
	components.forEach((component, n) => {
		if (!component || typeof component !== 'object' || Array.isArray(component)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Component ${n + 1} in Components (JSON) is not an object`,
				{
					itemIndex,
				},
			);
		}
		if (typeof (component as IDataObject).type !== 'string') {
			throw new NodeOperationError(
				ctx.getNode(),
				`Component ${n + 1} in Components (JSON) has no "type"`,
				{
					itemIndex,
					description: 'Each component needs "type": HEADER, BODY, FOOTER or BUTTONS.',
				},
			);
		}
	});
	if (!components.some((c) => String((c as IDataObject).type).toUpperCase() === 'BODY')) {
		throw new NodeOperationError(ctx.getNode(), 'Components (JSON) has no BODY component', {
			itemIndex,
			description: 'Every template needs a BODY component.',
		});
	}
	return components as IDataObject[];
}

/** Components from the builder or JSON (typeVersion 2), or the 1.x JSON field (typeVersion 1). */
export function readComponents(
	ctx: IExecuteFunctions,
	itemIndex: number,
	v1: boolean,
	expectedFormat?: ParameterFormat,
): IDataObject[] {
	if (v1 || ctx.getNodeParameter('componentsMode', itemIndex, 'builder') === 'json') {
		return parseComponentsJson(ctx, itemIndex);
	}
	return buildComponents(ctx, itemIndex, expectedFormat);
}
