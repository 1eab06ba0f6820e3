import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A required string parameter (a plain string or a resource locator's value), trimmed; a number
 * from an expression is taken as its digits. Empty is an error naming the field, with
 * `description` saying what to enter.
 */
export function requiredString(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	description = `Enter the ${label.toLowerCase()} or map it from an earlier node.`,
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!value)
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex, description });
	return value;
}

/** Reads `channelId` whether it is a 1.x string or a v2 resource locator. */
export function getChannelId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'channelId',
): string {
	return requiredString(ctx, name, 'Channel', itemIndex, 'Pick a channel or enter its ID.');
}

/** Applies Return All / Limit (typeVersion 2) to a list the API returned in one piece. */
export function applyLimit<T>(ctx: IExecuteFunctions, itemIndex: number, list: T[]): T[] {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	return list.slice(0, Math.max(1, Math.floor(limit) || 1));
}
