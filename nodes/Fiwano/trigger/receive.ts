import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { mediaFileName, safeFileName } from '../helpers/mediaFileName';
import type { FiwanoCredentials, WebhookEvent } from '../helpers/types';
import { fiwanoDownloadMedia } from '../transport';
import { DEDUPE_FIELD, recordDelivery, refreshStoredDeliveries } from './dedupe';
import { dedupeKey, isSelected, isWebhookEvent } from './events';
import type { TriggerParams } from './params';
import { readTriggerParams } from './params';
import { REGISTRATION_FIELD } from './registration';
import type { RegistrationRecord } from './registration';
import type { TriggerSecret } from './secret';
import { pickSecret, reusableTriggerCredentials, secretFingerprint } from './secret';
import { SIGNATURE_HEADER, SIGNATURE_MESSAGES, verifySignature } from './signature';
import { answerWaitingQuestion, CONTROL_HEADER, receiveControlMessage } from './replies';
import { questionScope, syncWaitingQuestions, WAITING_FIELD } from '../helpers/waitingQuestions';

/** The parts of n8n's express request the trigger reads. */
interface RawRequest {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

/** The parts of n8n's express response the trigger writes. */
interface RawResponse {
	status(code: number): RawResponse;
	json(body: unknown): unknown;
}

/** Answers the request now and starts no execution. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const res: RawResponse = ctx.getResponseObject();
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

/** 200 without an execution: the delivery was accepted, there is just nothing to run. */
function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

/** The exact bytes Fiwano signed. n8n reads them for JSON bodies; otherwise they are read here. */
async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const req: RawRequest = ctx.getRequestObject();
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function')
		await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

function parseEvent(ctx: IWebhookFunctions, rawBody: Buffer | undefined): unknown {
	const body = ctx.getBodyData();
	if (isWebhookEvent(body)) return body;
	if (!rawBody || rawBody.length === 0) return body;
	try {
		return jsonParse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
}

/** The sender's file name when Fiwano has one, else `<type>-<message id>.<extension>`. */
function fileNameFor(
	event: WebhookEvent,
	media: IDataObject,
	mimeType: string,
	fromServer?: string,
): string {
	const fromSender = safeFileName(media.filename);
	if (fromSender) return fromSender;
	const fromHeader = safeFileName(fromServer);
	if (fromHeader) return fromHeader;
	const type = typeof event.data.type === 'string' ? event.data.type : 'media';
	return mediaFileName(
		`${type}-${String(event.data.message_id ?? media.media_id ?? 'file')}`,
		mimeType,
	);
}

/** A file Fiwano holds for this event: inbound media with a download URL (echoes have none). */
function downloadableMedia(event: WebhookEvent): IDataObject | undefined {
	const media = event.data?.media;
	if (!media || typeof media !== 'object' || Array.isArray(media)) return undefined;
	const m = media as IDataObject;
	return typeof m.media_id === 'string' &&
		m.media_id !== '' &&
		typeof m.download_url === 'string' &&
		m.download_url !== ''
		? m
		: undefined;
}

/**
 * Downloads the event's media into binary data. Called after the answer to Fiwano was sent, so
 * a slow or large file never runs into Fiwano's 5-second limit. A failed download (for example
 * 410, the file expired) does not lose the event: the item says what went wrong instead.
 */
async function withMedia(
	ctx: IWebhookFunctions,
	item: INodeExecutionData,
	event: WebhookEvent,
	media: IDataObject,
	params: TriggerParams,
): Promise<void> {
	try {
		const file = await fiwanoDownloadMedia.call(ctx, String(media.media_id));
		const mimeType =
			file.mimeType !== 'application/octet-stream' || typeof media.mime_type !== 'string'
				? file.mimeType
				: media.mime_type.split(';')[0].trim();
		const binary = await ctx.helpers.prepareBinaryData(
			file.data,
			fileNameFor(event, media, mimeType, file.fileName),
			mimeType,
		);
		item.binary = { [params.binaryProperty]: binary };
	} catch (error) {
		item.json = {
			...item.json,
			media_download_error: error instanceof Error ? error.message : String(error),
		};
	}
}

function refusedLog(ctx: IWebhookFunctions, reason: string): void {
	ctx.logger.error(
		`Fiwano Trigger "${ctx.getNode().name}" (workflow ${String(ctx.getWorkflow().id ?? '')}) refused a delivery: ${reason}. Check the Fiwano credential selected on the trigger.`,
	);
}

/**
 * When a signature fails and the credential changed since the channel was wired, the cause is
 * known: say so in n8n's log, once per failed delivery, without any secret.
 */
function explainMismatch(
	ctx: IWebhookFunctions,
	body: unknown,
	secret: string,
	apiKey: string | undefined,
): void {
	if (!apiKey || !isWebhookEvent(body)) return;
	const record = ctx.getWorkflowStaticData('node')[REGISTRATION_FIELD] as
		| RegistrationRecord
		| undefined;
	const entry = record?.channels?.[String(body.channel_id)];
	if (!entry || entry.fp === secretFingerprint(secret, apiKey)) return;
	ctx.logger.warn(
		`Fiwano Trigger "${ctx.getNode().name}" (workflow ${String(ctx.getWorkflow().id ?? '')}) rejected a delivery from channel ${String(body.channel_id)}: the Fiwano credential changed since the channel was wired, so the channel still signs with the old secret. Deactivate and activate the workflow to give the channel the new one.`,
	);
}

/**
 * The webhook: verify, filter, deduplicate, then start one execution with the full event
 * (`event`, `channel_id`, `channel_type`, `timestamp`, `data`) as the item's JSON.
 */
export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const params = readTriggerParams(this);
	const node = this.getNode();
	const workflowId = String(this.getWorkflow().id ?? '');
	let credentials: FiwanoCredentials | undefined;
	let secret: TriggerSecret | undefined;
	let reused = false;
	/** Reads the credential (reused for a minute unless `fresh`); false when it cannot be. */
	const loadSecret = async (fresh: boolean): Promise<boolean> => {
		try {
			const loaded = await reusableTriggerCredentials(this, params, Date.now(), fresh);
			credentials = loaded.credentials;
			reused = loaded.reused;
			secret = pickSecret(params, credentials, workflowId, node.id);
			if (!secret && params.setup !== 'manual') {
				throw new NodeOperationError(
					node,
					'The Fiwano credential has no API key, so the trigger cannot work out its secret',
				);
			}
			return true;
		} catch (error) {
			refusedLog(this, error instanceof Error ? error.message : String(error));
			return false;
		}
	};
	if (!(await loadSecret(false))) {
		// Fail closed: only manual setup without any secret accepts unsigned deliveries. Fiwano
		// retries a 500 for 20 minutes, so deliveries are not lost while the credential is fixed.
		return answer(this, 500, {
			error: 'The trigger could not load the secret to check this delivery with',
		});
	}
	const rawBody = await rawBodyOf(this);
	const scope = `${this.getMode()}|${String(this.getWorkflow().id ?? '')}|${node.id}`;
	const staticData = this.getWorkflowStaticData('node');
	const questions = questionScope(this.getNodeWebhookUrl('default') ?? '') ?? scope;

	// The package's own messages (a Send and Wait question announcing itself) are signed with
	// the API key instead of the channel's secret.
	if (this.getHeaderData()[CONTROL_HEADER] !== undefined) {
		let outcome = receiveControlMessage(this, rawBody, credentials?.apiKey, staticData, questions);
		if (outcome.status === 401 && reused && (await loadSecret(true))) {
			outcome = receiveControlMessage(this, rawBody, credentials?.apiKey, staticData, questions);
		}
		return answer(this, outcome.status, outcome.body);
	}

	const check = (): ReturnType<typeof verifySignature> | undefined =>
		secret
			? verifySignature(
					rawBody ?? Buffer.alloc(0),
					this.getHeaderData()[SIGNATURE_HEADER],
					secret.secret,
				)
			: undefined;
	let verdict = check();
	if (verdict && !verdict.valid && reused) {
		// The credential may have changed within the minute it is reused: read it again.
		if (!(await loadSecret(true))) {
			return answer(this, 500, {
				error: 'The trigger could not load the secret to check this delivery with',
			});
		}
		verdict = check();
	}
	if (secret && verdict) {
		const check = verdict;
		if (!check.valid) {
			if (check.reason === 'mismatch')
				explainMismatch(this, parseEvent(this, rawBody), secret.secret, credentials?.apiKey);
			return answer(this, 401, { error: SIGNATURE_MESSAGES[check.reason] });
		}
	}

	const event = parseEvent(this, rawBody);
	if (!isWebhookEvent(event)) return answer(this, 400, { error: 'Not a Fiwano webhook event' });
	if (!isSelected(event.event, params.events)) return ignored('event not selected');
	if (params.channelTypes.length > 0 && !params.channelTypes.includes(String(event.channel_type))) {
		return ignored('channel type not selected');
	}
	const loaded = { seen: staticData[DEDUPE_FIELD], waiting: staticData[WAITING_FIELD] };
	const changed = () =>
		staticData[DEDUPE_FIELD] !== loaded.seen || staticData[WAITING_FIELD] !== loaded.waiting;
	/**
	 * n8n saves the node's static data whole, after the webhook returns. When this request changes
	 * it, every store is written from this process's memory right before returning, so the save
	 * holds what other requests recorded meanwhile (this one may have waited) and nothing loaded
	 * too early overwrites it.
	 */
	const storeIfChanged = () => {
		if (!changed()) return;
		refreshStoredDeliveries(staticData, scope, Date.now());
		syncWaitingQuestions(staticData, questions, Date.now(), true);
	};
	const duplicate = recordDelivery(staticData, scope, dedupeKey(event, rawBody), Date.now());
	syncWaitingQuestions(staticData, questions, Date.now());
	if (duplicate) {
		storeIfChanged();
		return ignored('duplicate delivery');
	}

	// Answer Fiwano before the execution starts, for two reasons. A reply's hand-over to a
	// waiting execution or a media download may take longer than Fiwano's 5-second limit. And
	// n8n 2.41 saves static data changed in a webhook (the dedupe key) only if it does so before
	// starting the execution: with the default
	// "Workflow was started" answer it saves afterwards, when WorkflowRunner.run has already
	// built a new Workflow on the same object and reset its change flag, so the key is lost.
	// With `noWebhookResponse` n8n's response callback, which saves, runs first.
	answer(this, 200, { received: true });
	// A reply to a Send and Wait question resumes that execution instead of starting one. It is
	// handed over after Fiwano has its answer, so a busy n8n never makes Fiwano resend it.
	if (await answerWaitingQuestion(this, event, credentials?.apiKey, staticData, questions)) {
		storeIfChanged();
		return { noWebhookResponse: true };
	}
	const item: INodeExecutionData = { json: event };
	const media = params.downloadMedia ? downloadableMedia(event) : undefined;
	if (media) await withMedia(this, item, event, media, params);
	storeIfChanged();
	return { workflowData: [[item]], noWebhookResponse: true };
}
