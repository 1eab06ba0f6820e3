import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { requiredString } from '../../helpers/parameters';
import { requireHttpsUrl } from '../../helpers/url';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	{
		displayName: 'URI Pattern',
		name: 'uriPattern',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://yourapp.com/callback',
		description:
			'HTTPS URL users may be sent back to after connecting a channel. Exact URLs are safest; a * may stand for a whole left-most host label (https://*.example.com/callback), a path or a query value.',
	},
];

export const description = operationDescription('redirect', 'add', properties);

/** Allows a redirect URI (or pattern) for Generate OAuth URL (`POST /redirects`). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const uriPattern = requireHttpsUrl(
		this,
		requiredString(this, 'uriPattern', 'URI Pattern', itemIndex),
		'URI Pattern',
		itemIndex,
		{ wildcards: true },
	);
	return asObject(
		await fiwanoApiRequest.call(this, 'POST', '/redirects', {
			body: { uri_pattern: uriPattern },
			itemIndex,
		}),
	);
}
