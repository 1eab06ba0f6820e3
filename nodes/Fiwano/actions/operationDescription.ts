import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FiwanoMap, FiwanoResource } from './node.type';

/**
 * An operation's fields, shown only when its resource and operation are selected (n8n's
 * updateDisplayOptions). Typed by FiwanoMap, so a misspelt resource or operation fails to
 * compile instead of hiding the fields in the editor.
 */
export function operationDescription<R extends FiwanoResource>(
	resource: R,
	operation: FiwanoMap[R],
	properties: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: [resource], operation: [operation] } },
		properties,
	);
}
