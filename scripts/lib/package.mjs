// Builds the package, packs it like `npm publish` would, and installs the tarball into an n8n
// user folder the way the n8n docs tell users to install a community package by hand
// (`cd ~/.n8n/nodes && npm install <package>`). n8n 2.x loads every `n8n-nodes-*` package
// found in `<N8N_USER_FOLDER>/.n8n/nodes/node_modules` at start-up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function npm(args, { cwd, quiet = false } = {}) {
	const npmCli =
		process.env.npm_execpath && process.env.npm_execpath.endsWith('.js')
			? process.env.npm_execpath
			: null;
	const [cmd, argv] = npmCli ? [process.execPath, [npmCli, ...args]] : ['npm', args];
	const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (r.status !== 0) {
		throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
	}
	if (!quiet && r.stderr.trim()) process.stderr.write(r.stderr);
	return r.stdout;
}

/** `npm run build` in the repo. */
export function buildPackage() {
	npm(['run', 'build', '--silent'], { cwd: REPO_DIR, quiet: true });
}

/** `npm pack` into `outDir`; returns the absolute path of the tarball. */
export function packPackage(outDir) {
	mkdirSync(outDir, { recursive: true });
	const out = npm(['pack', '--json', '--pack-destination', outDir], { cwd: REPO_DIR, quiet: true });
	const info = JSON.parse(out.slice(out.indexOf('[')));
	const file = join(outDir, info[0].filename);
	if (!existsSync(file)) throw new Error(`npm pack did not produce ${file}`);
	return {
		file,
		name: info[0].name,
		version: info[0].version,
		files: info[0].files.map((f) => f.path),
	};
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes`. Peer dependencies are not installed:
 * n8n strips them from community packages too, so the nodes resolve n8n's own n8n-workflow.
 */
export function installIntoUserFolder(tarball, userFolder) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const pkgJson = join(nodesDir, 'package.json');
	if (!existsSync(pkgJson)) {
		writeFileSync(
			pkgJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	npm(
		[
			'install',
			tarball,
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: nodesDir },
	);
	const installed = readdirSync(join(nodesDir, 'node_modules'));
	if (installed.includes('n8n-workflow')) {
		throw new Error('n8n-workflow got installed next to the package; it must come from n8n itself');
	}
	return { nodesDir, installed };
}
