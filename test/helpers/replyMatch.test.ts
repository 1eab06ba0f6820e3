import type { ApprovalLabels } from '../../nodes/Fiwano/helpers/replyMatch';
import { approvalFromReply, normalizeAnswer } from '../../nodes/Fiwano/helpers/replyMatch';

const single: ApprovalLabels = {
	approvalType: 'single',
	approveLabel: 'Approve',
	disapproveLabel: 'Decline',
};
const double: ApprovalLabels = { ...single, approvalType: 'double' };

describe('approvalFromReply', () => {
	it.each(['yes', 'Yes!', ' YES. ', 'ok', 'Okay', '👍', '✅', 'sí', 'Approve', 'approve!!'])(
		'%j approves',
		(text) => {
			expect(approvalFromReply(text, single)).toBe(true);
			expect(approvalFromReply(text, double)).toBe(true);
		},
	);

	it.each(['no', 'No.', 'nope', 'Decline', '👎', '❌', 'cancel', 'нет'])(
		'%j declines only when the question offers a refusal',
		(text) => {
			expect(approvalFromReply(text, double)).toBe(false);
			expect(approvalFromReply(text, single)).toBeUndefined();
		},
	);

	it.each(['', '   ', 'maybe', 'yes and no', 'what is this?', 'yesterday', 'not now'])(
		'%j is not an answer',
		(text) => {
			expect(approvalFromReply(text, double)).toBeUndefined();
		},
	);

	it('takes the button labels first, whatever they say', () => {
		const labels: ApprovalLabels = {
			approvalType: 'double',
			approveLabel: 'No problem',
			disapproveLabel: 'Yes, stop',
		};
		expect(approvalFromReply('no problem', labels)).toBe(true);
		expect(approvalFromReply('Yes, stop!', labels)).toBe(false);
		expect(approvalFromReply('yes', labels)).toBe(true);
	});

	it('normalizes case, spaces and trailing punctuation only', () => {
		expect(normalizeAnswer('  Go   Ahead!? ')).toBe('go ahead');
		expect(normalizeAnswer('¡Sí!')).toBe('sí');
	});
});
