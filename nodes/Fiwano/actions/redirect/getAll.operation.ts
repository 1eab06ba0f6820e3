import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RedirectList } from '../../helpers/types';
import { fiwanoApiRequest } from '../../transport';
import { applyLimit } from '../../helpers/parameters';
import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import { returnAllLimitFields } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [...returnAllLimitFields()];

export const description = operationDescription('redirect', 'getAll', properties);

/**
 * Lists the OAuth redirect URIs allowed for this API key. typeVersion 2 returns one item per URI;
 * typeVersion 1 keeps the 1.x single item holding `redirects`.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const response = (await fiwanoApiRequest.call(this, 'GET', '/redirects', {
		itemIndex,
	})) as RedirectList;
	if (isV1(this)) return asObject(response);
	return applyLimit(this, itemIndex, Array.isArray(response?.redirects) ? response.redirects : []);
}
