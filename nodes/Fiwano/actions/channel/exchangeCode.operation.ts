import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { setupOutcomeError, setupOutcomeFields } from './setupOutcome';
import { webhookBody, webhookFields, webhookOutput, webhookRequest } from './webhookSettings';

const properties: INodeProperties[] = [
	{
		displayName: 'OAuth Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		description:
			'The one-time code from the OAuth redirect (?code=…). Expires in 5 minutes, single-use.',
	},
	...setupOutcomeFields(),
	...webhookFields('exchange'),
];

export const description = operationDescription('channel', 'exchangeCode', properties);

/**
 * From typeVersion 2 a redirect that carried `error` (Setup Error) fails first, with that error's
 * hint and without a request (see setupOutcomeError).
 *
 * Turns the OAuth redirect's one-time code into a channel (`POST /channels/exchange-code`) and can
 * set its webhook in the same call. From typeVersion 2 the output never carries the webhook
 * secret, whether the credential set it or Fiwano generated it (see webhookOutput).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	if (!isV1(this)) {
		// A redirect with `error` has no code: say what happened instead of "OAuth Code is empty".
		const outcome = setupOutcomeError(this, itemIndex);
		if (outcome) throw outcome;
	}
	const code = requiredString(this, 'code', 'OAuth Code', itemIndex);
	const body: IDataObject = { code, ...(await webhookBody(this, itemIndex, 'exchange')) };
	const response = await webhookRequest(this, 'POST', '/channels/exchange-code', body, itemIndex);
	return webhookOutput(this, response, body);
}
