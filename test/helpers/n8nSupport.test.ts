import { ExecuteContext, WebhookContext } from 'n8n-core';
import type { INode, IRunExecutionData, IWebhookData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	compareVersions,
	MIN_N8N_VERSION,
	minN8nVersionFor,
	N8N_HELPER_SINCE,
	newerN8nNotice,
	requireN8nHelpers,
	requireResumeUrlSignature,
	type GatedHelper,
} from '../../nodes/Fiwano/helpers/n8nSupport';
import { additionalData, fiwanoNode, makeWorkflow } from './harness';
import { readRepoFile } from './node';

/**
 * The gate a feature calls before it uses a context helper that older n8n lacks. Every helper
 * our nodes call today exists in n8n 1.123.81 (the oldest n8n we support, read in its n8n-core),
 * so no real n8n we run can show the refusal: these tests take n8n-core's real contexts and
 * remove the helper, which is exactly what an older n8n's context looks like to the node.
 */

const node: INode = { ...fiwanoNode({ resource: 'message', operation: 'send' }), id: 'node-1' };
const workflow = makeWorkflow({ nodes: [node], connections: {} });
const runData = { resultData: { runData: {} } } as unknown as IRunExecutionData;

function executeContext(): ExecuteContext {
	return new ExecuteContext(
		workflow,
		node,
		additionalData(),
		'manual',
		runData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: { main: [[{ json: {} }]] }, source: null },
		[],
	);
}

function webhookContext(): WebhookContext {
	const webhookData = { node: node.name, webhookDescription: { name: 'default' } } as IWebhookData;
	return new WebhookContext(workflow, node, additionalData(), 'webhook', webhookData, [], null);
}

/** The context an older n8n hands the node: the same, without these helpers. */
function without<T extends object>(ctx: T, ...helpers: string[]): T {
	const older = Object.create(ctx) as Record<string, unknown>;
	for (const h of helpers) older[h] = undefined;
	return older as T;
}

const gated = Object.keys(N8N_HELPER_SINCE) as GatedHelper[];

describe('requireN8nHelpers', () => {
	it('lets a feature run when n8n provides every helper it needs', () => {
		expect(() =>
			requireN8nHelpers(executeContext(), 'Send and Wait', [
				'getSignedResumeUrl',
				'putExecutionToWait',
			]),
		).not.toThrow();
		expect(() =>
			requireN8nHelpers(webhookContext(), 'Approvals', ['getSignedResumeUrl', 'logHitlResponse']),
		).not.toThrow();
	});

	it('names only real n8n context helpers (each exists in n8n-core 2.41)', () => {
		const ctxs = [executeContext(), webhookContext()] as unknown as Array<Record<string, unknown>>;
		for (const helper of gated) {
			expect({ helper, found: ctxs.some((c) => typeof c[helper] === 'function') }).toEqual({
				helper,
				found: true,
			});
		}
	});

	it('refuses with the feature, the missing helper and the minimum n8n version', () => {
		const older = without(executeContext(), 'getSignedResumeUrl');
		let error: unknown;
		try {
			requireN8nHelpers(older, 'Send and Wait', ['getSignedResumeUrl', 'putExecutionToWait']);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		const e = error as NodeOperationError;
		expect(e.message).toBe(`Send and Wait needs n8n ${MIN_N8N_VERSION} or newer`);
		expect(e.description).toBe(
			`This n8n does not provide getSignedResumeUrl, which Send and Wait uses. Update n8n to ${MIN_N8N_VERSION} or newer, or choose another operation.`,
		);
		expect(e.node?.name).toBe(node.name);
	});

	it('asks for the helper’s own release when that is newer than the minimum we support', () => {
		// n8n 1.123.81's webhook context has no logHitlResponse (it came in n8n 2.32.0).
		const older = without(webhookContext(), 'logHitlResponse');
		expect(() => requireN8nHelpers(older, 'Recording approvals', ['logHitlResponse'])).toThrow(
			'Recording approvals needs n8n 2.32.0 or newer',
		);
	});

	it('lists every missing helper', () => {
		const older = without(executeContext(), 'getSignedResumeUrl', 'putExecutionToWait');
		expect(() =>
			requireN8nHelpers(older, 'Send and Wait', ['getSignedResumeUrl', 'putExecutionToWait']),
		).toThrow(
			expect.objectContaining({
				description: expect.stringContaining('getSignedResumeUrl, putExecutionToWait'),
			}),
		);
	});
});

describe('n8n versions', () => {
	it('compares major.minor.patch numerically', () => {
		expect(compareVersions('1.109.0', '1.85.3')).toBe(1);
		expect(compareVersions('1.123.81', '2.0.0')).toBe(-1);
		expect(compareVersions('2.32.0', '2.32.0')).toBe(0);
		expect(compareVersions('1.123.9', '1.123.81')).toBe(-1);
	});

	it('never asks for less than the minimum we support', () => {
		expect(minN8nVersionFor([])).toBe(MIN_N8N_VERSION);
		expect(minN8nVersionFor(['getSignedResumeUrl', 'putExecutionToWait'])).toBe(MIN_N8N_VERSION);
		expect(minN8nVersionFor(['getSignedResumeUrl', 'logHitlResponse'])).toBe('2.32.0');
	});

	it('the README states the minimum the nodes enforce', () => {
		const readme = readRepoFile('README.md');
		const compatibility = readme.split('## Compatibility')[1]?.split('\n## ')[0] ?? '';
		expect(compatibility).toContain(`Minimum n8n version: **${MIN_N8N_VERSION}**`);
	});
});

describe('newerN8nNotice', () => {
	it('is a notice naming the version, under the caller’s display conditions', () => {
		const show = { resource: ['message'], operation: ['sendAndWait'] };
		expect(newerN8nNotice('Recording approvals', ['logHitlResponse'], show)).toEqual({
			displayName:
				'Recording approvals needs n8n 2.32.0 or newer; on an older n8n the node stops with an error that says so',
			name: 'n8nVersionNotice',
			type: 'notice',
			default: '',
			displayOptions: { show },
		});
	});
});

describe('requireResumeUrlSignature', () => {
	it('asks n8n 1.x to check resume URL signatures (its context has setSignatureValidationRequired)', () => {
		const setSignatureValidationRequired = jest.fn();
		const older = Object.assign(Object.create(executeContext()) as object, {
			setSignatureValidationRequired,
		});
		requireResumeUrlSignature(older);
		expect(setSignatureValidationRequired).toHaveBeenCalledTimes(1);
	});

	it('does nothing on n8n 2.x, which checks them by itself and has no such method', () => {
		const ctx = executeContext();
		expect(
			(ctx as unknown as Record<string, unknown>).setSignatureValidationRequired,
		).toBeUndefined();
		expect(() => requireResumeUrlSignature(ctx)).not.toThrow();
	});
});
