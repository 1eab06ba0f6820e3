import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, webhookDescriptionIsNativelyResolvable } from 'n8n-workflow';

import { FiwanoTrigger } from '../../nodes/Fiwano/FiwanoTrigger.node';
import contractJson from '../fixtures/compat/n8n-nodes-fiwano-1.0.1.contract.json';
import { triggerNode } from '../helpers/trigger';

const trigger = new FiwanoTrigger();
const description: INodeTypeDescription = trigger.description;

function shownIn(version: number): INodeProperties[] {
	return description.properties.filter((p) => {
		const versions = p.displayOptions?.show?.['@version'];
		if (!versions) return true;
		return versions.some((v) =>
			typeof v === 'number'
				? v === version
				: typeof v === 'object' && v !== null && '_cnd' in v && 'gte' in v._cnd
					? version >= Number(v._cnd.gte)
					: false,
		);
	});
}

function withoutVersion(
	show: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
	if (!show) return undefined;
	const rest = { ...show };
	delete rest['@version'];
	return Object.keys(rest).length ? rest : undefined;
}

interface ContractProperty {
	name: string;
	type: string;
	default: unknown;
	options?: string[];
	required?: boolean;
	displayOptions?: { show: Record<string, string[]> };
}

/** The published 1.x trigger (shared/compat, copied to test/fixtures/compat): frozen for typeVersion 1. */
const CONTRACT_V1 = (
	contractJson as {
		fiwanoTrigger: {
			version: number;
			credentials: Array<{ name: string; required: boolean }>;
			webhooks: INodeTypeDescription['webhooks'];
			properties: ContractProperty[];
		};
	}
).fiwanoTrigger;

describe('Fiwano Trigger description', () => {
	it('defaults new nodes to typeVersion 2 and keeps typeVersion 1', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		expect(description.name).toBe('fiwanoTrigger');
	});

	it('keeps the 1.x webhook (POST, path "webhook", answered on receipt) and optional credential', () => {
		expect(CONTRACT_V1.version).toBe(1);
		expect(description.webhooks).toEqual(CONTRACT_V1.webhooks);
		expect(description.credentials).toEqual(CONTRACT_V1.credentials);
	});

	it('shows typeVersion 1 exactly the 1.x parameters, plus its setup notice', () => {
		const names = shownIn(1).map((p) => p.name);
		expect(names.filter((n) => n !== 'setupNotice').sort()).toEqual(
			CONTRACT_V1.properties.map((p) => p.name).sort(),
		);
	});

	it('lets n8n resolve the webhook description without the expression engine', () => {
		expect(description.webhooks).toHaveLength(1);
		for (const webhook of description.webhooks ?? []) {
			expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
			for (const value of Object.values(webhook)) expect(String(value).startsWith('=')).toBe(false);
		}
	});

	it.each(CONTRACT_V1.properties)('keeps the 1.x parameter $name on typeVersion 1', (expected) => {
		const property = shownIn(1).find((p) => p.name === expected.name && p.type !== 'notice');
		expect(property).toBeDefined();
		expect(property?.type).toBe(expected.type);
		expect(property?.default).toEqual(expected.default);
		if (expected.options) {
			expect(
				(property?.options ?? []).map((o) => ('value' in o ? o.value : undefined)).sort(),
			).toEqual([...expected.options].sort());
		}
		expect(property?.required).toBe(expected.required);
		expect(withoutVersion(property?.displayOptions?.show)).toEqual(expected.displayOptions?.show);
	});

	it('has no secret parameter on typeVersion 2', () => {
		const names = shownIn(2).map((p) => p.name);
		expect(names).not.toContain('webhookSecret');
		expect(names.filter((n) => /secret/i.test(n))).toEqual([]);
		const v2Options = shownIn(2).find((p) => p.name === 'options')?.options ?? [];
		expect(v2Options.map((o) => ('name' in o ? o.name : ''))).toEqual([
			'channelTypes',
			'downloadMedia',
			'binaryProperty',
		]);
	});

	it('saves a new node with the v2 names and no secret', () => {
		const node = triggerNode({}, 2);
		const parameters = NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		);
		// Notices hold no data; n8n lists them with an empty value.
		expect(parameters).toEqual({
			autoNotice: '',
			autoSetup: 'channel',
			channelId: { __rl: true, mode: 'list', value: '' },
			events: ['message.received'],
			options: {},
		});
	});

	it('saves a 1.x node exactly as 1.x did (1.x had the same setupNotice)', () => {
		const node = triggerNode({}, 1);
		const parameters = NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		);
		expect(parameters).toEqual({
			autoSetup: 'manual',
			webhookSecret: '',
			events: ['message.received'],
			setupNotice: '',
		});
	});

	it('offers every documented event on typeVersion 2', () => {
		const events = shownIn(2).find((p) => p.name === 'events');
		expect((events?.options ?? []).map((o) => ('value' in o ? o.value : undefined)).sort()).toEqual(
			[
				'conversation.referral',
				'message.delivered',
				'message.echo',
				'message.failed',
				'message.read',
				'message.received',
				'message.sent',
			],
		);
	});

	it('warns in manual setup that unsigned deliveries start the workflow', () => {
		for (const version of [1, 2]) {
			const notices = shownIn(version).filter(
				(p) => p.type === 'notice' && p.displayOptions?.show?.autoSetup?.includes('manual'),
			);
			expect(notices).toHaveLength(1);
			expect(notices[0].displayName).toMatch(/anyone who knows the URL can start this workflow/);
		}
	});

	it('has every list search its pickers name, and the channel picker searches channels', () => {
		const methods = shownIn(2)
			.flatMap((p) => p.modes ?? [])
			.map((mode) => mode.typeOptions?.searchListMethod)
			.filter((name): name is string => typeof name === 'string');
		expect(methods).toEqual(['searchChannels']);
		const listSearch: Record<string, unknown> = trigger.methods.listSearch;
		for (const name of methods) expect(typeof listSearch[name]).toBe('function');
	});
});
