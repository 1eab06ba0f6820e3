import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { getChannelId } from '../../helpers/parameters';
import type { OperationOutput } from '../node.type';
import { getTemplateId, templateChannelFields, templateIdFields } from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	...templateIdFields('The template to get, with its components and variable definitions'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['get'] } },
	properties,
);

/** One template with its components, status and variable definitions. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const channelId = getChannelId(this, itemIndex);
	const templateId = getTemplateId(this, itemIndex);
	return asObject(
		await fiwanoApiRequest.call(
			this,
			'GET',
			`/channels/${encodeURIComponent(channelId)}/templates/${encodeURIComponent(templateId)}`,
			{ itemIndex },
		),
	);
}
