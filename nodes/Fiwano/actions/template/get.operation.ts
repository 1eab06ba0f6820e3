import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fiwanoApiRequest } from '../../transport';
import { asObject } from '../../helpers/types';
import type { OperationOutput } from '../node.type';
import { operationDescription } from '../operationDescription';
import { pickedTemplate, templateChannelFields, templateIdFields } from './shared';

const properties: INodeProperties[] = [
	...templateChannelFields(),
	...templateIdFields('The template to get, with its components and variable definitions'),
];

export const description = operationDescription('template', 'get', properties);

/** One template with its components, status and variable definitions. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationOutput> {
	const { path } = pickedTemplate(this, itemIndex);
	return asObject(await fiwanoApiRequest.call(this, 'GET', path, { itemIndex }));
}
