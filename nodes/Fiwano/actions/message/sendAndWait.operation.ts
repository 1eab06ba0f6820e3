import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import {
	NodeOperationError,
	SEND_AND_WAIT_OPERATION,
	updateDisplayOptions,
	WAIT_INDEFINITELY,
} from 'n8n-workflow';

import {
	CONTROL_FIELD,
	CONTROL_HEADER,
	controlKindOf,
	controlSignatureIsValid,
	signControlMessage,
} from '../../helpers/controlMessage';
import { channelPath } from '../../helpers/apiPath';
import { requireN8nHelpers, requireResumeUrlSignature } from '../../helpers/n8nSupport';
import { assertRecipientFits, normalizeRecipient, readRecipient } from '../../helpers/recipient';
import type { ApprovalLabels } from '../../helpers/replyMatch';
import { approvalFromReply } from '../../helpers/replyMatch';
import { codePointLength, TEXT_LIMITS } from '../../helpers/textSplit';
import { questionScope, rememberQuestion } from '../../helpers/waitingQuestions';
import type { Channel, FiwanoCredentials, SendResponse } from '../../helpers/types';
import { TYPE_LABEL } from '../../helpers/channelLabel';
import { CREDENTIAL_NAME, fiwanoApiRequest } from '../../transport';
import { getChannelId } from '../../helpers/parameters';
import type { AnswerForm, FormField } from './answerPage';
import { fieldName, questionPage, resultPage } from './answerPage';
import { assertSent, channelFields, isFailedSend, recipientFields } from './shared';

/**
 * Send and Wait for Response: sends a question into the chat, pauses the execution and resumes
 * it with the answer. The parameter names are n8n's own Send and Wait's (`message`,
 * `responseType`, `approvalOptions`, `options.limitWaitTime`), so n8n's human-review tool for AI
 * agents and n8n users recognise them.
 *
 * Answers come two ways:
 * - a link to a small page served by this node's waiting webhook (n8n's signed resume URL):
 *   GET only shows the page, only its POST resumes, so link previews never answer;
 * - with Options > Accept Reply in Chat, a reply in the conversation: the Fiwano Trigger that
 *   receives the channel's events hands a matching reply to this node's webhook (see
 *   trigger/waiting.ts and docs/send-and-wait.md).
 */

/** The reply-in-chat modes of `options.replyInChat`. */
export type ReplyInChat = 'off' | 'quoted' | 'nextMessage';

const RESPONSE_TYPES = ['approval', 'freeText', 'customForm'] as const;
type ResponseType = (typeof RESPONSE_TYPES)[number];

/** WhatsApp's error for free-form text outside the 24-hour window. */
const WINDOW_CLOSED = 131047;

/** The waiting webhooks: GET shows the answer page, POST answers (n8n's own layout). */
export const webhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether to stop waiting after a while. The node then continues with data.timedOut set to true.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'hours',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const properties: INodeProperties[] = [
	...channelFields(),
	...recipientFields(
		'Who is asked: a phone number in international format for WhatsApp, the IGSID for Instagram or the PSID for Messenger. To ask the person who wrote, map data.from from the Fiwano Trigger.',
	),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Refund €40 for order 1042?',
		description:
			'The question. The node adds the answer link after it (and, when replies are accepted, how to answer in the chat).',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The person approves (or declines) by link or by replying, e.g. "yes"',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The person answers in their own words, on the answer page or in the chat',
			},
			{
				name: 'Custom Form',
				value: 'customForm',
				description: 'The person fills in a form of your fields on the answer page',
			},
		],
	},
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Form Field',
		default: {},
		displayOptions: { show: { responseType: ['customForm'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Field Label',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Delivery date',
					},
					{
						displayName: 'Field Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Dropdown List', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
					},
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						placeholder: 'Add Field Option',
						default: { values: [{ option: '' }] },
						displayOptions: { show: { fieldType: ['dropdown'] } },
						options: [
							{
								displayName: 'Values',
								name: 'values',
								values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
							},
						],
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether the person has to fill this field in',
					},
				],
			},
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
						description: 'Also the reply that approves in the chat, besides "yes", "ok" and 👍',
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						description: 'Also the reply that declines in the chat, besides "no" and 👎',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Accept Reply in Chat',
				name: 'replyInChat',
				type: 'options',
				default: 'quoted',
				description:
					'Whether the person can also answer by replying in the conversation (approval and free text). Needs a Fiwano Trigger that receives this channel’s messages.',
				options: [
					{ name: 'Off (Link Only)', value: 'off' },
					{
						name: 'Replies That Quote the Question',
						value: 'quoted',
						description:
							'A reply to the question (swipe or "Reply"), or a tap on a template’s quick-reply button',
					},
					{
						name: 'Next Message From the Person',
						value: 'nextMessage',
						description: 'Their next message on this channel, quoted or not (when it is an answer)',
					},
				],
			},
			{
				displayName: 'Answer Page Button Label',
				name: 'responseFormButtonLabel',
				type: 'string',
				default: 'Send',
				description: 'Button of the free-text and custom-form page',
				displayOptions: { hide: { '/responseType': ['approval'] } },
			},
			{
				displayName: 'Answer Page Title',
				name: 'responseFormTitle',
				type: 'string',
				default: '',
				placeholder: 'e.g. Refund approval',
				description: 'Heading of the answer page. Empty: "Your answer is needed".',
			},
			limitWaitTimeOption,
			{
				displayName: 'Link Text',
				name: 'messageButtonLabel',
				type: 'string',
				default: 'Answer here:',
				description: 'Put before the answer link in the message',
			},
			{
				displayName: 'WhatsApp Template Outside 24-Hour Window',
				name: 'windowTemplate',
				type: 'fixedCollection',
				default: {},
				description:
					'WhatsApp refuses free-form text when the person has not written in 24 hours. With a template set, the question is sent as this approved template instead. Quick-reply buttons of the template answer like replies.',
				options: [
					{
						displayName: 'Template',
						name: 'values',
						values: [
							{
								displayName: 'Template Name',
								name: 'name',
								type: 'string',
								default: '',
								required: true,
								placeholder: 'e.g. approval_request',
							},
							{
								displayName: 'Language',
								name: 'language',
								type: 'string',
								default: 'en_US',
							},
							{
								displayName: 'Body Variables',
								name: 'bodyVariables',
								type: 'string',
								default: '{message}|{link}',
								description:
									'The template’s body variables in order, separated by |. {message} stands for the message, {link} for the answer link.',
							},
						],
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	// Only typeVersion 2 offers the operation; the channel and recipient fields carry their own
	// version conditions.
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } },
	properties,
);

function readResponseType(ctx: IExecuteFunctions | IWebhookFunctions): ResponseType {
	const value = ctx.getNodeParameter('responseType', 0, 'approval') as string;
	return (RESPONSE_TYPES as readonly string[]).includes(value)
		? (value as ResponseType)
		: 'approval';
}

function readApprovalLabels(ctx: IExecuteFunctions | IWebhookFunctions): ApprovalLabels {
	const values = ctx.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	return {
		approvalType: values.approvalType === 'double' ? 'double' : 'single',
		approveLabel: String(values.approveLabel || 'Approve'),
		disapproveLabel: String(values.disapproveLabel || 'Decline'),
	};
}

function readFormFields(ctx: IExecuteFunctions | IWebhookFunctions): FormField[] {
	const values = ctx.getNodeParameter('formFields.values', 0, []) as IDataObject[];
	return values.map((field) => {
		const type = String(field.fieldType ?? 'text');
		const options = ((field.fieldOptions as IDataObject | undefined)?.values ??
			[]) as IDataObject[];
		return {
			label: String(field.fieldLabel ?? ''),
			type: (['text', 'textarea', 'number', 'email', 'dropdown'].includes(type)
				? type
				: 'text') as FormField['type'],
			required: field.requiredField === true,
			options: options.map((o) => String(o.option ?? '')).filter((o) => o !== ''),
		};
	});
}

function readOptions(ctx: IExecuteFunctions | IWebhookFunctions): IDataObject {
	return ctx.getNodeParameter('options', 0, {}) as IDataObject;
}

function replyInChatOf(options: IDataObject, responseType: ResponseType): ReplyInChat {
	const mode = options.replyInChat;
	if (responseType === 'customForm') return 'off';
	return mode === 'quoted' || mode === 'nextMessage' ? mode : 'off';
}

/** When the wait ends without an answer (n8n's own Limit Wait Time rules). */
function waitUntil(ctx: IExecuteFunctions, options: IDataObject, nowMs: number): Date {
	const limit = (options.limitWaitTime as IDataObject | undefined)?.values as
		| IDataObject
		| undefined;
	if (!limit) return WAIT_INDEFINITELY;
	let until: Date;
	if (limit.limitType === 'atSpecifiedTime') {
		until = new Date(String(limit.maxDateAndTime ?? ''));
	} else {
		const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[
			String(limit.resumeUnit ?? 'hours')
		];
		until = new Date(nowMs + Number(limit.resumeAmount ?? 1) * (unitMs ?? 3_600_000));
	}
	if (Number.isNaN(until.getTime())) {
		throw new NodeOperationError(ctx.getNode(), 'Limit Wait Time is not a valid date or amount', {
			description: 'Set Options > Limit Wait Time to an amount of time or a date and time.',
		});
	}
	return until;
}

/** The text sent into the chat: the question, how to answer in the chat, and the link. */
function questionText(
	message: string,
	link: string,
	options: IDataObject,
	responseType: ResponseType,
	labels: ApprovalLabels,
	replyInChat: ReplyInChat,
): string {
	const lines = [message.trim(), ''];
	if (replyInChat !== 'off') {
		const how = replyInChat === 'quoted' ? 'Reply to this message with' : 'Reply with';
		if (responseType === 'approval') {
			lines.push(
				labels.approvalType === 'double'
					? `${how} "${labels.approveLabel}" or "${labels.disapproveLabel}", or use the link.`
					: `${how} "${labels.approveLabel}", or use the link.`,
			);
		} else {
			lines.push(`${how} your answer, or use the link.`);
		}
	}
	lines.push(`${String(options.messageButtonLabel ?? 'Answer here:').trim()} ${link}`.trim());
	return lines.join('\n');
}

function templateVariables(template: IDataObject, message: string, link: string): string[] {
	return String(template.bodyVariables ?? '{message}|{link}')
		.split('|')
		.map((v) => v.replace(/\{message\}/g, message.trim()).replace(/\{link\}/g, link));
}

/** The channel's webhook URL, where the Fiwano Trigger for this channel listens, if any. */
function triggerUrlOf(webhookUrl: unknown): string | undefined {
	if (typeof webhookUrl !== 'string' || webhookUrl === '') return undefined;
	let url: URL;
	try {
		url = new URL(webhookUrl);
	} catch {
		return undefined;
	}
	// A test listen borrows the channel and names the production URL it hands back; a message
	// to the test URL itself would end the listen.
	const restore = url.searchParams.get('fiwano_restore');
	if (restore) return triggerUrlOf(restore);
	if (url.pathname.includes('/webhook-test/')) return undefined;
	return webhookUrl;
}

async function credentialsOf(
	ctx: IExecuteFunctions | IWebhookFunctions,
): Promise<FiwanoCredentials> {
	return await ctx.getCredentials<FiwanoCredentials>(CREDENTIAL_NAME);
}

/** Runs the operation for the whole input: one question per execution, as n8n's Send and Wait. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	requireN8nHelpers(this, 'Send and Wait', ['getSignedResumeUrl', 'putExecutionToWait']);
	const items = this.getInputData();
	const channelId = getChannelId(this, 0);
	const rawRecipient = readRecipient(this, 0);
	const message = String(this.getNodeParameter('message', 0, '') ?? '');
	if (!message.trim()) {
		throw new NodeOperationError(this.getNode(), 'Message is empty', {
			description: 'Write the question the person should answer.',
		});
	}
	const responseType = readResponseType(this);
	const labels = readApprovalLabels(this);
	const options = readOptions(this);
	const replyInChat = replyInChatOf(options, responseType);
	const waitTill = waitUntil(this, options, Date.now());
	if (responseType === 'customForm' && readFormFields(this).length === 0) {
		throw new NodeOperationError(this.getNode(), 'The custom form has no fields', {
			description: 'Add at least one field under Form Fields.',
		});
	}

	const channel = (await fiwanoApiRequest.call(this, 'GET', channelPath(channelId), {
		itemIndex: 0,
	})) as Channel;
	// The channel lookup (needed for its webhook URL anyway) also gives its type.
	const channelType = channel.channel_type;
	const recipient = normalizeRecipient(rawRecipient, channelType);
	assertRecipientFits(this, recipient, channelType, 0);
	const triggerUrl = replyInChat === 'off' ? undefined : triggerUrlOf(channel.webhook_url);
	if (replyInChat !== 'off' && !triggerUrl) {
		throw new NodeOperationError(
			this.getNode(),
			'Accept Reply in Chat needs a Fiwano Trigger that receives this channel’s messages',
			{
				description: `Channel ${channelId} sends its events nowhere (or only to a test listen). Activate a workflow whose Fiwano Trigger receives this channel, or set Options > Accept Reply in Chat to "Off (Link Only)".`,
			},
		);
	}

	const link = this.getSignedResumeUrl({ c: channelId, r: recipient });
	const text = questionText(message, link, options, responseType, labels, replyInChat);
	const limit = channelType ? TEXT_LIMITS[channelType] : undefined;
	if (limit !== undefined && codePointLength(text) > limit) {
		throw new NodeOperationError(
			this.getNode(),
			`The question with its answer link is ${codePointLength(text)} characters long; the ${TYPE_LABEL[channelType ?? ''] ?? ''} limit is ${limit}`,
			{ description: 'Shorten the message: a question is never split into several messages.' },
		);
	}

	let response = (await fiwanoApiRequest.call(this, 'POST', '/messages/send', {
		body: { channel_id: channelId, recipient, text },
		itemIndex: 0,
	})) as SendResponse;
	let sentAs = 'text';
	const template = (options.windowTemplate as IDataObject | undefined)?.values as
		| IDataObject
		| undefined;
	if (isFailedSend(response) && Number(response.error_code) === WINDOW_CLOSED && template?.name) {
		// The text was refused (not sent), so sending the template instead sends nothing twice.
		response = (await fiwanoApiRequest.call(this, 'POST', '/messages/send-template', {
			body: {
				channel_id: channelId,
				recipient,
				template_name: String(template.name),
				language: String(template.language || 'en_US'),
				variables: { body: templateVariables(template, message, link) },
			},
			itemIndex: 0,
		})) as SendResponse;
		sentAs = 'template';
	}
	assertSent(this, response, 0);
	const messageId = String(response.message_id ?? '');

	if (triggerUrl) {
		// In regular mode this process also runs the trigger: it knows the question at once. The
		// announcement stores it and reaches the trigger wherever it runs (queue mode).
		const scope = questionScope(triggerUrl);
		if (scope) {
			rememberQuestion(
				undefined,
				scope,
				{
					channelId,
					recipient,
					messageId,
					resumeUrl: link,
					match: replyInChat === 'nextMessage' ? 'nextMessage' : 'quoted',
					expiresAt: waitTill.getTime(),
				},
				Date.now(),
			);
		}
		await announceQuestion(this, triggerUrl, {
			channel_id: channelId,
			recipient,
			message_id: messageId,
			resume_url: link,
			match: replyInChat,
			expires_at: waitTill.toISOString(),
		});
	}

	requireResumeUrlSignature(this);
	await this.putExecutionToWait(waitTill);
	// n8n resumes a wait that timed out by passing the node's input through; replacing the
	// input with this item (not changing the upstream node's items) makes the timeout say so.
	const timedOut: INodeExecutionData[] = [
		{
			json: {
				data: { timedOut: true },
				answeredVia: null,
				message_id: messageId,
				channel_id: channelId,
				recipient,
				sent_as: sentAs,
			},
			pairedItem: items.map((_, item) => ({ item })),
		},
	];
	const executeData = this.getExecuteData();
	executeData.data = { ...executeData.data, main: [timedOut] };
	return [timedOut];
}

/**
 * Tells the Fiwano Trigger at `url` that a question waits for a reply. The question is already
 * sent and the link answers it anyway, so a failure here is logged, never thrown: failing would
 * make a retry send the question twice.
 */
async function announceQuestion(
	ctx: IExecuteFunctions,
	url: string,
	question: IDataObject,
): Promise<void> {
	try {
		const { apiKey } = await credentialsOf(ctx);
		const body = JSON.stringify({ [CONTROL_FIELD]: 'await-reply', ...question });
		await ctx.helpers.httpRequest({
			method: 'POST',
			url,
			body,
			headers: {
				'content-type': 'application/json',
				[CONTROL_HEADER]: signControlMessage(body, apiKey),
			},
			timeout: 10_000,
		});
	} catch (error) {
		ctx.logger.warn(
			`Fiwano "${ctx.getNode().name}": the question was sent, but the Fiwano Trigger did not take the reply route (${error instanceof Error ? error.message : String(error)}). The answer link still works; replies in the chat will start the workflow as new messages.`,
		);
	}
}

interface RawRequest {
	method?: string;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

interface RawResponse {
	status(code: number): RawResponse;
	setHeader(name: string, value: string): unknown;
	send(body: string): unknown;
	json(body: unknown): unknown;
}

function sendHtml(ctx: IWebhookFunctions, status: number, html: string): void {
	const res: RawResponse = ctx.getResponseObject();
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	res.setHeader('Cache-Control', 'no-store');
	res.status(status).send(html);
}

function pageTitle(options: IDataObject): string {
	return String(options.responseFormTitle || 'Your answer is needed');
}

function safeMessage(ctx: IWebhookFunctions): string {
	try {
		return String(ctx.getNodeParameter('message', '') ?? '');
	} catch {
		// The message may refer to the items that came in, which a webhook request does not have.
		return 'Please answer the question you received in the chat.';
	}
}

function answerForm(
	ctx: IWebhookFunctions,
	responseType: ResponseType,
	options: IDataObject,
): AnswerForm {
	const buttonLabel = String(options.responseFormButtonLabel || 'Send');
	if (responseType === 'freeText') return { kind: 'freeText', buttonLabel };
	if (responseType === 'customForm')
		return { kind: 'customForm', buttonLabel, fields: readFormFields(ctx) };
	const labels = readApprovalLabels(ctx);
	return {
		kind: 'approval',
		approveLabel: labels.approveLabel,
		disapproveLabel: labels.approvalType === 'double' ? labels.disapproveLabel : undefined,
	};
}

/** The answer a page POST carries, or why it is not one. */
function answerFromPage(
	ctx: IWebhookFunctions,
	responseType: ResponseType,
	body: IDataObject,
): { data: IDataObject } | { problem: string } {
	if (responseType === 'approval') {
		const labels = readApprovalLabels(ctx);
		if (body.choice === 'approve') return { data: { approved: true } };
		if (body.choice === 'disapprove' && labels.approvalType === 'double')
			return { data: { approved: false } };
		return { problem: 'Choose one of the buttons.' };
	}
	if (responseType === 'freeText') {
		const text = typeof body.text === 'string' ? body.text.trim() : '';
		return text ? { data: { text } } : { problem: 'Write an answer.' };
	}
	const data: IDataObject = {};
	const fields = readFormFields(ctx);
	for (const [index, field] of fields.entries()) {
		const raw = body[fieldName(index)];
		const value = typeof raw === 'string' ? raw.trim() : '';
		if (field.required && value === '') return { problem: `Fill in “${field.label}”.` };
		if (field.type === 'dropdown' && value !== '' && !field.options.includes(value))
			return { problem: `Choose one of the options of “${field.label}”.` };
		data[field.label] = field.type === 'number' && value !== '' ? Number(value) : value;
	}
	return { data };
}

/** The answer a chat reply carries (approval and free text), or undefined when it is none. */
function answerFromReply(
	ctx: IWebhookFunctions,
	responseType: ResponseType,
	text: string,
): IDataObject | undefined {
	if (responseType === 'approval') {
		const approved = approvalFromReply(text, readApprovalLabels(ctx));
		return approved === undefined ? undefined : { approved };
	}
	if (responseType === 'freeText' && text.trim()) return { text: text.trim() };
	return undefined;
}

async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer> {
	const req: RawRequest = ctx.getRequestObject();
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function')
		await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
}

/**
 * The waiting webhook. n8n has checked the link's signature before it calls this (for a node
 * whose operation is `sendAndWait`, `WaitingWebhooks.validateSignature`), so the request holds
 * a link this n8n signed for this execution and node.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req: RawRequest = this.getRequestObject();
	const responseType = readResponseType(this);
	const options = readOptions(this);
	const query = this.getQueryData() as IDataObject;
	const asked = {
		channel_id: typeof query.c === 'string' ? query.c : undefined,
		recipient: typeof query.r === 'string' ? query.r : undefined,
	};

	if (req.method !== 'POST') {
		sendHtml(
			this,
			200,
			questionPage(pageTitle(options), safeMessage(this), answerForm(this, responseType, options)),
		);
		return { noWebhookResponse: true };
	}

	const body = this.getBodyData();
	const signature = this.getHeaderData()[CONTROL_HEADER];
	if (signature !== undefined || controlKindOf(body) !== undefined) {
		const res: RawResponse = this.getResponseObject();
		const rawBody = await rawBodyOf(this);
		let apiKey: string | undefined;
		try {
			apiKey = (await credentialsOf(this)).apiKey;
		} catch {
			apiKey = undefined;
		}
		if (!controlSignatureIsValid(rawBody, signature, apiKey) || controlKindOf(body) !== 'reply') {
			res.status(401).json({ resumed: false, reason: 'invalid signature' });
			return { noWebhookResponse: true };
		}
		const text = typeof body.text === 'string' ? body.text : '';
		const data = answerFromReply(this, responseType, text);
		if (!data) {
			res.status(200).json({ resumed: false, reason: 'not an answer' });
			return { noWebhookResponse: true };
		}
		res.status(200).json({ resumed: true });
		return {
			noWebhookResponse: true,
			workflowData: [
				[
					{
						json: {
							data,
							respondedAt: new Date().toISOString(),
							answeredVia: 'reply',
							responder: body.from ?? null,
							message_id: body.question_id ?? null,
							reply_message_id: body.message_id ?? null,
							channel_id: body.channel_id ?? asked.channel_id ?? null,
							recipient: asked.recipient ?? body.from ?? null,
						},
					},
				],
			],
		};
	}

	const answer = answerFromPage(this, responseType, body);
	if ('problem' in answer) {
		sendHtml(this, 400, resultPage('Not sent yet', `${answer.problem} Go back and try again.`));
		return { noWebhookResponse: true };
	}
	sendHtml(
		this,
		200,
		resultPage('Thank you', 'Your answer was recorded. You can close this page.'),
	);
	return {
		noWebhookResponse: true,
		workflowData: [
			[
				{
					json: {
						data: answer.data,
						respondedAt: new Date().toISOString(),
						answeredVia: 'link',
						responder: asked.recipient ?? null,
						message_id: null,
						channel_id: asked.channel_id ?? null,
						recipient: asked.recipient ?? null,
					},
				},
			],
		],
	};
}
