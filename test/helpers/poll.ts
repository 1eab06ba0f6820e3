import { PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';

import { FiwanoMonitorTrigger } from '../../nodes/Fiwano/FiwanoMonitorTrigger.node';
import { additionalData, fiwanoCredentials, makeWorkflow, MONITOR_TYPE } from './harness';

/**
 * The Fiwano Monitor Trigger through n8n-core's real PollContext, wired the way n8n 2.41 wires
 * a poll node (active-workflow-triggers.js, poll-trigger-executor.js, with the default
 * NoOpPollJobManager): activating builds one Workflow and one PollContext (mode 'trigger'),
 * polls once at once and then on every tick with the same context, so the node's static data
 * lives on that Workflow between polls. Static data survives deactivation (it is saved with the
 * workflow), so a new activation starts from what the last one left. "Fetch Test Event" in the
 * editor polls with a context of mode 'manual'.
 */

export const MONITOR_NODE_ID = 'fiwano-monitor-node';

const nodeType = new FiwanoMonitorTrigger();

export function monitorNode(parameters: IDataObject, extra: Partial<INode> = {}): INode {
	return {
		id: MONITOR_NODE_ID,
		name: 'Fiwano Monitor Trigger',
		type: MONITOR_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			...parameters,
		} as INode['parameters'],
		credentials: { fiwanoApi: { id: '1', name: 'Fiwano account' } },
		...extra,
	};
}

export interface PollOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	activation?: WorkflowActivateMode;
}

/** One activation: the workflow and the poll context n8n keeps until deactivation. */
export class Activation {
	constructor(
		readonly workflow: Workflow,
		private readonly context: PollContext,
	) {}

	/** One tick: the node's poll, as runPollFunction calls it. */
	async poll(): Promise<INodeExecutionData[][] | null> {
		return await nodeType.poll.call(this.context);
	}

	/** The items an execution would start with (empty when the poll fired nothing). */
	async items(): Promise<IDataObject[]> {
		const result = await this.poll();
		return (result?.[0] ?? []).map((item) => item.json);
	}
}

/** A saved workflow with one monitor trigger, and its static data across activations. */
export class MonitoredWorkflow {
	staticData: IDataObject = {};

	constructor(public node: INode) {}

	private build(): Workflow {
		return makeWorkflow(
			{ id: 'wf-monitor', nodes: [this.node], connections: {}, staticData: this.staticData },
			true,
		);
	}

	/** Activates: one PollContext for every tick of this activation. */
	activate(options: PollOptions = {}): Activation {
		const workflow = this.build();
		const context = new PollContext(
			workflow,
			this.node,
			additionalData({ credentials: options.credentials ?? fiwanoCredentials() }),
			'trigger',
			options.activation ?? 'activate',
			() => {},
			() => {},
		);
		// n8n saves the static data with the workflow; the object outlives this activation.
		this.staticData = workflow.staticData as IDataObject;
		return new Activation(workflow, context);
	}

	/** "Fetch Test Event" in the editor. */
	async fetchTestEvent(options: PollOptions = {}): Promise<INodeExecutionData[][] | null> {
		const workflow = this.build();
		const context = new PollContext(
			workflow,
			this.node,
			additionalData({ credentials: options.credentials ?? fiwanoCredentials() }),
			'manual',
			'manual',
			() => {},
			() => {},
		);
		return await nodeType.poll.call(context);
	}

	/** The node's own static data, as saved. */
	nodeStatic(): IDataObject {
		return (this.staticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}
}
