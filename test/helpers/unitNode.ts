import type { INode } from 'n8n-workflow';

/** A Fiwano node (typeVersion 2) for unit tests that call a helper with a hand-made context. */
export const UNIT_NODE: INode = {
	id: 'n',
	name: 'Fiwano',
	type: 'n8n-nodes-fiwano.fiwano',
	typeVersion: 2,
	position: [0, 0],
	parameters: {},
};
