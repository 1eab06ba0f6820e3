import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { isV1 } from '../../helpers/version';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { pickedTemplate, templateChannelFields, templateIdFields } from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	...templateIdFields(
		'The template to delete. After deleting an approved template its name cannot be reused for 30 days.',
	),
	{
		displayName: 'Delete All Languages',
		name: 'allLanguages',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete all language versions of this template (not just the one matching this ID)',
	},
];

export const description = operationDescription('template', 'delete', properties);

/** Deletes a template, or every language of it with `all_languages=true`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const { templateId, path } = pickedTemplate(this, itemIndex);
	const allLanguages = this.getNodeParameter('allLanguages', itemIndex, false) === true;
	const response = asObject(
		await fiwanoApiRequest.call(this, 'DELETE', path, {
			qs: allLanguages ? { all_languages: 'true' } : undefined,
			itemIndex,
		}),
	);
	if (isV1(this)) return response;
	return { ...response, template_id: templateId, all_languages: allLanguages, deleted: true };
}
