import type { INode, INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
// The n8n-workflow that n8n 1.123.x runs (n8n 1.123.81 depends on n8n-workflow 1.120.31),
// installed under an alias next to the 2.x one the rest of the suite uses.
import { NodeHelpers as NodeHelpersV1 } from 'n8n-workflow-v1';

import { Fiwano } from '../../nodes/Fiwano/Fiwano.node';
import { FiwanoTrigger } from '../../nodes/Fiwano/FiwanoTrigger.node';

/**
 * Our descriptions as n8n 1.x reads them. n8n-workflow 1.x orders display conditions by
 * dependency before it resolves parameters, and gives up ("Could not resolve parameter
 * dependencies. Max iterations reached!") on a condition key it cannot place: a relative key
 * that is not a parameter name of the same level (e.g. `templateName.mode`). n8n then refuses to
 * activate any workflow holding the node. 2.x skips such keys, so the 2.x suite cannot see it.
 * Here every parameter list, at every nesting level, is resolved by 1.x for every
 * resource/operation and every value of every selector a condition names, and 1.x must show and
 * resolve exactly what 2.x does.
 */

type Helpers = Pick<typeof NodeHelpers, 'getNodeParameters' | 'displayParameter'>;
const v1 = NodeHelpersV1 as unknown as Helpers;
const v2 = NodeHelpers as unknown as Helpers;

const descriptions: INodeTypeDescription[] = [
	new Fiwano().description,
	new FiwanoTrigger().description,
];

type Entry = INodeProperties & { values?: INodeProperties[] };

/** Every list of sibling parameters: the top level, collection options and fixedCollection values. */
function parameterLists(
	list: INodeProperties[],
	path = 'top level',
): Array<[string, INodeProperties[]]> {
	const nested = (list as Entry[]).flatMap((p) => {
		const children =
			p.type === 'collection' && Array.isArray(p.options)
				? [[`${path} › ${p.name}`, p.options as INodeProperties[]] as [string, INodeProperties[]]]
				: p.type === 'fixedCollection' && Array.isArray(p.options)
					? (p.options as Entry[])
							.filter((o) => Array.isArray(o.values))
							.map(
								(o) => [`${path} › ${p.name}.${o.name}`, o.values!] as [string, INodeProperties[]],
							)
					: [];
		return children.flatMap(([childPath, childList]) => parameterLists(childList, childPath));
	});
	return [[path, list], ...nested];
}

/** The values a display condition can compare a top-level selector against. */
function selectorValues(property: INodeProperties): unknown[] {
	if (property.type === 'options')
		return (property.options ?? []).map((o) => (o as { value: unknown }).value);
	if (property.type === 'boolean') return [true, false];
	return [];
}

/**
 * Saved parameter sets that reach every branch of the description: each resource with each of
 * its operations, and on top of each, every value of every other selector that a display
 * condition names, one at a time. Resource locators get both modes.
 */
function parameterSets(description: INodeTypeDescription, version: number): INodeParameters[] {
	const props = description.properties;
	const node = nodeAt(description, version);
	const shown = (values: INodeParameters) =>
		props.filter((p) => v2.displayParameter(values, p, node, description));
	const conditionKeys = new Set(
		props.flatMap((p) =>
			Object.values(p.displayOptions ?? {}).flatMap((rule) => Object.keys(rule ?? {})),
		),
	);
	const bases: INodeParameters[] = [];
	const resources = props.filter((p) => p.name === 'resource');
	if (resources.length === 0) bases.push({});
	for (const resourceProp of resources.filter((p) => shown({}).includes(p)))
		for (const resource of selectorValues(resourceProp)) {
			const operations = shown({ resource: resource as string }).filter(
				(p) => p.name === 'operation',
			);
			for (const opProp of operations)
				for (const operation of selectorValues(opProp))
					bases.push({ resource: resource as string, operation: operation as string });
		}
	const sets: INodeParameters[] = [];
	for (const base of bases) {
		sets.push(base);
		for (const p of shown(base)) {
			if (p.name === 'resource' || p.name === 'operation') continue;
			if (p.type === 'resourceLocator') {
				for (const mode of (p.modes ?? []).map((m) => m.name))
					sets.push({ ...base, [p.name]: { __rl: true, mode, value: '' } });
			} else if ([...conditionKeys].some((k) => k.replace(/^\//, '').split('.')[0] === p.name)) {
				for (const value of selectorValues(p)) sets.push({ ...base, [p.name]: value as string });
			}
		}
	}
	return sets;
}

function nodeAt(description: INodeTypeDescription, version: number): INode {
	return {
		id: 'n',
		name: description.displayName,
		type: `n8n-nodes-fiwano.${description.name}`,
		typeVersion: version,
		position: [0, 0],
		parameters: {},
	};
}

const label = (values: INodeParameters) => JSON.stringify(values);

describe.each(descriptions.map((d) => [d.name, d] as [string, INodeTypeDescription]))(
	'%s description in n8n-workflow 1.x',
	(_name, description) => {
		const versions = [description.version].flat();

		it.each(parameterLists(description.properties))(
			'%s: 1.x can order every display condition of the list',
			(_path, list) => {
				// A fixedCollection's default is what n8n holds for it once the user adds it (a
				// collection's options never resolve without their parent's values).
				const added: INodeParameters = Object.fromEntries(
					list.filter((p) => p.type === 'fixedCollection').map((p) => [p.name, p.default]),
				);
				for (const version of versions) {
					expect(() =>
						v1.getNodeParameters(
							list,
							added,
							true,
							false,
							nodeAt(description, version),
							description,
						),
					).not.toThrow();
				}
			},
		);

		it.each(versions)('typeVersion %i: 1.x resolves and shows what 2.x does', (version) => {
			const node = nodeAt(description, version);
			const sets = parameterSets(description, version);
			expect(sets.length).toBeGreaterThan(1);
			for (const values of sets) {
				const r1 = v1.getNodeParameters(
					description.properties,
					values,
					true,
					false,
					node,
					description,
				);
				const r2 = v2.getNodeParameters(
					description.properties,
					values,
					true,
					false,
					node,
					description,
				);
				expect({ values: label(values), resolved: r1 }).toEqual({
					values: label(values),
					resolved: r2,
				});
				const shown = (h: Helpers, all: INodeParameters | null) =>
					description.properties
						.filter((p) => h.displayParameter(all ?? {}, p, node, description))
						.map((p) => p.name);
				expect({ values: label(values), shown: shown(v1, r1) }).toEqual({
					values: label(values),
					shown: shown(v2, r2),
				});
			}
		});
	},
);

describe('Send Template language field (typeVersion 2)', () => {
	const description = new Fiwano().description;
	const node = nodeAt(description, 2);
	const base = { resource: 'message', operation: 'sendTemplate' };
	const languageShown = (h: Helpers, mode: string) => {
		const values = { ...base, templateName: { __rl: true, mode, value: 'order_update' } };
		const all = h.getNodeParameters(description.properties, values, true, false, node, description);
		return description.properties
			.filter((p) => p.name === 'language')
			.some((p) => h.displayParameter(all ?? {}, p, node, description));
	};

	it.each([
		['1.x', v1],
		['2.x', v2],
	] as Array<[string, Helpers]>)(
		'n8n-workflow %s asks for a language only for a template given by name',
		(_v, h) => {
			expect(languageShown(h, 'name')).toBe(true);
			expect(languageShown(h, 'list')).toBe(false);
		},
	);
});
