import { createHmac } from 'crypto';
import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';
import { ExecuteContext } from 'n8n-core';
import nock from 'nock';

import { signControlMessage } from '../../../nodes/Fiwano/helpers/controlMessage';
import type { WorkflowJson } from '../../helpers/harness';
import { API_KEY, executeWorkflow, fiwanoApi, fiwanoNode, setupHttp } from '../../helpers/harness';
import { requestWaiting, resumeAfterTimeout } from '../../helpers/waiting';
import { byId, channel, failed, IG_CUSTOMER, IG_ID, sent, WA_CUSTOMER, WA_ID } from './fixtures';

setupHttp();

const TRIGGER_URL = 'https://n8n.example.com/webhook/3d0b8f5e/webhook';
const WAITING_BASE = 'https://n8n.example.com/webhook-waiting';

function params(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'message',
		operation: 'sendAndWait',
		channelId: byId(WA_ID),
		recipient: WA_CUSTOMER,
		message: 'Refund €40 for order 1042?',
		options: { replyInChat: 'off' },
		...overrides,
	};
}

function workflowOf(parameters: IDataObject): WorkflowJson {
	return { nodes: [fiwanoNode(parameters)], connections: {} };
}

/** The link in a sent question: n8n's signed resume URL for execution 1 and this node. */
function linkIn(text: string): string {
	const match = /(https:\/\/n8n\.example\.com\/webhook-waiting\/\S+)/.exec(text);
	if (!match) throw new Error(`no answer link in ${JSON.stringify(text)}`);
	return match[1];
}

interface Asked {
	json: WorkflowJson;
	run: IRun;
	items: INodeExecutionData[];
	text: string;
	link: string;
}

/** Runs the node until it pauses, with the channel lookup and the send pinned. */
async function ask(parameters: IDataObject, sendAnswer: IDataObject = sent('q-1')): Promise<Asked> {
	let text = '';
	const scope = fiwanoApi()
		.get(`/api/v1/channels/${WA_ID}`)
		.reply(200, channel(WA_ID, { webhook_url: TRIGGER_URL }))
		.post('/api/v1/messages/send', (body: IDataObject) => {
			text = String(body.text);
			return body.channel_id === WA_ID && body.recipient === WA_CUSTOMER;
		})
		.reply(200, sendAnswer);
	const json = workflowOf(parameters);
	const { run, items, error } = await executeWorkflow(json);
	if (error) throw error;
	expect(scope.isDone()).toBe(true);
	return { json, run, items, text, link: linkIn(text) };
}

describe('Message → Send and Wait: asking', () => {
	it('sends the question with a signed answer link and pauses until an answer', async () => {
		const asked = await ask(params());
		const link = new URL(asked.link);
		expect(`${link.origin}${link.pathname}`).toBe(`${WAITING_BASE}/1/fiwano-node`);
		expect(link.searchParams.get('c')).toBe(WA_ID);
		expect(link.searchParams.get('r')).toBe(WA_CUSTOMER);
		expect(link.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(asked.text).toBe(`Refund €40 for order 1042?\n\nAnswer here: ${asked.link}`);
		expect(asked.run.waitTill?.toISOString()).toBe('3000-01-01T00:00:00.000Z');
		expect(asked.items).toEqual([
			{
				json: {
					data: { timedOut: true },
					answeredVia: null,
					message_id: 'q-1',
					channel_id: WA_ID,
					recipient: WA_CUSTOMER,
					sent_as: 'text',
				},
				pairedItem: [{ item: 0 }],
			},
		]);
	});

	it('says how to answer in the chat when replies are accepted, and tells the trigger', async () => {
		let announced: IDataObject | undefined;
		let signature: string | undefined;
		const trigger = nock('https://n8n.example.com')
			.post('/webhook/3d0b8f5e/webhook', (body: IDataObject) => {
				announced = body;
				return true;
			})
			.reply(function reply(_uri, body) {
				signature = String(this.req.headers['x-fiwano-n8n-signature']);
				expect(signature).toBe(signControlMessage(JSON.stringify(body), API_KEY));
				return [200, { accepted: true }];
			});
		const asked = await ask(
			params({
				approvalOptions: { values: { approvalType: 'double', disapproveLabel: 'Keep it' } },
				options: { replyInChat: 'quoted' },
			}),
		);
		expect(asked.text).toBe(
			`Refund €40 for order 1042?\n\nReply to this message with "Approve" or "Keep it", or use the link.\nAnswer here: ${asked.link}`,
		);
		expect(trigger.isDone()).toBe(true);
		expect(announced).toEqual({
			fiwano_n8n: 'await-reply',
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
			message_id: 'q-1',
			resume_url: asked.link,
			match: 'quoted',
			expires_at: '3000-01-01T00:00:00.000Z',
		});
	});

	it('refuses reply in chat before sending when no trigger receives the channel', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, channel(WA_ID, { webhook_url: null }));
		const { error } = await executeWorkflow(
			workflowOf(params({ options: { replyInChat: 'nextMessage' } })),
		);
		expect(error?.message).toBe(
			'Accept Reply in Chat needs a Fiwano Trigger that receives this channel’s messages',
		);
		expect(scope.isDone()).toBe(true);
	});

	it('never announces a question to a test listen (that would end the listen)', async () => {
		const test = 'https://n8n.example.com/webhook-test/3d0b8f5e/webhook';
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, channel(WA_ID, { webhook_url: test }));
		const { error } = await executeWorkflow(
			workflowOf(params({ options: { replyInChat: 'quoted' } })),
		);
		expect(error?.message).toMatch(/needs a Fiwano Trigger/);
		expect(scope.isDone()).toBe(true);
	});

	it('waits as long as Limit Wait Time says', async () => {
		const before = Date.now();
		const asked = await ask(
			params({
				options: {
					replyInChat: 'off',
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
					},
				},
			}),
		);
		const waitMs = (asked.run.waitTill?.getTime() ?? 0) - before;
		expect(waitMs).toBeGreaterThanOrEqual(2 * 3_600_000);
		expect(waitMs).toBeLessThan(2 * 3_600_000 + 60_000);
		const until = await ask(
			params({
				options: {
					replyInChat: 'off',
					limitWaitTime: {
						values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2031-05-01T10:00:00Z' },
					},
				},
			}),
		);
		expect(until.run.waitTill?.toISOString()).toBe('2031-05-01T10:00:00.000Z');
	});

	it('continues with data.timedOut when the wait ends without an answer', async () => {
		const asked = await ask(params());
		const resumed = await resumeAfterTimeout(asked.json, asked.run);
		const output = resumed.data.resultData.runData.Fiwano.at(-1)?.data?.main[0];
		expect(output?.map((i) => i.json)).toEqual([
			{
				data: { timedOut: true },
				answeredVia: null,
				message_id: 'q-1',
				channel_id: WA_ID,
				recipient: WA_CUSTOMER,
				sent_as: 'text',
			},
		]);
		expect(resumed.waitTill).toBeUndefined();
	});

	it('sends the approved template instead when WhatsApp’s 24-hour window is closed', async () => {
		let templateBody: IDataObject | undefined;
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, channel(WA_ID))
			.post('/api/v1/messages/send')
			.reply(200, failed(131047, 'Re-engagement message'))
			.post('/api/v1/messages/send-template', (body: IDataObject) => {
				templateBody = body;
				return true;
			})
			.reply(200, sent('tpl-1'));
		const json = workflowOf(
			params({
				options: {
					replyInChat: 'off',
					windowTemplate: { values: { name: 'approval_request', language: 'en_US' } },
				},
			}),
		);
		const { items, error } = await executeWorkflow(json);
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const link = String((templateBody?.variables as { body: string[] }).body[1]);
		expect(templateBody).toEqual({
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
			template_name: 'approval_request',
			language: 'en_US',
			variables: { body: ['Refund €40 for order 1042?', link] },
		});
		expect(link).toMatch(/^https:\/\/n8n\.example\.com\/webhook-waiting\/1\/fiwano-node\?/);
		expect(items[0].json).toMatchObject({ message_id: 'tpl-1', sent_as: 'template' });
	});

	it('fails with WhatsApp’s hint when the window is closed and no template is set', async () => {
		fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}`)
			.reply(200, channel(WA_ID))
			.post('/api/v1/messages/send')
			.reply(200, failed(131047, 'Re-engagement message'));
		const { error } = await executeWorkflow(workflowOf(params()));
		expect(String(error?.description)).toMatch(/approved template/);
	});

	it('refuses a question that does not fit the channel with its link, before sending', async () => {
		const scope = fiwanoApi().get(`/api/v1/channels/${IG_ID}`).reply(200, channel(IG_ID));
		const { error } = await executeWorkflow(
			workflowOf(
				params({ channelId: byId(IG_ID), recipient: IG_CUSTOMER, message: 'x'.repeat(990) }),
			),
		);
		expect(error?.message).toMatch(/limit is 1000/);
		expect(scope.isDone()).toBe(true);
	});
});

describe('Message → Send and Wait on an n8n without signed resume links', () => {
	it('stops before sending, naming the n8n version it needs', async () => {
		const prototype = ExecuteContext.prototype as unknown as Record<string, unknown>;
		prototype.getSignedResumeUrl = undefined;
		try {
			const { error } = await executeWorkflow(workflowOf(params()));
			expect(error?.message).toBe('Send and Wait needs n8n 1.123.81 or newer');
			expect(String(error?.description)).toContain('getSignedResumeUrl');
		} finally {
			delete prototype.getSignedResumeUrl;
		}
	});
});

describe('Message → Send and Wait: the answer link', () => {
	it('only shows the page on GET, for link previews and people alike', async () => {
		const asked = await ask(params({ approvalOptions: { values: { approvalType: 'double' } } }));
		for (const agent of ['WhatsApp/2.23.20 A', 'facebookexternalhit/1.1', 'Mozilla/5.0']) {
			const page = await requestWaiting(asked.json, asked.run, {
				method: 'GET',
				url: asked.link,
				headers: { 'user-agent': agent },
			});
			expect(page.resumed).toBe(false);
			expect(page.status).toBe(200);
			expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(String(page.body)).toContain('<form method="post">');
			expect(String(page.body)).toContain('value="approve">Approve</button>');
			expect(String(page.body)).toContain('value="disapprove">Decline</button>');
			expect(String(page.body)).toContain('Refund €40 for order 1042?');
		}
	});

	it.each([
		['single', 'approve', { approved: true }],
		['double', 'approve', { approved: true }],
		['double', 'disapprove', { approved: false }],
	])('approval %s: a POST of %s resumes with %j', async (approvalType, choice, data) => {
		const asked = await ask(params({ approvalOptions: { values: { approvalType } } }));
		const answer = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { choice },
			rawBody: `choice=${choice}`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(answer.status).toBe(200);
		expect(String(answer.body)).toContain('Your answer was recorded');
		const json = answer.result.workflowData?.[0][0].json;
		expect(json).toEqual({
			data,
			respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			answeredVia: 'link',
			responder: WA_CUSTOMER,
			message_id: null,
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
		});
	});

	it('does not take a refusal when the question offers only approval', async () => {
		const asked = await ask(params());
		const answer = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { choice: 'disapprove' },
		});
		expect([answer.status, answer.resumed]).toEqual([400, false]);
	});

	it('free text: the page asks for words, and the POST resumes with them', async () => {
		const asked = await ask(params({ responseType: 'freeText' }));
		const page = await requestWaiting(asked.json, asked.run, { method: 'GET', url: asked.link });
		expect(String(page.body)).toContain('<textarea id="text" name="text" required>');
		const empty = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { text: '  ' },
		});
		expect([empty.status, empty.resumed]).toEqual([400, false]);
		const answer = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { text: ' Tuesday after 3pm ' },
		});
		expect(answer.result.workflowData?.[0][0].json.data).toEqual({ text: 'Tuesday after 3pm' });
	});

	it('custom form: fields by label, required ones enforced, numbers as numbers', async () => {
		const formFields = {
			values: [
				{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
				{
					fieldLabel: 'Reason',
					fieldType: 'dropdown',
					fieldOptions: { values: [{ option: 'Damaged' }, { option: 'Late' }] },
				},
				{ fieldLabel: 'Note <b>', fieldType: 'textarea' },
			],
		};
		const asked = await ask(params({ responseType: 'customForm', formFields }));
		const page = await requestWaiting(asked.json, asked.run, { method: 'GET', url: asked.link });
		expect(String(page.body)).toContain(
			'<input id="field-0" name="field-0" type="number" required>',
		);
		expect(String(page.body)).toContain('<option value="Damaged">Damaged</option>');
		expect(String(page.body)).toContain('Note &lt;b&gt;');
		const missing = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { 'field-1': 'Late' },
		});
		expect([missing.status, missing.resumed]).toEqual([400, false]);
		const wrongOption = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { 'field-0': '40', 'field-1': 'Lost' },
		});
		expect(wrongOption.resumed).toBe(false);
		const answer = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { 'field-0': '40', 'field-1': 'Late', 'field-2': 'box was wet' },
		});
		expect(answer.result.workflowData?.[0][0].json.data).toEqual({
			Amount: 40,
			Reason: 'Late',
			'Note <b>': 'box was wet',
		});
	});
});

describe('Message → Send and Wait: a reply handed over by the trigger', () => {
	function reply(asked: Asked, text: string, sign = API_KEY) {
		const body = {
			fiwano_n8n: 'reply',
			channel_id: WA_ID,
			from: WA_CUSTOMER,
			text,
			type: 'text',
			message_id: 'wamid.reply-1',
			question_id: 'q-1',
		};
		const raw = JSON.stringify(body);
		return requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body,
			rawBody: raw,
			headers: { 'x-fiwano-n8n-signature': signControlMessage(raw, sign) },
		});
	}

	it('resumes with the answer, how it came and who sent it', async () => {
		const asked = await ask(params({ approvalOptions: { values: { approvalType: 'double' } } }));
		const answer = await reply(asked, 'Yes!');
		expect([answer.status, answer.body]).toEqual([200, { resumed: true }]);
		expect(answer.result.workflowData?.[0][0].json).toEqual({
			data: { approved: true },
			respondedAt: expect.any(String),
			answeredVia: 'reply',
			responder: WA_CUSTOMER,
			message_id: 'q-1',
			reply_message_id: 'wamid.reply-1',
			channel_id: WA_ID,
			recipient: WA_CUSTOMER,
		});
		const no = await reply(asked, 'decline');
		expect(no.result.workflowData?.[0][0].json.data).toEqual({ approved: false });
	});

	it('leaves the execution waiting for a reply that is not an answer', async () => {
		const asked = await ask(params());
		const answer = await reply(asked, 'what is this about?');
		expect([answer.status, answer.body, answer.resumed]).toEqual([
			200,
			{ resumed: false, reason: 'not an answer' },
			false,
		]);
	});

	it('refuses a reply signed with another key', async () => {
		const asked = await ask(params());
		const answer = await reply(asked, 'yes', 'mip_live_someone_else');
		expect([answer.status, answer.resumed]).toEqual([401, false]);
		const forged = await requestWaiting(asked.json, asked.run, {
			method: 'POST',
			url: asked.link,
			body: { fiwano_n8n: 'reply', text: 'yes' },
		});
		expect([forged.status, forged.resumed]).toEqual([401, false]);
	});

	it('free text takes the words of the reply', async () => {
		const asked = await ask(params({ responseType: 'freeText' }));
		const answer = await reply(asked, 'Tuesday');
		expect(answer.result.workflowData?.[0][0].json.data).toEqual({ text: 'Tuesday' });
	});
});

it('signs control messages with a key derived from the API key, never the key itself', () => {
	const key = createHmac('sha256', API_KEY).update('n8n-nodes-fiwano control message v1').digest();
	expect(signControlMessage('{}', API_KEY)).toBe(
		`sha256=${createHmac('sha256', key).update('{}').digest('hex')}`,
	);
});
