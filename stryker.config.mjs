// `npm run test:mutation`: StrykerJS changes the code where a silent bug costs most, one small
// change (mutant) at a time, and checks that some test fails. The score per file is printed at
// the end; docs/architecture.md says why these files. STRYKER_MUTATE=path,path narrows the run
// (CI passes the changed files).
const all = [
	'nodes/Fiwano/transport/{index,errors,rateGate,lookups}.ts',
	'nodes/Fiwano/trigger/signature.ts',
	'nodes/Fiwano/trigger/dedupe.ts',
	'nodes/Fiwano/trigger/registration.ts',
	'nodes/Fiwano/actions/message/sendEngine.ts',
	'nodes/Fiwano/helpers/textSplit.ts',
	'nodes/Fiwano/helpers/recipient.ts',
];
const only = (process.env.STRYKER_MUTATE ?? '').split(',').filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	// perTest coverage picks the tests of each mutant; findRelatedTests would resolve the whole
	// import graph again for every mutant.
	jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
	coverageAnalysis: 'perTest',
	concurrency: 2,
	mutate: only.length ? only.filter((file) => all.some((pattern) => matches(pattern, file))) : all,
	ignorePatterns: ['dist', 'coverage', 'reports', '.cache', 'test/sandbox/*.html'],
	reporters: ['clear-text', 'progress', 'html'],
	htmlReporter: { fileName: 'reports/mutation/index.html' },
	clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
	thresholds: { high: 90, low: 90, break: 90 },
	// Static mutants (module-level constants) need every test re-run from a fresh module
	// registry: too slow for 2 cores. Time-outs are mutants that loop or wait forever.
	ignoreStatic: true,
	timeoutMS: 5000,
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};

/** A pattern of the list above (`**`, `*` and `{a,b}` only) against a path. */
function matches(pattern, file) {
	const source = pattern
		.replace(/[.+?^$()|[\]\\]/g, '\\$&')
		.replace(/\{([^}]*)\}/g, (_, list) => `(?:${list.split(',').join('|')})`)
		.replace(/\*\*\//g, '(?:.*/)?')
		.replace(/\*/g, '[^/]*');
	return new RegExp(`^${source}$`).test(file);
}
