import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../node.type';

// Placeholder until the resource's operations land.
export const description: INodeProperties[] = [];

export const operations = {} as ResourceOperations<'channel'>;
