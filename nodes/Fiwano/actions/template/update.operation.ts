import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import { V1_ONLY } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import {
	componentFieldsV2,
	componentsJsonField,
	pickedTemplate,
	readComponents,
	TEMPLATE_CATEGORY_OPTIONS,
	templateChannelFields,
	templateIdFields,
} from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	...templateIdFields(
		'The template to change. Its content is replaced and it goes back to Meta review (approved templates: 1 edit per 24 hours, 10 per 30 days).',
	),
	componentsJsonField(V1_ONLY),
	...componentFieldsV2(),
	{
		displayName: 'New Category',
		name: 'updateCategory',
		type: 'options',
		options: [{ name: 'Keep Current', value: '' }, ...TEMPLATE_CATEGORY_OPTIONS],
		default: '',
		description: 'Change the category too; Meta allows this only for rejected or paused templates',
	},
];

export const description = operationDescription('template', 'update', properties);

/** Replaces all of a template's components (`PUT /channels/{id}/templates/{template_id}`). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const { path } = pickedTemplate(this, itemIndex);
	const category = this.getNodeParameter('updateCategory', itemIndex, '') as string;
	const body: IDataObject = { components: readComponents(this, itemIndex, isV1(this)) };
	if (category) body.category = category;
	return asObject(await fiwanoApiRequest.call(this, 'PUT', path, { body, itemIndex }));
}
