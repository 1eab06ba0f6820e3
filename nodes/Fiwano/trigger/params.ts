import type { IDataObject, IGetNodeParameterOptions, INode } from 'n8n-workflow';

/** The three setups of the 1.x contract. */
export type SetupMode = 'manual' | 'channel' | 'all';

/** The part of a hook or webhook context that reads parameters. */
export interface ParameterReader {
	getNode(): INode;
	getNodeParameter(
		name: string,
		fallbackValue?: unknown,
		options?: IGetNodeParameterOptions,
	): unknown;
}

export interface TriggerParams {
	version: number;
	setup: SetupMode;
	/** Empty unless the setup is "channel". */
	channelId: string;
	/** As selected; empty means every event. */
	events: string[];
	/** typeVersion 1 only: the 1.x `webhookSecret` parameter. */
	nodeSecret: string;
	/** typeVersion 2 options. */
	channelTypes: string[];
	downloadMedia: boolean;
	binaryProperty: string;
}

function stringList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).filter((v) => v !== '');
	if (typeof value === 'string' && value.trim() !== '') {
		return value
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean);
	}
	return [];
}

function asSetup(value: unknown): SetupMode {
	return value === 'channel' || value === 'all' ? value : 'manual';
}

/** Reads the trigger's parameters once, for either typeVersion. */
export function readTriggerParams(ctx: ParameterReader): TriggerParams {
	const version = ctx.getNode().typeVersion;
	const setup = asSetup(ctx.getNodeParameter('autoSetup', 'manual'));
	let channelId = '';
	if (setup === 'channel') {
		const raw = ctx.getNodeParameter('channelId', '', { extractValue: true });
		channelId = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	}
	const events = stringList(ctx.getNodeParameter('events', []));
	if (version < 2) {
		const secret = ctx.getNodeParameter('webhookSecret', '');
		return {
			version,
			setup,
			channelId,
			events,
			nodeSecret: typeof secret === 'string' ? secret.trim() : '',
			channelTypes: [],
			downloadMedia: false,
			binaryProperty: 'data',
		};
	}
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const binaryProperty =
		typeof options.binaryProperty === 'string' ? options.binaryProperty.trim() : '';
	return {
		version,
		setup,
		channelId,
		events,
		nodeSecret: '',
		channelTypes: stringList(options.channelTypes),
		downloadMedia: options.downloadMedia === true,
		binaryProperty: binaryProperty || 'data',
	};
}
