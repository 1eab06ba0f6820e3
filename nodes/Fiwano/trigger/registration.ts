import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import type { Channel, ChannelList, ChannelWebhookUpdate } from '../helpers/types';
import { channelLabel } from '../helpers/channelLabel';
import { WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MIN } from '../helpers/webhookSecret';
import { fiwanoApiRequest } from '../transport';
import { eventsToRegister } from './events';
import type { TriggerParams } from './params';
import { readTriggerParams } from './params';
import { refuseUnreachableWebhook, unreachableWebhook } from './reachability';
import { pickSecret, secretFingerprint, triggerCredentials } from './secret';

/** The path in the trigger's webhook description (same in both typeVersions). */
export const WEBHOOK_PATH = 'webhook';

/** Where the trigger remembers what it wired, in the node's static data. Holds no secret. */
export const REGISTRATION_FIELD = 'registration';

/** How a channel was wired before a test listen borrowed it. */
interface PreviousWiring extends IDataObject {
	url: string;
	events: string[];
}

interface WiredChannel extends IDataObject {
	/** {@link secretFingerprint} of the secret this trigger gave the channel. */
	fp: string;
	/** The channel's events as Fiwano stored them (it drops events its type does not have). */
	events: string[];
	/** Test listens only: what to put back afterwards. */
	previous?: PreviousWiring;
}

/** What `create` did, so `checkExists` can confirm it and a test listen can be undone. */
export interface RegistrationRecord extends IDataObject {
	url: string;
	test: boolean;
	events: string[];
	channels: Record<string, WiredChannel>;
}

/** Everything a hook needs to wire a channel. */
interface Wiring {
	ctx: IHookFunctions;
	params: TriggerParams;
	/** This context's URL: the production URL, or the test URL during a test listen. */
	url: string;
	test: boolean;
	/** Path every URL of this trigger node ends with, whatever the base URL (production or test). */
	ownPath: string;
	/**
	 * The production URL the last activation recorded, if another: n8n's address changed since.
	 * A channel on it was wired by this trigger, whatever its host.
	 */
	recordedUrl?: string;
	events: string[];
	secret: string;
	fp: string;
}

/** How a channel's current webhook relates to this trigger. */
type Relation = 'this' | 'free' | 'own' | 'foreign';

function isTestListen(ctx: IHookFunctions): boolean {
	return ctx.getMode() === 'manual' || ctx.getActivationMode() === 'manual';
}

function readRecord(ctx: IHookFunctions): RegistrationRecord | undefined {
	const value = ctx.getWorkflowStaticData('node')[REGISTRATION_FIELD] as
		| RegistrationRecord
		| undefined;
	// Stryker disable next-line ConditionalExpression: a primitive has no url property, and every use compares url with a string URL, which a url of another type never equals
	if (!value || typeof value !== 'object' || typeof value.url !== 'string' || !value.channels)
		return undefined;
	return value;
}

/** Stores a copy, so n8n sees the static data changed and saves it. */
function writeRecord(ctx: IHookFunctions, record: RegistrationRecord | undefined): void {
	const data = ctx.getWorkflowStaticData('node');
	if (record === undefined) {
		if (data[REGISTRATION_FIELD] !== undefined) delete data[REGISTRATION_FIELD];
		return;
	}
	const channels: Record<string, WiredChannel> = {};
	for (const [id, entry] of Object.entries(record.channels)) {
		channels[id] = { ...entry, events: [...entry.events] };
		// Stryker disable next-line ConditionalExpression: nothing changes a previous wiring once made, so a shared one stores the same
		if (entry.previous)
			channels[id].previous = { ...entry.previous, events: [...entry.previous.events] };
	}
	data[REGISTRATION_FIELD] = { ...record, events: [...record.events], channels };
}

function webhookUrlOf(channel: Channel): string {
	return typeof channel.webhook_url === 'string' ? channel.webhook_url.trim() : '';
}

function eventsOf(channel: Channel): string[] {
	return Array.isArray(channel.webhook_events) ? channel.webhook_events.map(String) : [];
}

function sameSet(a: string[], b: string[]): boolean {
	const left = new Set(a);
	const right = new Set(b);
	return left.size === right.size && [...left].every((value) => right.has(value));
}

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i;

/** Scheme and host of a URL: enough to name a receiver in a message without copying tokens. */
function originOf(url: string): string {
	const match = ORIGIN.exec(url);
	return match ? match[0] : 'another URL';
}

function sameOrigin(a: string, b: string): boolean {
	const left = ORIGIN.exec(a)?.[0].toLowerCase();
	return left !== undefined && left === ORIGIN.exec(b)?.[0].toLowerCase();
}

function withoutQuery(url: string): string {
	const query = url.indexOf('?');
	return query === -1 ? url : url.slice(0, query);
}

/** The path every URL of this trigger node ends with, whatever n8n's base URL (production or test). */
function ownPathOf(ctx: IHookFunctions): string {
	return `/${NodeHelpers.getNodeWebhookPath(String(ctx.getWorkflow().id ?? ''), ctx.getNode(), WEBHOOK_PATH)}`;
}

/** Query parameters of a borrowed test URL: the wiring the test listen puts back. */
const RESTORE_URL_PARAM = 'fiwano_restore';
const RESTORE_EVENTS_PARAM = 'fiwano_events';
/** Fiwano's limit for `webhook_url` (openapi ChannelUpdateRequest). */
const MAX_URL_LENGTH = 500;

/** A query value that keeps `:` and `/` readable (both are allowed in a query). */
function queryValue(value: string): string {
	return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/**
 * The URL a test listen puts on a channel: its test URL, with the wiring to put back in the
 * query (n8n routes by path and the trigger ignores the query). The channel itself then says
 * how to hand it back, so the hand-back survives what n8n forgets: a second listen on the same
 * workflow (a reloaded editor) replaces the first one's registration and its static data, and
 * "Stop listening" while the listen is still wiring runs delete with empty static data. The
 * plain test URL when the result would be longer than Fiwano accepts.
 */
function borrowedUrl(url: string, previous: PreviousWiring): string {
	const marked = `${url}?${RESTORE_URL_PARAM}=${queryValue(previous.url)}&${RESTORE_EVENTS_PARAM}=${previous.events.map(queryValue).join(',')}`;
	return marked.length <= MAX_URL_LENGTH ? marked : url;
}

/**
 * The wiring a borrowed test URL says to put back, if it is one this node may put back:
 * nothing, or another URL of this node on the same n8n (normally its production URL). Anything
 * else, for example a URL someone wrote by hand, is ignored: a hook never points a channel at a
 * foreign URL.
 */
function restorePointOf(current: string, url: string, ownPath: string): PreviousWiring | undefined {
	const query = current.indexOf('?');
	// Stryker disable next-line ConditionalExpression,LogicalOperator: both callers pass only a URL whose part before any query is url, and n8n's own URL has no fiwano_restore= of its own
	if (query === -1 || current.slice(0, query) !== url) return undefined;
	const values = new Map<string, string>();
	for (const part of current.slice(query + 1).split('&')) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		try {
			values.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1)));
		} catch {
			return undefined;
		}
	}
	const previousUrl = values.get(RESTORE_URL_PARAM);
	const events = values.get(RESTORE_EVENTS_PARAM);
	if (previousUrl === undefined || events === undefined) return undefined;
	const ownUrl =
		previousUrl !== url && previousUrl.endsWith(ownPath) && sameOrigin(previousUrl, url);
	if (previousUrl !== '' && !ownUrl) return undefined;
	return {
		url: previousUrl,
		events: events.split(',').filter((event) => /^[a-z]+(\.[a-z_]+)+$/.test(event)),
	};
}

function describeChannel(channel: Channel): string {
	return `${channelLabel(channel)} (${channel.id})`;
}

/**
 * How the channel's webhook relates to this trigger. "own" is another URL of this node on the
 * same n8n (its production URL during a test listen, its test URL left over in production), or
 * the production URL this trigger recorded before n8n's address changed. The same path on
 * another host is foreign: it is a copy of this workflow on another n8n (imported workflows
 * keep their webhook IDs), which must not lose its channel.
 */
function relation(w: Wiring, channel: Channel): Relation {
	const current = webhookUrlOf(channel);
	if (!current) return 'free';
	const base = withoutQuery(current);
	if (base === w.url) return 'this';
	if (current === w.recordedUrl) return 'own';
	if (base.endsWith(w.ownPath) && sameOrigin(base, w.url)) return 'own';
	return 'foreign';
}

async function prepare(ctx: IHookFunctions, params: TriggerParams): Promise<Wiring> {
	const node = ctx.getNode();
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(node, 'Could not work out this trigger’s webhook URL', {
			description: 'Save the workflow and try again.',
		});
	}
	if (params.setup === 'channel' && !params.channelId) {
		throw new NodeOperationError(node, 'No channel selected', {
			description:
				'Pick the channel this trigger should receive events from, or switch Webhook Setup to All Active Channels.',
		});
	}
	const credentials = await triggerCredentials(ctx, params);
	const workflowId = String(ctx.getWorkflow().id ?? '');
	const picked = pickSecret(params, credentials, workflowId, node.id);
	// Stryker disable next-line OptionalChaining: credentials are undefined only in Manual setup, which never gets here
	if (!credentials?.apiKey || !picked) {
		throw new NodeOperationError(node, 'The Fiwano credential has no API key', {
			description: 'Open the Fiwano API credential and enter the API key from the Fiwano portal.',
		});
	}
	if (picked.secret.length > WEBHOOK_SECRET_MAX) {
		// Checked here so that the secret is never sent to be refused: a validation error may
		// echo the value it refused, and the error would carry it into n8n's logs.
		const where = picked.source === 'node' ? 'this node’s' : 'the Fiwano credential’s';
		throw new NodeOperationError(
			node,
			`The Webhook Secret is ${picked.secret.length} characters long; Fiwano stores at most ${WEBHOOK_SECRET_MAX}`,
			{
				description: `Shorten ${where} Webhook Secret to at most ${WEBHOOK_SECRET_MAX} characters (${WEBHOOK_SECRET_MIN} or more, random), or empty it so the trigger uses a secret of its own.`,
			},
		);
	}
	const recorded = readRecord(ctx);
	return {
		ctx,
		params,
		url,
		test: isTestListen(ctx),
		ownPath: ownPathOf(ctx),
		// Stryker disable next-line ConditionalExpression: n8n's webhook URLs have no query, so a channel on url is 'this' before relation() looks at recordedUrl
		recordedUrl: recorded && !recorded.test && recorded.url !== url ? recorded.url : undefined,
		events: eventsToRegister(params.events, params.version),
		secret: picked.secret,
		fp: secretFingerprint(picked.secret, credentials.apiKey),
	};
}

async function getChannel(ctx: IHookFunctions, channelId: string): Promise<Channel> {
	return (await fiwanoApiRequest.call(
		ctx,
		'GET',
		`/channels/${encodeURIComponent(channelId)}`,
	)) as Channel;
}

/**
 * The channels All Active Channels wires: active ones, and only of the chosen Channel Types
 * when that option is set, so the trigger does not take channels whose events it would ignore.
 */
function wanted(params: TriggerParams, channel: Channel): boolean {
	if (channel.is_active !== true) return false;
	return (
		params.channelTypes.length === 0 || params.channelTypes.includes(String(channel.channel_type))
	);
}

async function listChannels(ctx: IHookFunctions): Promise<Channel[]> {
	const answer = (await fiwanoApiRequest.call(ctx, 'GET', '/channels')) as ChannelList;
	// Stryker disable next-line ArrayDeclaration: a string in the list is neither active nor on any URL, so every caller skips it
	return Array.isArray(answer?.channels) ? answer.channels : [];
}

/** Whether the channel is wired to this trigger exactly as `create` left it, with a secret it knows. */
function wiredAsRecorded(
	w: Wiring,
	record: RegistrationRecord | undefined,
	channel: Channel,
): boolean {
	if (!record || record.test || record.url !== w.url || !sameSet(record.events, w.events))
		return false;
	const entry = record.channels[channel.id];
	const events = eventsOf(channel);
	return (
		webhookUrlOf(channel) === w.url &&
		channel.has_webhook_secret === true &&
		events.length > 0 &&
		entry !== undefined &&
		entry.fp === w.fp &&
		sameSet(entry.events, events)
	);
}

/**
 * Points one channel at this trigger: URL, events and (unless told otherwise) the secret.
 * The record is written before the request, so a failure half-way can still be undone.
 */
async function wire(
	w: Wiring,
	record: RegistrationRecord,
	channelId: string,
	previous: PreviousWiring | undefined,
	sendSecret: boolean,
): Promise<void> {
	const entry: WiredChannel = { fp: w.fp, events: w.events };
	if (previous) entry.previous = previous;
	record.channels[channelId] = entry;
	writeRecord(w.ctx, record);
	const body: IDataObject = {
		webhook_url: previous ? borrowedUrl(w.url, previous) : w.url,
		webhook_events: w.events,
	};
	if (sendSecret) body.webhook_secret = w.secret;
	// The answer may carry the secret (Fiwano returns it when a request sets it); it is not kept.
	const answer = (await fiwanoApiRequest.call(
		w.ctx,
		'PATCH',
		`/channels/${encodeURIComponent(channelId)}`,
		{
			body,
		},
	)) as ChannelWebhookUpdate;
	entry.events = Array.isArray(answer?.webhook_events)
		? answer.webhook_events.map(String)
		: w.events;
	writeRecord(w.ctx, record);
}

/**
 * What a test listen must put back. A channel wired to another URL of this node (normally its
 * production URL) gets that URL and its events back; a free channel gets cleared. A channel
 * already on this test URL was borrowed by another listen that n8n replaced or forgot: it is
 * put back as its borrowed URL says, or cleared when the URL does not say (n8n stopped during
 * a listen of an older version).
 */
function previousOf(w: Wiring, channel: Channel, rel: Relation): PreviousWiring {
	if (rel === 'own') return { url: webhookUrlOf(channel), events: eventsOf(channel) };
	if (rel === 'free') return { url: '', events: eventsOf(channel) };
	return restorePointOf(webhookUrlOf(channel), w.url, w.ownPath) ?? { url: '', events: [] };
}

/**
 * During a test listen the secret of a channel that goes back to another URL of this node
 * (its production URL) is left as it is: the production trigger verifies with it, and Fiwano
 * never shows a secret again, so a changed one could not be put back. The test verifies with
 * the same secret, because both compute it the same way.
 */
function keepsSecret(w: Wiring, channel: Channel, previous: PreviousWiring | undefined): boolean {
	return (
		// Stryker disable next-line ConditionalExpression,LogicalOperator: previous is undefined exactly when this is no test listen, so either of the first two checks decides alone
		w.test && previous !== undefined && previous.url !== '' && channel.has_webhook_secret === true
	);
}

async function wireOneChannel(w: Wiring, record: RegistrationRecord): Promise<void> {
	const channelId = w.params.channelId;
	if (!w.test) {
		// The user picked this channel: it is taken over whatever it pointed at.
		await wire(w, record, channelId, undefined, true);
		return;
	}
	const channel = await getChannel(w.ctx, channelId);
	const rel = relation(w, channel);
	if (rel === 'foreign') {
		throw new NodeOperationError(
			w.ctx.getNode(),
			`Channel ${describeChannel(channel)} sends its events to ${originOf(webhookUrlOf(channel))}, not to this workflow, so it was not used for a test`,
			{
				description:
					'A test listen would have to replace that webhook and its secret, and Fiwano never shows a secret again, so they could not be put back afterwards. To test with this channel: activate this workflow once (the channel then belongs to it, and test listens borrow it and hand it back), or clear the channel’s webhook in the Fiwano portal, or switch Webhook Setup to Manual and send a test delivery to the test URL yourself.',
			},
		);
	}
	const previous = previousOf(w, channel, rel);
	await wire(w, record, channel.id, previous, !keepsSecret(w, channel, previous));
}

async function wireAllChannels(w: Wiring, record: RegistrationRecord): Promise<void> {
	const node = w.ctx.getNode();
	const active = (await listChannels(w.ctx)).filter((channel) => wanted(w.params, channel));
	if (active.length === 0) {
		const types =
			w.params.channelTypes.length > 0
				? ` of the chosen Channel Types (${w.params.channelTypes.join(', ')})`
				: '';
		throw new NodeOperationError(node, `No active Fiwano channel${types} to wire`, {
			description:
				'Connect a channel in the Fiwano portal first, or switch Webhook Setup to Manual.',
		});
	}
	const skipped: Channel[] = [];
	const failed: Array<{ channel: Channel; error: Error }> = [];
	let wired = 0;
	for (const channel of active) {
		const rel = relation(w, channel);
		if (rel === 'foreign') {
			skipped.push(channel);
			continue;
		}
		try {
			const previous = w.test ? previousOf(w, channel, rel) : undefined;
			await wire(w, record, channel.id, previous, !keepsSecret(w, channel, previous));
			// Stryker disable next-line AssignmentOperator: wired is only compared with 0, and -1, -2… are not 0 either
			wired += 1;
		} catch (error) {
			failed.push({ channel, error: error as Error });
		}
	}
	const skippedText = skipped
		.map((channel) => `${describeChannel(channel)} → ${originOf(webhookUrlOf(channel))}`)
		.join('; ');
	if (wired === 0) {
		if (failed.length > 0) throw failed[0].error;
		throw new NodeOperationError(
			node,
			`Nothing to wire: every active channel already sends its events to another URL (${skippedText})`,
			{
				description:
					'Channels wired elsewhere are left alone. Clear the webhook of a channel in the Fiwano portal, or switch Webhook Setup to One Channel to take a channel over.',
			},
		);
	}
	const who = `Fiwano Trigger "${node.name}" (workflow ${String(w.ctx.getWorkflow().id ?? '')})`;
	if (skipped.length > 0) {
		w.ctx.logger.warn(
			`${who} left ${skipped.length} channel(s) alone because they send their events to another URL: ${skippedText}`,
		);
	}
	for (const { channel, error } of failed) {
		w.ctx.logger.error(
			`${who} could not wire channel ${describeChannel(channel)}: ${error.message}`,
		);
	}
}

/** n8n's checkExists: true when there is nothing to (re-)wire. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const params = readTriggerParams(this);
	if (params.setup === 'manual') return true;
	// A test listen always wires, so that it remembers what it has to put back.
	if (isTestListen(this)) return false;
	await refuseUnreachableWebhook(this, params);
	const w = await prepare(this, params);
	const record = readRecord(this);
	if (params.setup === 'channel') {
		return wiredAsRecorded(w, record, await getChannel(this, params.channelId));
	}
	let wired = 0;
	for (const channel of await listChannels(this)) {
		if (!wanted(params, channel)) continue;
		const rel = relation(w, channel);
		if (rel === 'foreign') continue;
		// A free channel, one on another URL of this node, or one not wired as recorded.
		// Stryker disable next-line ConditionalExpression: n8n's webhook URLs have no query, so a channel not on this URL is not on exactly w.url, which wiredAsRecorded refuses
		if (rel !== 'this' || !wiredAsRecorded(w, record, channel)) return false;
		wired += 1;
	}
	return wired > 0;
}

/** n8n's create: wires the channel(s) with URL, events and a secret this trigger knows. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const params = readTriggerParams(this);
	if (params.setup === 'manual') return true;
	await refuseUnreachableWebhook(this, params);
	const w = await prepare(this, params);
	const record: RegistrationRecord = { url: w.url, test: w.test, events: w.events, channels: {} };
	writeRecord(this, record);
	if (params.setup === 'channel') await wireOneChannel(w, record);
	else await wireAllChannels(w, record);
	return true;
}

/**
 * Clears the channels that still send to `url`; channels someone else took over are left alone.
 * Without a record of a test listen (see {@link borrowedUrl}) a channel on a borrowed test URL
 * gets back the wiring that URL names.
 */
async function clearChannels(
	ctx: IHookFunctions,
	params: TriggerParams,
	url: string,
): Promise<boolean> {
	const ownPath = ownPathOf(ctx);
	const candidates =
		params.setup === 'channel'
			? params.channelId
				? [await getChannel(ctx, params.channelId)]
				: // Stryker disable next-line ArrayDeclaration: a string in the list is on no URL, so the loop skips it
					[]
			: await listChannels(ctx);
	let ok = true;
	for (const channel of candidates) {
		const current = webhookUrlOf(channel);
		if (withoutQuery(current) !== url) continue;
		const back = restorePointOf(current, url, ownPath) ?? { url: '', events: [] };
		try {
			// No secret in this request: the channel keeps the one its receiver verifies with.
			await fiwanoApiRequest.call(ctx, 'PATCH', `/channels/${encodeURIComponent(channel.id)}`, {
				body: { webhook_url: back.url, webhook_events: back.events },
			});
		} catch (error) {
			ok = false;
			logFailure(ctx, `could not clear the webhook of channel ${describeChannel(channel)}`, error);
		}
	}
	return ok;
}

/** After a test listen: every borrowed channel still on the test URL gets its old wiring back. */
async function restoreAfterTest(
	ctx: IHookFunctions,
	record: RegistrationRecord,
	url: string,
): Promise<boolean> {
	let ok = true;
	for (const [channelId, entry] of Object.entries(record.channels)) {
		const previous = entry.previous ?? { url: '', events: [] };
		try {
			const channel = await getChannel(ctx, channelId);
			if (withoutQuery(webhookUrlOf(channel)) !== url) continue;
			// No secret in this request: the channel keeps the one its receiver verifies with.
			await fiwanoApiRequest.call(ctx, 'PATCH', `/channels/${encodeURIComponent(channelId)}`, {
				body: { webhook_url: previous.url, webhook_events: previous.events },
			});
		} catch (error) {
			ok = false;
			logFailure(
				ctx,
				`could not put back the webhook of channel ${channelId} after the test`,
				error,
			);
		}
	}
	return ok;
}

function logFailure(ctx: IHookFunctions, what: string, error?: unknown): void {
	const node = ctx.getNode();
	const reason =
		error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
	ctx.logger.error(
		`Fiwano Trigger "${node.name}" (workflow ${String(ctx.getWorkflow().id ?? '')}) ${what}${reason}. Check the channel's webhook in the Fiwano portal.`,
	);
}

/**
 * n8n's delete, for deactivation and for the end of a test listen. It never throws: n8n would
 * otherwise keep the workflow's webhooks registered. Failures are logged and make it return false.
 */
export async function remove(this: IHookFunctions): Promise<boolean> {
	try {
		const params = readTriggerParams(this);
		if (params.setup === 'manual') return true;
		// n8n also calls delete after a refused activation. No channel can be on a URL Fiwano
		// refuses, and create wired none: nothing to clear, and no request.
		if (await unreachableWebhook(this, params)) return true;
		const url = this.getNodeWebhookUrl('default');
		const record = readRecord(this);
		writeRecord(this, undefined);
		if (!url) {
			logFailure(this, 'could not work out its webhook URL, so no channel was cleared');
			return false;
		}
		if (record?.test === true && record.url === url)
			return await restoreAfterTest(this, record, url);
		return await clearChannels(this, params, url);
	} catch (error) {
		logFailure(this, 'could not clear its channel webhooks', error);
		return false;
	}
}
