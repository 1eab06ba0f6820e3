/**
 * Test order for `npm run test:mutation`: the pure unit tests first, then the rest smallest
 * first. Stryker stops a mutant's run at the first failing test file, so a mutant a unit test
 * kills never loads n8n-core's WorkflowExecute (seconds per file, per mutant).
 */
const Sequencer = require('@jest/test-sequencer').default;
const { statSync } = require('fs');

const UNIT_TESTS = [
	'actions/message/sendEngine.test.ts',
	'helpers/textSplit.test.ts',
	'helpers/recipient.test.ts',
	'transport/rateGate.test.ts',
	'transport/errors.test.ts',
	'transport/request.test.ts',
	'trigger/signature.test.ts',
	'trigger/dedupe.test.ts',
	'trigger/registrationUnit.test.ts',
];

function rank(path) {
	const unit = UNIT_TESTS.findIndex((name) => path.endsWith(name));
	return unit >= 0 ? unit : UNIT_TESTS.length;
}

class UnitTestsFirst extends Sequencer {
	sort(tests) {
		return [...tests].sort(
			(a, b) => rank(a.path) - rank(b.path) || statSync(a.path).size - statSync(b.path).size,
		);
	}
}

module.exports = UnitTestsFirst;
module.exports.UNIT_TESTS = UNIT_TESTS;
