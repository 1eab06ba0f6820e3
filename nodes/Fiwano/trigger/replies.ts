import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import {
	CONTROL_FIELD,
	CONTROL_HEADER,
	controlKindOf,
	controlSignatureIsValid,
	signControlMessage,
} from '../helpers/controlMessage';
import type { WebhookEvent } from '../helpers/types';
import type { ReplyMatch } from '../helpers/waitingQuestions';
import { forgetQuestion, questionFor, rememberQuestion } from '../helpers/waitingQuestions';

export { CONTROL_HEADER };

/** How long the trigger waits for n8n to take a reply to a waiting execution. */
const RESUME_TIMEOUT_MS = 4000;

/**
 * A control message from the Fiwano node: a Send and Wait question that accepts replies in the
 * chat announces itself (`await-reply`). Signed with the API key (helpers/controlMessage.ts);
 * anything else gets 401 and changes nothing.
 */
export function receiveControlMessage(
	ctx: IWebhookFunctions,
	rawBody: Buffer | undefined,
	apiKey: string | undefined,
	staticData: IDataObject,
	scope: string,
): { status: number; body: IDataObject } {
	const raw = rawBody ?? Buffer.alloc(0);
	if (!controlSignatureIsValid(raw, ctx.getHeaderData()[CONTROL_HEADER], apiKey)) {
		return { status: 401, body: { error: 'Invalid control signature' } };
	}
	let body: unknown;
	try {
		body = jsonParse(raw.toString('utf8'));
	} catch {
		body = undefined;
	}
	if (controlKindOf(body) !== 'await-reply') {
		return { status: 400, body: { error: 'Not a question announcement' } };
	}
	const q = body as IDataObject;
	const fields = ['channel_id', 'recipient', 'message_id', 'resume_url'] as const;
	if (fields.some((f) => typeof q[f] !== 'string' || q[f] === '')) {
		return { status: 400, body: { error: `Missing ${fields.join(', ')}` } };
	}
	const expires = Date.parse(String(q.expires_at ?? ''));
	const match: ReplyMatch = q.match === 'nextMessage' ? 'nextMessage' : 'quoted';
	const now = Date.now();
	const id = rememberQuestion(
		staticData,
		scope,
		{
			channelId: String(q.channel_id),
			recipient: String(q.recipient),
			messageId: String(q.message_id),
			resumeUrl: String(q.resume_url),
			match,
			expiresAt: Number.isFinite(expires) ? expires : Number.POSITIVE_INFINITY,
		},
		now,
	);
	return { status: 200, body: { accepted: true, question: id } };
}

type ResumeOutcome = 'resumed' | 'notAnAnswer' | 'gone' | 'failed';

/** Hands the reply to the waiting execution through its signed resume link. */
async function resume(
	ctx: IWebhookFunctions,
	resumeUrl: string,
	payload: IDataObject,
	apiKey: string,
): Promise<ResumeOutcome> {
	const body = JSON.stringify({ [CONTROL_FIELD]: 'reply', ...payload });
	try {
		const response = (await ctx.helpers.httpRequest({
			method: 'POST',
			url: resumeUrl,
			body,
			headers: {
				'content-type': 'application/json',
				[CONTROL_HEADER]: signControlMessage(body, apiKey),
			},
			timeout: RESUME_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
		})) as { statusCode: number; body: unknown };
		let answer: unknown = response.body;
		if (typeof answer === 'string') {
			try {
				answer = jsonParse(answer);
			} catch {
				answer = undefined;
			}
		}
		const resumed = (answer as IDataObject | undefined)?.resumed;
		if (response.statusCode === 200 && resumed === true) return 'resumed';
		if (response.statusCode === 200 && resumed === false) return 'notAnAnswer';
		// The execution finished (n8n's "no action required" page), runs already, or is gone.
		if ([200, 404, 409].includes(response.statusCode)) return 'gone';
		return 'failed';
	} catch {
		return 'failed';
	}
}

/**
 * If the event is a reply to a Send and Wait question this trigger knows, gives it to the
 * waiting execution and returns true: the reply must then start nothing. Returns false for
 * every other message, and for a reply that is not an answer ("maybe"), or whose execution
 * is gone or cannot be reached: those start the workflow as usual, so nothing is lost.
 */
export async function answerWaitingQuestion(
	ctx: IWebhookFunctions,
	event: WebhookEvent,
	apiKey: string | undefined,
	staticData: IDataObject,
	scope: string,
): Promise<boolean> {
	if (event.event !== 'message.received' || !apiKey) return false;
	const data: IDataObject = event.data ?? {};
	const from = typeof data.from === 'string' ? data.from : '';
	const quoted = (data.reply_to as IDataObject | undefined)?.message_id;
	const found = questionFor(
		scope,
		{
			channelId: String(event.channel_id ?? ''),
			from,
			quotedId: typeof quoted === 'string' ? quoted : undefined,
		},
		Date.now(),
	);
	if (!found) return false;
	const outcome = await resume(
		ctx,
		found.question.resumeUrl,
		{
			channel_id: event.channel_id,
			from,
			text: typeof data.text === 'string' ? data.text : '',
			type: data.type,
			message_id: data.message_id,
			question_id: found.question.messageId,
		},
		apiKey,
	);
	if (outcome === 'resumed' || outcome === 'gone') {
		forgetQuestion(staticData, scope, found.id, Date.now());
	}
	if (outcome === 'failed') {
		ctx.logger.warn(
			`Fiwano Trigger "${ctx.getNode().name}": a reply to a waiting question could not be handed to its execution; it starts the workflow instead.`,
		);
	}
	return outcome === 'resumed';
}
