import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { V2_ON } from '../../descriptions/common';

/**
 * What to do about each `error` the hosted setup flow puts on the redirect instead of a code
 * (channels.md, Option B step 3). The redirect's `message` is free-form English for people: it is
 * shown, never parsed; only `error` decides.
 */
export const SETUP_ERROR_HINTS: Record<string, string> = {
	access_denied:
		'The user cancelled or did not finish Meta’s dialog. If they want to try again, send them a new link from Generate OAuth URL.',
	slot_occupied:
		'The user connected a different Meta account than the one holding your subscription slot, so nothing was created. Reconnect that same account, or deactivate the channel in the slot (Channel → Delete) and release its slot (Channel → Update Webhook → Release Subscription Slot), or add a subscription. Fiwano’s message names the channel.',
	session_expired:
		'The setup link expired before the flow finished. Create a new one with Generate OAuth URL and send it again.',
	setup_failed:
		'Setup stopped for another reason, for example no Instagram Business account was accessible with the permissions granted. Check the prerequisites (a Meta Business Portfolio, full admin rights on it and the account) and try again with a new link.',
};

/** typeVersion 2 fields of Exchange OAuth Code: the redirect's `error` and `message`. */
export function setupOutcomeFields(): INodeProperties[] {
	return [
		{
			displayName: 'Setup Error',
			name: 'setupError',
			type: 'string',
			default: '',
			placeholder: '={{ $json.query.error }}',
			description:
				'The `error` query parameter of the redirect, when the flow failed and there is no code (access_denied, slot_occupied, session_expired or setup_failed). When set, the node calls nothing and fails with a hint for that error; use the error output to answer the user.',
			displayOptions: { show: V2_ON },
		},
		{
			displayName: 'Setup Message',
			name: 'setupMessage',
			type: 'string',
			default: '',
			placeholder: '={{ $json.query.message }}',
			description:
				'The redirect’s `message`: Fiwano’s explanation for the user. Only shown in the error, never used to decide anything.',
			displayOptions: { show: V2_ON },
		},
	];
}

/**
 * typeVersion 2: when the redirect carried `error`, the error to fail with (keyed by `error`
 * only, with its hint and Fiwano's message as detail); undefined when it carried none.
 */
export function setupOutcomeError(
	ctx: IExecuteFunctions,
	itemIndex: number,
): NodeOperationError | undefined {
	const read = (name: string): string => {
		const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
		return typeof value === 'string' ? value.trim() : '';
	};
	const code = read('setupError');
	if (!code) return undefined;
	const message = read('setupMessage');
	const hint =
		SETUP_ERROR_HINTS[code] ??
		'Fiwano reported an outcome this node does not know. Read Fiwano’s message and try again with a new link from Generate OAuth URL.';
	const error = new NodeOperationError(
		ctx.getNode(),
		`The channel was not connected: ${code}${message ? ` — ${message}` : ''}`,
		{ itemIndex, description: hint },
	);
	error.context = { ...error.context, code, hint, ...(message ? { detail: message } : {}) };
	return error;
}
