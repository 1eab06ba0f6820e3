import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelPath } from '../../helpers/apiPath';
import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import { getChannelId, requiredString } from '../../helpers/parameters';
import { isV1 } from '../../helpers/version';
import { V1_ONLY } from '../../descriptions/common';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import {
	checkTemplateName,
	componentFieldsV2,
	componentsJsonField,
	readComponents,
	TEMPLATE_CATEGORY_OPTIONS,
	templateChannelFields,
} from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_confirmation',
		description: 'Lowercase letters, digits and underscores only, at most 512 characters',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'e.g. en_US',
		description: 'Language code of this template version, e.g. en_US, es, pt_BR',
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		options: TEMPLATE_CATEGORY_OPTIONS,
		default: 'UTILITY',
		required: true,
		description: 'Template category as Meta defines it; it affects review and pricing',
	},
	componentsJsonField(V1_ONLY),
	...componentFieldsV2(),
	{
		displayName: 'Parameter Format',
		name: 'parameterFormat',
		type: 'options',
		options: [
			{
				name: 'Positional',
				value: 'positional',
				description: 'Variables referenced by number: {{1}}, {{2}}, …',
			},
			{
				name: 'Named',
				value: 'named',
				description: 'Variables referenced by name: {{customer_name}}',
			},
		],
		default: 'positional',
		description: 'How template variables are referenced in the component text',
	},
];

export const description = operationDescription('template', 'create', properties);

/**
 * Submits a new WhatsApp template to Meta's review (`POST /channels/{id}/templates`; it starts
 * PENDING). Name, JSON and the builder's content are checked before the request.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const v1 = isV1(this);
	const channelId = getChannelId(this, itemIndex);
	const name = checkTemplateName(
		this,
		requiredString(this, 'templateName', 'Template Name', itemIndex),
		itemIndex,
	);
	const language = requiredString(this, 'language', 'Language', itemIndex);
	const category = requiredString(this, 'category', 'Category', itemIndex);
	const parameterFormat = this.getNodeParameter(
		'parameterFormat',
		itemIndex,
		'positional',
	) as string;
	const components = readComponents(
		this,
		itemIndex,
		v1,
		parameterFormat === 'named' ? 'named' : 'positional',
	);
	const body: IDataObject = { name, language, category, components };
	if (parameterFormat) body.parameter_format = parameterFormat;
	return asObject(
		await fiwanoApiRequest.call(this, 'POST', channelPath(channelId, 'templates'), {
			body,
			itemIndex,
		}),
	);
}
