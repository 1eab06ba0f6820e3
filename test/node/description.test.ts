import type {
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { WEBHOOK_EVENT_OPTIONS } from '../../nodes/Fiwano/descriptions/common';
import { Fiwano } from '../../nodes/Fiwano/Fiwano.node';
import contractJson from '../fixtures/compat/n8n-nodes-fiwano-1.0.1.contract.json';

/**
 * Tests on the node description itself. typeVersion 1 must be exactly the published 1.x
 * contract (a copy of ../shared/compat kept in test/fixtures/compat): every parameter, option
 * value and default, visible under the same conditions, and nothing else. typeVersion 2 keeps the
 * same resources and operations and adds the pickers and fields the UI and AI agents rely on.
 */

interface ContractChild {
	name: string;
	type: string;
	default: unknown;
	options?: unknown[];
}

interface ContractProperty extends ContractChild {
	required?: boolean;
	displayOptions?: { show: Record<string, string[]> };
}

interface Contract {
	fiwano: {
		version: number;
		credentials: Array<{ name: string; required: boolean }>;
		usableAsTool: boolean;
		properties: ContractProperty[];
	};
}

const contract = (contractJson as Contract).fiwano;
const node = new Fiwano();
const description: INodeTypeDescription = node.description;
const properties = description.properties;

const resourceSelector = contract.properties.find((p) => p.name === 'resource')!;
const operationSelectors = contract.properties.filter((p) => p.name === 'operation');
const contractFields = contract.properties.filter(
	(p) => p.name !== 'resource' && p.name !== 'operation',
);

/** Every resource/operation pair of the 1.x package. */
const combos: Array<[string, string]> = operationSelectors.flatMap((selector) =>
	(selector.options as string[]).map((op): [string, string] => [
		selector.displayOptions!.show.resource[0],
		op,
	]),
);

/** Parameter values n8n resolves for a node with only resource and operation saved. */
function resolved(version: number, values: INodeParameters): INodeParameters {
	return (
		NodeHelpers.getNodeParameters(
			properties,
			values,
			true,
			false,
			{ typeVersion: version },
			description,
		) ?? {}
	);
}

/** Top-level properties n8n shows for these saved values. */
function visible(version: number, values: INodeParameters): INodeProperties[] {
	const all = resolved(version, values);
	return properties.filter((p) =>
		NodeHelpers.displayParameter(all, p, { typeVersion: version }, description),
	);
}

function contractVisible(field: ContractProperty, resource: string, operation: string): boolean {
	const show = field.displayOptions?.show ?? {};
	return (
		(!show.resource || show.resource.includes(resource)) &&
		(!show.operation || show.operation.includes(operation))
	);
}

function optionValues(options: INodeProperties['options']): unknown[] {
	return (options ?? []).map((o) => (o as INodePropertyOptions).value).sort();
}

/** A mode selector whose every option explains itself is described well enough. */
function everyOptionDescribed(property: INodeProperties): boolean {
	const options = (property.options ?? []) as INodePropertyOptions[];
	return (
		property.type === 'options' &&
		options.length > 0 &&
		options.every((o) => Boolean(o.description?.trim()))
	);
}

function sorted(values: unknown[] | undefined): unknown[] {
	return [...(values ?? [])].sort();
}

/** The names of these properties and of every option, field and value nested in them. */
function names(list: INodeProperties[]): string[] {
	type Entry = INodeProperties & { values?: INodeProperties[] };
	return (list as Entry[]).flatMap((p) => [
		p.name,
		...(Array.isArray(p.options) && p.options.some((o) => 'type' in o || 'values' in o)
			? names(p.options as INodeProperties[])
			: []),
		...(Array.isArray(p.values) ? names(p.values) : []),
	]);
}

/** Operations typeVersion 2 offers beyond the 1.x ones; typeVersion 1 shows none of them. */
const V2_ADDED_OPERATIONS: Record<string, string[]> = { message: ['sendAndWait'] };

describe('Fiwano node description', () => {
	it('is the fiwano node with both versions, 2 by default, usable as a tool with the fiwanoApi credential', () => {
		expect(description.name).toBe('fiwano');
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		expect(description.usableAsTool).toBe(contract.usableAsTool);
		expect(description.credentials).toEqual(contract.credentials);
	});

	it.each([1, 2])(
		'typeVersion %i keeps the resources, operations and their defaults of 1.x',
		(version) => {
			const resource = visible(version, {}).filter((p) => p.name === 'resource');
			expect(resource).toHaveLength(1);
			expect(resource[0].noDataExpression).toBe(true);
			// typeVersion 2 adds the Subscription resource; typeVersion 1 has exactly the 1.x ones.
			expect(optionValues(resource[0].options)).toEqual(
				sorted([...(resourceSelector.options ?? []), ...(version === 1 ? [] : ['subscription'])]),
			);
			expect(resolved(version, {}).resource).toBe(resourceSelector.default);

			for (const selector of operationSelectors) {
				const r = selector.displayOptions!.show.resource[0];
				const shown = visible(version, { resource: r }).filter((p) => p.name === 'operation');
				expect({ resource: r, count: shown.length }).toEqual({ resource: r, count: 1 });
				expect(shown[0].noDataExpression).toBe(true);
				const added = version >= 2 ? (V2_ADDED_OPERATIONS[r] ?? []) : [];
				expect({ resource: r, values: optionValues(shown[0].options) }).toEqual({
					resource: r,
					values: sorted([...(selector.options as string[]), ...added]),
				});
				expect({ resource: r, default: resolved(version, { resource: r }).operation }).toEqual({
					resource: r,
					default: selector.default,
				});
			}
		},
	);

	it('every operation has an action and a description for AI agents', () => {
		for (const selector of properties.filter((p) => p.name === 'operation')) {
			for (const option of selector.options as INodePropertyOptions[]) {
				expect({ value: option.value, action: typeof option.action }).toEqual({
					value: option.value,
					action: 'string',
				});
				expect((option.description ?? '').length).toBeGreaterThan(10);
			}
		}
	});

	describe.each(combos)('typeVersion 1, %s → %s', (resource, operation) => {
		const shown = visible(1, { resource, operation });
		const values = resolved(1, { resource, operation });
		const expected = contractFields.filter((f) => contractVisible(f, resource, operation));

		it('shows exactly the 1.x parameters (notices aside)', () => {
			const names = shown.filter((p) => p.type !== 'notice').map((p) => p.name);
			expect(names.sort()).toEqual(
				['operation', 'resource', ...expected.map((f) => f.name)].sort(),
			);
		});

		it('never shows two parameters with the same name', () => {
			const names = shown.map((p) => p.name);
			expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
		});

		const cases = expected.map((f) => [f.name, f] as [string, ContractProperty]);
		if (cases.length)
			it.each(cases)('%s has the 1.x type, default, required flag and options', (_name, field) => {
				const property = shown.find((p) => p.name === field.name);
				expect(property).toBeDefined();
				expect(property!.type).toBe(field.type);
				expect(property!.default).toEqual(field.default);
				expect(values[field.name]).toEqual(field.default);
				expect(Boolean(property!.required)).toBe(Boolean(field.required));
				if (field.type === 'options' || field.type === 'multiOptions') {
					expect(optionValues(property!.options)).toEqual(sorted(field.options));
				}
				if (field.type === 'collection') {
					const children = (property!.options ?? []) as INodeProperties[];
					const expectedChildren = field.options as ContractChild[];
					expect(children.map((c) => c.name).sort()).toEqual(
						expectedChildren.map((c) => c.name).sort(),
					);
					for (const child of expectedChildren) {
						const ours = children.find((c) => c.name === child.name)!;
						expect({ name: child.name, type: ours.type, default: ours.default }).toEqual({
							name: child.name,
							type: child.type,
							default: child.default,
						});
						if (child.options) {
							expect({ name: child.name, values: optionValues(ours.options) }).toEqual({
								name: child.name,
								values: sorted(child.options),
							});
						}
					}
				}
			});
	});

	describe.each(combos)('typeVersion 2, %s → %s', (resource, operation) => {
		const shown = visible(2, { resource, operation });

		it('never shows two parameters with the same name', () => {
			const names = shown.map((p) => p.name);
			expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
		});

		it('picks the channel with a resource locator (list and ID) wherever 1.x had a channel ID', () => {
			const hadChannelId = contractFields.some(
				(f) => f.name === 'channelId' && contractVisible(f, resource, operation),
			);
			const channel = shown.find((p) => p.name === 'channelId');
			if (!hadChannelId) {
				expect(channel).toBeUndefined();
				return;
			}
			expect(channel?.type).toBe('resourceLocator');
			expect(channel?.modes?.map((m) => m.name)).toEqual(expect.arrayContaining(['list', 'id']));
			expect(channel?.modes?.find((m) => m.name === 'list')?.typeOptions?.searchListMethod).toBe(
				'searchChannels',
			);
		});

		it('describes every parameter for AI agents', () => {
			const undocumented = shown
				.filter((p) => !['notice', 'hidden'].includes(p.type))
				.filter((p) => !['resource', 'operation'].includes(p.name))
				.filter((p) => !['collection', 'fixedCollection'].includes(p.type))
				.filter((p) => !(p.description ?? '').trim() && !everyOptionDescribed(p))
				.map((p) => p.name);
			expect(undocumented).toEqual([]);
		});
	});

	it('every list search, load options and resource mapper method it names exists', () => {
		const named: Array<[string, string]> = [];
		type Entry = INodeProperties & { values?: INodeProperties[] };
		const walk = (list: Entry[]) => {
			for (const p of list) {
				for (const mode of p.modes ?? []) {
					if (mode.typeOptions?.searchListMethod)
						named.push(['listSearch', mode.typeOptions.searchListMethod]);
				}
				if (p.typeOptions?.loadOptionsMethod)
					named.push(['loadOptions', p.typeOptions.loadOptionsMethod]);
				const mapper = p.typeOptions?.resourceMapper?.resourceMapperMethod;
				if (mapper) named.push(['resourceMapping', mapper]);
				if (Array.isArray(p.options)) walk(p.options as Entry[]);
				if (Array.isArray(p.values)) walk(p.values);
			}
		};
		walk(properties);
		const methods: Record<string, Record<string, unknown> | undefined> = { ...node.methods };
		const missing = named.filter(([kind, name]) => typeof methods[kind]?.[name] !== 'function');
		expect(missing).toEqual([]);
	});

	describe('typeVersion 2 additions for channels, templates and redirect URIs', () => {
		it.each([['channel'], ['template'], ['redirect']])(
			'%s Get Many has Return All and Limit (default 50)',
			(resource) => {
				const values = resolved(2, { resource, operation: 'getAll' });
				expect(values.returnAll).toBe(false);
				expect(values.limit).toBe(50);
				expect(
					resolved(2, { resource, operation: 'getAll', returnAll: true }).limit,
				).toBeUndefined();
			},
		);

		it('channel Get Many filters by channel type, active only and needing attention', () => {
			const filters = visible(2, { resource: 'channel', operation: 'getAll' }).find(
				(p) => p.name === 'filters',
			);
			expect(((filters?.options ?? []) as INodeProperties[]).map((o) => o.name).sort()).toEqual([
				'activeOnly',
				'channelType',
				'expiringWithinDays',
				'needsAttention',
			]);
		});

		it.each([
			[
				'exchangeCode',
				'additionalFields',
				['echo_statuses', 'useCredentialSecret', 'webhook_events', 'webhook_url'],
			],
			[
				'update',
				'updateFields',
				[
					'echo_statuses',
					'releaseSubscriptionSlot',
					'subscription_id',
					'useCredentialSecret',
					'webhook_events',
					'webhook_url',
				],
			],
		])(
			'channel %s offers the newer webhook fields in %s, and no secret field',
			(operation, name, expected) => {
				const shown = visible(2, { resource: 'channel', operation });
				const collection = shown.find((p) => p.name === name);
				const options = (collection?.options ?? []) as INodeProperties[];
				expect(options.map((o) => o.name).sort()).toEqual(expected);
				const events = options.find((o) => o.name === 'webhook_events');
				expect(optionValues(events?.options)).toEqual(optionValues(WEBHOOK_EVENT_OPTIONS));
				// A secret typed into a parameter is saved and exported with the workflow.
				expect(names(shown)).not.toContain('webhook_secret');
				const notice = shown.find((p) => p.type === 'notice' && p.name === 'webhookSecretNotice');
				expect(notice?.displayName).toMatch(/Fiwano Trigger/);
				expect(notice?.displayName).toMatch(/Use Secret From Credential/);
			},
		);

		it('no channel operation takes a webhook secret as a parameter from typeVersion 2 (typeVersion 1 keeps 1.x’s)', () => {
			const channelOps = operationSelectors.find(
				(p) => p.displayOptions!.show.resource[0] === 'channel',
			)!.options as string[];
			const withSecret = (version: number) =>
				channelOps.filter((operation) =>
					names(visible(version, { resource: 'channel', operation })).includes('webhook_secret'),
				);
			expect(withSecret(2)).toEqual([]);
			expect(withSecret(1).sort()).toEqual(['exchangeCode', 'update']);
		});

		it.each([['get'], ['update'], ['delete']])(
			'template %s picks the template from the channel’s list or by ID',
			(operation) => {
				const template = visible(2, { resource: 'template', operation }).find(
					(p) => p.name === 'templateId',
				);
				expect(template?.type).toBe('resourceLocator');
				expect(template?.modes?.map((m) => m.name)).toEqual(['list', 'id']);
				expect(template?.modes?.[0].typeOptions?.searchListMethod).toBe('searchTemplates');
			},
		);

		it.each([['create'], ['update']])(
			'template %s builds components with fields by default, JSON on demand',
			(operation) => {
				const builder = visible(2, { resource: 'template', operation }).map((p) => p.name);
				expect(builder).toEqual(
					expect.arrayContaining([
						'componentsMode',
						'headerText',
						'bodyText',
						'bodyExamples',
						'footerText',
						'buttons',
					]),
				);
				expect(builder).not.toContain('components');
				const json = visible(2, { resource: 'template', operation, componentsMode: 'json' }).map(
					(p) => p.name,
				);
				expect(json).toContain('components');
				expect(json).not.toContain('bodyText');
			},
		);

		it('redirect Delete picks from the registered redirect URIs or takes an ID', () => {
			const redirect = visible(2, { resource: 'redirect', operation: 'delete' }).find(
				(p) => p.name === 'redirectId',
			);
			expect(redirect?.type).toBe('resourceLocator');
			expect(redirect?.modes?.map((m) => m.name)).toEqual(['list', 'id']);
			expect(redirect?.modes?.[0].typeOptions?.searchListMethod).toBe('searchRedirects');
		});
	});
});
