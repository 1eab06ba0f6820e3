/**
 * How a chat reply answers an approval question. People answer in their own words, tap a
 * quick-reply button (the button's label arrives as text) or send an emoji; anything else is
 * not an answer, and the message goes on to start the workflow as usual.
 */

const YES = new Set([
	'yes',
	'y',
	'yeah',
	'yep',
	'yup',
	'ok',
	'okay',
	'sure',
	'approve',
	'approved',
	'accept',
	'confirm',
	'confirmed',
	'go ahead',
	'si',
	'sí',
	'oui',
	'ja',
	'sim',
	'да',
	'👍',
	'✅',
	'👌',
]);

const NO = new Set([
	'no',
	'n',
	'nope',
	'nah',
	'decline',
	'declined',
	'deny',
	'reject',
	'disapprove',
	'cancel',
	'stop',
	'non',
	'nein',
	'não',
	'nao',
	'нет',
	'👎',
	'❌',
	'🚫',
]);

/**
 * Lower case, trimmed, inner spaces folded, and the punctuation around a short answer ("Yes!",
 * "ok.", "¡Sí!") dropped.
 */
export function normalizeAnswer(text: string): string {
	return text
		.normalize('NFC')
		.toLowerCase()
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/[.!?,;:]+$/u, '')
		.replace(/^[¡¿]+/u, '')
		.trim();
}

export interface ApprovalLabels {
	approvalType: 'single' | 'double';
	approveLabel: string;
	disapproveLabel: string;
}

/**
 * `true` for an approval, `false` for a refusal (only when the question offers one: approval
 * type "double"), `undefined` when the text is not an answer. The button labels count first,
 * so a label such as "No problem" means what the button said.
 */
export function approvalFromReply(text: string, labels: ApprovalLabels): boolean | undefined {
	const answer = normalizeAnswer(text);
	if (!answer) return undefined;
	const double = labels.approvalType === 'double';
	if (answer === normalizeAnswer(labels.approveLabel)) return true;
	if (double && answer === normalizeAnswer(labels.disapproveLabel)) return false;
	if (YES.has(answer)) return true;
	if (double && NO.has(answer)) return false;
	return undefined;
}
