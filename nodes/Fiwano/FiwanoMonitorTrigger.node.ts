import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { monitorProperties } from './monitor/description';
import { pollMonitor } from './monitor/poll';

/**
 * Starts a workflow when a Fiwano channel needs attention or recovers: health turns
 * action_required or back to ok, a subscription is about to lapse or lapses, a webhook URL
 * goes away. n8n's polling pattern (`polling: true` adds the Poll Times schedule); the API is
 * reached through the same credential and transport as the other Fiwano nodes. See
 * docs/monitor.md.
 */
export class FiwanoMonitorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fiwano Monitor Trigger',
		name: 'fiwanoMonitorTrigger',
		icon: { light: 'file:fiwano.svg', dark: 'file:fiwano.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Channel health and subscriptions',
		description:
			'Starts the workflow when a Fiwano channel needs reconnecting, recovers, its subscription is about to lapse or lapses, or it loses its webhook URL',
		defaults: { name: 'Fiwano Monitor Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fiwanoApi', required: true }],
		properties: monitorProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollMonitor.call(this);
	}
}
