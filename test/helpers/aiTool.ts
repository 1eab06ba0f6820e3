import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes } from 'n8n-workflow';

/**
 * The AI-tool variant n8n 2.41 generates from a `usableAsTool` node, built the way
 * n8n/dist/tool-generation/ai-tools.js `convertNodeToAiTool` builds it: name + `Tool`,
 * displayName + ` Tool`, no main input, an `ai_tool` output, and the Tool Description fields
 * in front of the node's own. The node's methods (execute) are the same object's.
 */
export function asAiTool(node: INodeType): INodeType {
	const original = deepCopy(node.description);
	const hasResource = original.properties.some((p) => p.name === 'resource');
	const descriptionProperties: INodeProperties[] = [
		{
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: original.description,
			required: true,
			...(hasResource ? { displayOptions: { show: { descriptionType: ['manual'] } } } : {}),
		},
	];
	const description: INodeTypeDescription = {
		...original,
		name: `${original.name}Tool`,
		displayName: `${original.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [...descriptionProperties, ...original.properties],
	};
	delete description.usableAsTool;
	return Object.assign(Object.create(node) as INodeType, { description });
}
