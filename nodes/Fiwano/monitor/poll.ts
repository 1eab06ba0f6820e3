import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_LAPSE_WARNING_DAYS } from '../helpers/attention';
import type { Channel, ChannelList } from '../helpers/types';
import { fiwanoApiRequest } from '../transport';
import type { ChannelSnapshot, MonitorEvent } from './changes';
import {
	changeItem,
	changesBetween,
	currentConditions,
	MONITOR_EVENTS,
	snapshotOf,
} from './changes';

/** Where the baseline lives in the node's static data. */
export const BASELINE_FIELD = 'monitor';

interface Baseline extends IDataObject {
	/** Which activation wrote it (see activationToken). */
	token: string;
	channels: Record<string, ChannelSnapshot>;
}

interface MonitorParams {
	events: MonitorEvent[];
	channelTypes: string[];
	days: number;
	includeInactive: boolean;
}

/**
 * One token per poll context. n8n builds the context once when it activates a workflow and
 * polls with it until deactivation, so a baseline written under another token was written
 * before this activation (static data outlives deactivation): it is replaced, not compared with.
 */
const activationTokens = new WeakMap<object, string>();
let tokenCounter = 0;

function activationToken(ctx: IPollFunctions): string {
	let token = activationTokens.get(ctx);
	if (!token) {
		tokenCounter += 1;
		token = `${Date.now().toString(36)}.${tokenCounter}`;
		activationTokens.set(ctx, token);
	}
	return token;
}

function readParams(ctx: IPollFunctions): MonitorParams {
	const events = (ctx.getNodeParameter('events', []) as unknown[])
		.map(String)
		.filter((e): e is MonitorEvent => (MONITOR_EVENTS as readonly string[]).includes(e));
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No events selected', {
			description: 'Choose at least one change the monitor should start the workflow for.',
		});
	}
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const days = Number(options.lapseWarningDays ?? DEFAULT_LAPSE_WARNING_DAYS);
	return {
		events,
		channelTypes: Array.isArray(options.channelTypes) ? options.channelTypes.map(String) : [],
		days: Number.isFinite(days) && days >= 0 ? days : DEFAULT_LAPSE_WARNING_DAYS,
		includeInactive: options.includeInactive === true,
	};
}

async function watchedChannels(ctx: IPollFunctions, params: MonitorParams): Promise<Channel[]> {
	const answer = (await fiwanoApiRequest.call(ctx, 'GET', '/channels')) as ChannelList;
	const channels = Array.isArray(answer?.channels) ? answer.channels : [];
	return channels.filter(
		(c) =>
			(params.includeInactive || c.is_active === true) &&
			(params.channelTypes.length === 0 || params.channelTypes.includes(String(c.channel_type))),
	);
}

/**
 * "Fetch Test Event": nothing to compare with, so, like n8n's own polling triggers in manual mode,
 * it returns data to build the rest of the workflow with and leaves the baseline alone: an item
 * for every selected condition that holds now, or else one sample item (`sample: true`) shaped
 * like the first selected event, for the first watched channel.
 */
function manualItems(channels: Channel[], params: MonitorParams, now: number): IDataObject[] {
	const items = channels.flatMap((channel) =>
		currentConditions(channel, params.days, now)
			.filter((change) => params.events.includes(change.event))
			.map((change) => changeItem(channel, change, now)),
	);
	if (items.length > 0) return items;
	const event = params.events[0];
	const sample = {
		'health.action_required': { previous: 'ok', current: 'action_required' },
		'health.ok': { previous: 'action_required', current: 'ok' },
		'subscription.expiring': {
			previous: null,
			current: String(channels[0].subscription?.expires_at ?? new Date(now).toISOString()),
		},
		'subscription.lapsed': { previous: 'active', current: 'expired' },
		'webhook.removed': {
			previous: channels[0].webhook_url || 'https://example.com/webhook',
			current: null,
		},
	}[event];
	const item = changeItem(channels[0], { event, ...sample }, now, { sample: true });
	item.summary = `Sample: no watched channel needs attention right now. A real "${event}" item for this channel would read: ${String(item.summary)}`;
	return [item];
}

/**
 * The Fiwano Monitor Trigger's poll. It lists the channels, compares each with the snapshot of
 * the previous poll and returns one item per change. The first poll of an activation only
 * stores the snapshot; a channel seen for the first time is only noted, and one that went away
 * is forgotten.
 */
export async function pollMonitor(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const params = readParams(this);
	const channels = await watchedChannels(this, params);
	const now = Date.now();
	if (this.getMode() === 'manual') {
		if (channels.length === 0) {
			throw new NodeOperationError(this.getNode(), 'No Fiwano channel to watch', {
				description:
					'The credential’s account has no channel matching the options (active ones only unless Include Inactive Channels is on). Connect a channel first.',
			});
		}
		return [this.helpers.returnJsonArray(manualItems(channels, params, now))];
	}

	const data = this.getWorkflowStaticData('node');
	const token = activationToken(this);
	const stored = data[BASELINE_FIELD] as Baseline | undefined;
	const before = stored && stored.token === token ? stored.channels : undefined;
	const after: Record<string, ChannelSnapshot> = {};
	const items: IDataObject[] = [];
	for (const channel of channels) {
		const snapshot = snapshotOf(channel, params.days, now);
		after[channel.id] = snapshot;
		const previous = before?.[channel.id];
		if (!previous) continue;
		for (const change of changesBetween(previous, snapshot)) {
			if (params.events.includes(change.event)) items.push(changeItem(channel, change, now));
		}
	}
	data[BASELINE_FIELD] = { token, channels: after } satisfies Baseline;
	return items.length > 0 ? [this.helpers.returnJsonArray(items)] : null;
}
