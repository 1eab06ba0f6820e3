import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Template } from './types';

/** A template's components that take variables, as `variables` keys of send-template. */
export type VariableComponent = 'header' | 'body' | 'buttons';

/** One variable a template needs a value for. */
export interface VariableDefinition {
	component: VariableComponent;
	/** Position ("1", "2") for positional templates, the name for named ones, the button index for buttons. */
	key: string;
	example?: string;
}

/** Meta template names: lowercase letters, digits and underscores. */
export const TEMPLATE_NAME_REGEX = /^[a-z0-9_]+$/;
/** Meta language codes: en, en_US, pt_BR, zh_HK, fil, ... */
export const LANGUAGE_REGEX = /^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$/;

const FIELD_PREFIX: Record<VariableComponent, string> = {
	header: 'header',
	body: 'body',
	buttons: 'button',
};

/** The resource-mapper field ID of a variable: `body_1`, `body_customer_name`, `header_1`, `button_0`. */
export function fieldId(definition: VariableDefinition): string {
	return `${FIELD_PREFIX[definition.component]}_${definition.key}`;
}

/** A label that says where the variable goes, with the template's example value. */
export function fieldLabel(definition: VariableDefinition): string {
	const where =
		definition.component === 'buttons'
			? `Button ${Number(definition.key) + 1} (index ${definition.key})`
			: `${definition.component === 'header' ? 'Header' : 'Body'} ${/^\d+$/.test(definition.key) ? `variable ${definition.key}` : definition.key}`;
	return definition.example ? `${where} — e.g. ${definition.example}` : where;
}

/**
 * The template to send as `{ name, language }`. The template picker stores `name|language`
 * (a name alone is not unique: each language is its own template); a bare name takes the
 * language from the Language field.
 */
export function parseTemplateRef(
	value: unknown,
	fallbackLanguage?: unknown,
): { name: string; language: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	const bar = text.lastIndexOf('|');
	if (bar >= 0) return { name: text.slice(0, bar).trim(), language: text.slice(bar + 1).trim() };
	return {
		name: text,
		language: typeof fallbackLanguage === 'string' ? fallbackLanguage.trim() : '',
	};
}

/** A non-empty string as it is, a number as its digits, else undefined. */
function nonEmptyText(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

function placeholders(source: unknown): string[] {
	if (typeof source !== 'string') return [];
	const found: string[] = [];
	for (const match of source.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
		if (!found.includes(match[1])) found.push(match[1]);
	}
	return found;
}

function fromSummaryList(component: VariableComponent, list: unknown): VariableDefinition[] {
	if (!Array.isArray(list)) return [];
	const definitions: VariableDefinition[] = [];
	list.forEach((entry, arrayIndex) => {
		if (!entry || typeof entry !== 'object') return;
		const info = entry as IDataObject;
		let key: string | undefined;
		if (component === 'buttons') {
			key = String(typeof info.index === 'number' ? info.index : arrayIndex);
		} else {
			key =
				nonEmptyText(info.name) ??
				(typeof info.position === 'number' ? String(info.position) : undefined);
		}
		if (key === undefined) return;
		definitions.push({ component, key, example: nonEmptyText(info.example) });
	});
	return definitions;
}

function examplesOf(
	component: IDataObject,
	kind: 'header' | 'body',
): { positional: unknown[]; named: Map<string, string> } {
	const example = (component.example ?? {}) as IDataObject;
	const raw = example[`${kind}_text`];
	const positional = Array.isArray(raw)
		? Array.isArray(raw[0])
			? (raw[0] as unknown[])
			: raw
		: [];
	const named = new Map<string, string>();
	const namedList = example[`${kind}_text_named_params`];
	if (Array.isArray(namedList)) {
		for (const entry of namedList as IDataObject[]) {
			const name = nonEmptyText(entry?.param_name);
			const value = nonEmptyText(entry?.example);
			if (name && value) named.set(name, value);
		}
	}
	return { positional, named };
}

function fromComponents(components: unknown): VariableDefinition[] {
	if (!Array.isArray(components)) return [];
	const definitions: VariableDefinition[] = [];
	for (const raw of components as IDataObject[]) {
		const type = String(raw?.type ?? '').toUpperCase();
		if (type === 'HEADER' || type === 'BODY') {
			const component = type === 'HEADER' ? 'header' : 'body';
			const { positional, named } = examplesOf(raw, component);
			for (const key of placeholders(raw.text)) {
				const example = /^\d+$/.test(key)
					? nonEmptyText(positional[Number(key) - 1])
					: named.get(key);
				definitions.push({ component, key, example });
			}
		} else if (type === 'BUTTONS' && Array.isArray(raw.buttons)) {
			(raw.buttons as IDataObject[]).forEach((button, index) => {
				if (placeholders(button?.url).length === 0) return;
				const example = Array.isArray(button.example)
					? nonEmptyText(button.example[0])
					: nonEmptyText(button.example);
				definitions.push({ component: 'buttons', key: String(index), example });
			});
		}
	}
	return definitions;
}

/**
 * The variables a template needs, from the `variables` summary Fiwano returns with a template
 * (`GET /channels/{id}/templates/{template_id}`), or, when it is missing, read from the
 * components' `{{...}}` placeholders and examples.
 */
export function variableDefinitions(template: Template): VariableDefinition[] {
	const summary = template.variables;
	if (summary && typeof summary === 'object' && !Array.isArray(summary)) {
		const s = summary as IDataObject;
		const listed = [
			...fromSummaryList('header', s.header),
			...fromSummaryList('body', s.body),
			...fromSummaryList('buttons', s.buttons),
		];
		if (listed.length > 0 || s.total_count === 0) return listed;
	}
	return fromComponents(template.components);
}

function parseFieldId(id: string): { component: VariableComponent; key: string } | undefined {
	const match = /^(header|body|button)_(.+)$/.exec(id);
	if (!match) return undefined;
	const component = match[1] === 'button' ? 'buttons' : (match[1] as VariableComponent);
	return { component, key: match[2] };
}

/**
 * Builds send-template's `variables` from the template-variable fields: positional values as
 * arrays in order (`{"body": ["Pablo", "ORD-123"]}`), named values as objects
 * (`{"body": {"customer_name": "Pablo"}}`), buttons as `[{"index": 0, "value": "promo"}]`.
 * Every variable needs a value: Meta rejects empty parameters. Returns undefined when the
 * template has no variables, so the request omits `variables`.
 */
export function buildVariables(
	node: INode,
	values: IDataObject,
	itemIndex: number,
	labels: Record<string, string> = {},
): IDataObject | undefined {
	const grouped: Record<VariableComponent, Array<{ key: string; value: string }>> = {
		header: [],
		body: [],
		buttons: [],
	};
	for (const [id, raw] of Object.entries(values)) {
		const parsed = parseFieldId(id);
		if (!parsed) continue;
		const value =
			typeof raw === 'string'
				? raw
				: typeof raw === 'number' || typeof raw === 'boolean'
					? String(raw)
					: undefined;
		if (value === undefined || value.trim() === '') {
			throw new NodeOperationError(node, `Template variable "${labels[id] ?? id}" is empty`, {
				itemIndex,
				description:
					'Every variable of a WhatsApp template needs a value; Meta rejects empty parameters.',
			});
		}
		grouped[parsed.component].push({ key: parsed.key, value });
	}
	const variables: IDataObject = {};
	for (const component of ['header', 'body'] as const) {
		const entries = grouped[component];
		if (entries.length === 0) continue;
		if (entries.every((e) => /^\d+$/.test(e.key))) {
			const sorted = [...entries].sort((a, b) => Number(a.key) - Number(b.key));
			sorted.forEach((entry, index) => {
				if (Number(entry.key) !== index + 1) {
					throw new NodeOperationError(
						node,
						`Template ${component} variable ${index + 1} has no value`,
						{
							itemIndex,
							description: `Positional variables are numbered from 1 without gaps; got ${sorted.map((e) => e.key).join(', ')}.`,
						},
					);
				}
			});
			variables[component] = sorted.map((e) => e.value);
		} else {
			variables[component] = Object.fromEntries(entries.map((e) => [e.key, e.value]));
		}
	}
	if (grouped.buttons.length > 0) {
		variables.buttons = [...grouped.buttons]
			.sort((a, b) => Number(a.key) - Number(b.key))
			.map((e) => ({ index: Number(e.key), value: e.value }));
	}
	return Object.keys(variables).length > 0 ? variables : undefined;
}
