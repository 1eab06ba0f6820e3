import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeTypeDescription } from 'n8n-workflow';

import { packedFiles, readRepoFile, repoFileExists, repoRoot } from '../helpers/node';

const pkg = JSON.parse(readRepoFile('package.json')) as {
	name: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	files: string[];
	n8n: { nodes: string[]; credentials: string[]; strict: boolean; n8nNodesApiVersion: number };
};

describe('the built package, as n8n loads it', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		if (!repoFileExists('dist/nodes/Fiwano/Fiwano.node.js')) {
			throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
		}
		loader = new PackageDirectoryLoader(repoRoot);
		await loader.loadAll();
	});

	it('declares a verified-node package shape: no runtime dependencies, n8n-workflow as the only peer', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('loads the three nodes and the credential from dist', () => {
		expect(loader.packageName).toBe('n8n-nodes-fiwano');
		expect(Object.keys(loader.nodeTypes).sort()).toEqual([
			'fiwano',
			'fiwanoMonitorTrigger',
			'fiwanoTrigger',
		]);
		expect(Object.keys(loader.credentialTypes)).toEqual(['fiwanoApi']);
		const versions = (loader.types.nodes as INodeTypeDescription[]).map((d) => [
			d.name,
			d.version,
			d.defaultVersion,
		]);
		expect(versions).toEqual([
			['fiwano', [1, 2], 2],
			['fiwanoTrigger', [1, 2], 2],
			['fiwanoMonitorTrigger', 1, undefined],
		]);
		expect(loader.types.credentials.map((c) => c.name)).toEqual(['fiwanoApi']);
	});

	it('resolves light and dark icons to files that exist in dist', () => {
		type WithIcon = { iconUrl?: { light: string; dark: string } };
		const icons = [
			...(loader.types.nodes as WithIcon[]),
			...(loader.types.credentials as WithIcon[]),
		].map((d) => d.iconUrl);
		expect(icons).toHaveLength(4);
		for (const icon of icons) {
			expect(icon).toEqual({
				light: 'icons/n8n-nodes-fiwano/dist/nodes/Fiwano/fiwano.svg',
				dark: 'icons/n8n-nodes-fiwano/dist/nodes/Fiwano/fiwano.dark.svg',
			});
			// n8n serves icons/<package>/<path> from the package directory.
			for (const url of [icon!.light, icon!.dark]) {
				expect(readRepoFile(url.replace('icons/n8n-nodes-fiwano/', ''))).toMatch(/^<svg /);
			}
		}
	});

	it('attaches the codex (Communication category, documentation links) to each node', () => {
		for (const name of ['fiwano', 'fiwanoTrigger', 'fiwanoMonitorTrigger']) {
			const { type } = loader.getNode(name);
			const description = 'nodeVersions' in type ? type.description : type.description;
			const codex = (
				description as INodeTypeDescription & {
					codex?: {
						categories: string[];
						resources: { primaryDocumentation: Array<{ url: string }> };
					};
				}
			).codex;
			expect(codex?.categories).toContain('Communication');
			expect(codex?.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		}
	});

	it('packs only dist, package.json, README and LICENSE', () => {
		const files = packedFiles();
		const outside = files.filter(
			(f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f),
		);
		expect(outside).toEqual([]);
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/nodes/Fiwano/Fiwano.node.js',
				'dist/nodes/Fiwano/FiwanoTrigger.node.js',
				'dist/nodes/Fiwano/FiwanoMonitorTrigger.node.js',
				'dist/nodes/Fiwano/FiwanoMonitorTrigger.node.json',
				'dist/credentials/FiwanoApi.credentials.js',
				'dist/nodes/Fiwano/Fiwano.node.json',
				'dist/nodes/Fiwano/fiwano.svg',
				'dist/nodes/Fiwano/fiwano.dark.svg',
			]),
		);
		expect(files.some((f) => /test|sandbox|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toBe(false);
	});
});
