/**
 * `npm run test:mutation` (StrykerJS): only the test files that exercise the mutated code, so a
 * mutant run on 2 cores stays in minutes. See stryker.config.mjs for the files mutated.
 */
const base = require('./jest.config');
const { UNIT_TESTS } = require('./test/helpers/mutationSequencer');

module.exports = {
	...base,
	// Transpile only (no type check): Stryker's mutated files are not type-correct by design.
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ tsconfig: 'tsconfig.json', diagnostics: false, isolatedModules: true },
		],
	},
	testSequencer: '<rootDir>/test/helpers/mutationSequencer.js',
	bail: 1,
	// STRYKER_UNIT_ONLY=1: only the pure unit tests (seconds per mutant instead of many); the
	// score is then a lower bound.
	testMatch: process.env.STRYKER_UNIT_ONLY
		? UNIT_TESTS.map((name) => `<rootDir>/test/${name}`)
		: [
				'<rootDir>/test/transport/**/*.test.ts',
				'<rootDir>/test/trigger/{signature,dedupe,registration,testListen}.test.ts',
				'<rootDir>/test/actions/message/*.test.ts',
				'<rootDir>/test/router/*.test.ts',
				'<rootDir>/test/helpers/{textSplit,recipient}.test.ts',
			],
};
