import type { INode } from 'n8n-workflow';

/**
 * True for nodes saved with typeVersion 1, which keep the 1.x requests and output shape. The one
 * runtime version test; the editor's is V1_ONLY / V2_ON in descriptions/common.ts.
 */
export function isV1(ctx: { getNode(): INode }): boolean {
	return ctx.getNode().typeVersion < 2;
}
