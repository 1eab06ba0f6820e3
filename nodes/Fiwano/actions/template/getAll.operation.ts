import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Template } from '../../helpers/types';
import { listTemplates } from '../../transport/lookups';
import { applyLimit, getChannelId } from '../../helpers/parameters';
import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import { filtersCollection, returnAllLimitFields } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { TEMPLATE_STATUS_OPTIONS, templateChannelFields } from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	...returnAllLimitFields(),
	filtersCollection([
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: TEMPLATE_STATUS_OPTIONS,
			default: '',
			description:
				'Return only templates with this review status (only Approved templates can be sent)',
		},
		{
			displayName: 'Sync From Meta',
			name: 'sync',
			type: 'boolean',
			default: true,
			description:
				'Whether to fetch the latest state from Meta before returning (slower). Off returns Fiwano’s cached copy.',
		},
	]),
];

export const description = operationDescription('template', 'getAll', properties);

/**
 * Lists a WhatsApp channel's templates (`GET /channels/{id}/templates`, status and sync as query).
 * typeVersion 2 returns one item per template; typeVersion 1 keeps the 1.x single item.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	if (filters.sync !== undefined) qs.sync = String(filters.sync);
	const response = await listTemplates(
		this,
		channelId,
		Object.keys(qs).length ? qs : undefined,
		itemIndex,
	);
	if (isV1(this)) return asObject(response);
	const templates: Template[] = Array.isArray(response?.templates) ? response.templates : [];
	return applyLimit(this, itemIndex, templates);
}
