import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import { requiredString } from '../../helpers/parameters';
import { V1_ONLY, V2_ON, resourceLocator } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	{
		displayName: 'Redirect ID',
		name: 'redirectId',
		type: 'string',
		default: '',
		required: true,
		description: 'The ID of the redirect URI entry to remove',
		displayOptions: { show: V1_ONLY },
	},
	resourceLocator(
		{
			displayName: 'Redirect URI',
			name: 'redirectId',
			description: 'The allowed redirect URI to remove; setup links using it stop working',
			displayOptions: { show: V2_ON },
			modes: [{ displayName: 'ID', name: 'id', type: 'string', placeholder: 'e.g. redir_abc123' }],
		},
		'searchRedirects',
		'Select a redirect URI...',
	),
];

export const description = operationDescription('redirect', 'delete', properties);

/** Removes an allowed redirect URI (`DELETE /redirects/{id}`). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const redirectId = requiredString(this, 'redirectId', 'Redirect ID', itemIndex);
	const response = asObject(
		await fiwanoApiRequest.call(this, 'DELETE', `/redirects/${encodeURIComponent(redirectId)}`, {
			itemIndex,
		}),
	);
	if (isV1(this)) return response;
	return { ...response, redirect_id: redirectId, deleted: true };
}
