import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { signControlMessage } from '../../nodes/Fiwano/helpers/controlMessage';
import { forgetProcessMemory } from '../../nodes/Fiwano/trigger/dedupe';
import {
	forgetWaitingQuestions,
	questionScope,
	rememberQuestion,
	WAITING_FIELD,
} from '../../nodes/Fiwano/helpers/waitingQuestions';
import { API_KEY, setupHttp } from '../helpers/harness';
import type { Delivery } from '../helpers/trigger';
import { PRODUCTION_URL, SavedWorkflow, triggerNode, WEBHOOK_ID } from '../helpers/trigger';
import { events, SECRET, WA } from './fakeFiwano';

/**
 * Send and Wait's reply in chat, from the trigger's side: a question announces itself with a
 * signed control message; a reply from the same person on the same channel (quoting it, or any
 * next message when the question takes that) goes to the waiting execution's resume link and
 * starts nothing; everything else starts the workflow as usual.
 */

setupHttp();

const N8N = 'https://n8n.example.com';
const PERSON = '1234567890';

beforeEach(() => forgetWaitingQuestions());

function trigger(): SavedWorkflow {
	return new SavedWorkflow(
		triggerNode({
			autoSetup: 'channel',
			channelId: { __rl: true, mode: 'id', value: WA },
			events: ['message.received'],
		}),
	);
}

function resumeUrl(execution: number): string {
	return `${N8N}/webhook-waiting/${execution}/fiwano-node?c=${WA}&r=${PERSON}&signature=${'a'.repeat(64)}`;
}

function announcement(execution: number, overrides: IDataObject = {}): IDataObject {
	return {
		fiwano_n8n: 'await-reply',
		channel_id: WA,
		recipient: PERSON,
		message_id: `question-${execution}`,
		resume_url: resumeUrl(execution),
		match: 'quoted',
		expires_at: '3000-01-01T00:00:00.000Z',
		...overrides,
	};
}

async function announce(
	saved: SavedWorkflow,
	body: IDataObject,
	key = API_KEY,
	loaded?: IDataObject,
): Promise<Delivery> {
	const raw = JSON.stringify(body);
	return await saved.receive(
		{ body: raw, headers: { 'x-fiwano-n8n-signature': signControlMessage(raw, key) } },
		{ loaded },
	);
}

let replyCount = 0;

/** A customer's message, quoting `quoted` when given. */
function message(text: string, quoted?: string, overrides: IDataObject = {}): IDataObject {
	replyCount += 1;
	return events.text({
		data: {
			message_id: `wamid.reply-${replyCount}`,
			from: PERSON,
			type: 'text',
			text,
			...(quoted ? { reply_to: { message_id: quoted } } : {}),
		},
		...overrides,
	});
}

/** Pins the hand-over to execution `execution`'s resume link, with its exact body and signature. */
function expectResume(execution: number, text: string, answer: IDataObject, status = 200) {
	const bodies: IDataObject[] = [];
	const scope = nock(N8N)
		.post(`/webhook-waiting/${execution}/fiwano-node`, (body: IDataObject) => {
			bodies.push(body);
			return body.text === text;
		})
		.query({ c: WA, r: PERSON, signature: 'a'.repeat(64) })
		.reply(function reply(_uri, body) {
			expect(this.req.headers['x-fiwano-n8n-signature']).toBe(
				signControlMessage(JSON.stringify(body), API_KEY),
			);
			return [status, answer];
		});
	return { scope, bodies };
}

describe('question announcements', () => {
	it('takes a signed announcement, answers 200 and starts nothing', async () => {
		const saved = trigger();
		const result = await announce(saved, announcement(1));
		expect(result).toMatchObject({ status: 200, executed: false, body: { accepted: true } });
		expect(Object.keys((saved.nodeStatic()[WAITING_FIELD] as { q: IDataObject }).q)).toHaveLength(
			1,
		);
	});

	it('refuses an announcement signed with another key, or not signed at all', async () => {
		const saved = trigger();
		const forged = await announce(saved, announcement(1), 'mip_live_not_ours');
		const unsigned = await saved.receive({
			body: announcement(1),
			headers: { 'x-fiwano-n8n-signature': '' },
		});
		expect([forged.status, unsigned.status]).toEqual([401, 401]);
		expect(saved.nodeStatic()[WAITING_FIELD]).toBeUndefined();
	});

	it('refuses an announcement that misses the link or the chat', async () => {
		const saved = trigger();
		const result = await announce(saved, announcement(1, { resume_url: '' }));
		expect(result.status).toBe(400);
	});
});

describe('replies in the chat', () => {
	it('hands a reply that quotes the question to its execution, once, and starts nothing', async () => {
		const saved = trigger();
		await announce(saved, announcement(7));
		const { scope, bodies } = expectResume(7, 'yes', { resumed: true });
		const reply = message('yes', 'question-7');
		const result = await saved.receive({ body: reply, secret: SECRET });
		expect(result).toMatchObject({
			status: 200,
			executed: false,
			body: { received: true, resumed: true },
		});
		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([
			{
				fiwano_n8n: 'reply',
				channel_id: WA,
				from: PERSON,
				text: 'yes',
				type: 'text',
				message_id: (reply.data as IDataObject).message_id,
				question_id: 'question-7',
			},
		]);
		// Answered: the next reply quoting it is an ordinary message.
		const again = await saved.receive({ body: message('yes again', 'question-7'), secret: SECRET });
		expect(again.executed).toBe(true);
	});

	it('never hands over a reply from another person or on another channel', async () => {
		const saved = trigger();
		await announce(saved, announcement(8, { recipient: '999' }));
		await announce(saved, announcement(9, { channel_id: 'ffffffffffffffff' }));
		const never = nock(N8N).post(/.*/).query(true).reply(200, { resumed: true });
		const otherPerson = await saved.receive({ body: message('yes', 'question-8'), secret: SECRET });
		const otherChannel = await saved.receive({
			body: message('yes', 'question-9'),
			secret: SECRET,
		});
		expect([otherPerson.executed, otherChannel.executed, never.isDone()]).toEqual([
			true,
			true,
			false,
		]);
	});

	it('starts the workflow for a message that quotes nothing, unless the question takes the next one', async () => {
		const saved = trigger();
		await announce(saved, announcement(1));
		const plain = await saved.receive({ body: message('yes'), secret: SECRET });
		expect(plain.executed).toBe(true);

		await announce(saved, announcement(2, { match: 'nextMessage' }));
		const { scope } = expectResume(2, 'ok', { resumed: true });
		const next = await saved.receive({ body: message('ok'), secret: SECRET });
		expect([next.executed, scope.isDone()]).toEqual([false, true]);
	});

	it('starts the workflow for a reply that is not an answer, and keeps the question', async () => {
		const saved = trigger();
		await announce(saved, announcement(3));
		const maybe = expectResume(3, 'maybe?', { resumed: false, reason: 'not an answer' });
		const first = await saved.receive({ body: message('maybe?', 'question-3'), secret: SECRET });
		expect([first.executed, maybe.scope.isDone()]).toEqual([true, true]);
		const yes = expectResume(3, 'yes', { resumed: true });
		const second = await saved.receive({ body: message('yes', 'question-3'), secret: SECRET });
		expect([second.executed, yes.scope.isDone()]).toEqual([false, true]);
	});

	it('forgets a question whose execution is gone, and lets the reply start the workflow', async () => {
		const saved = trigger();
		await announce(saved, announcement(4));
		const gone = expectResume(4, 'yes', { message: 'The execution has finished already.' }, 409);
		const first = await saved.receive({ body: message('yes', 'question-4'), secret: SECRET });
		expect([first.executed, gone.scope.isDone()]).toEqual([true, true]);
		const second = await saved.receive({ body: message('yes', 'question-4'), secret: SECRET });
		expect(second.executed).toBe(true);
	});

	it('routes a question the Fiwano node asked in this process, even if its announcement never came', async () => {
		const saved = trigger();
		const scope = questionScope(PRODUCTION_URL);
		expect(scope).toBe(`route|/webhook/${WEBHOOK_ID}/webhook`);
		rememberQuestion(
			undefined,
			String(scope),
			{
				channelId: WA,
				recipient: PERSON,
				messageId: 'question-11',
				resumeUrl: resumeUrl(11),
				match: 'quoted',
				expiresAt: Date.now() + 60_000,
			},
			Date.now(),
		);
		const { scope: resumed } = expectResume(11, 'yes', { resumed: true });
		const reply = await saved.receive({ body: message('yes', 'question-11'), secret: SECRET });
		expect([reply.executed, resumed.isDone()]).toEqual([false, true]);
	});

	it('keeps a question across a restart of n8n (static data)', async () => {
		const saved = trigger();
		await announce(saved, announcement(5));
		forgetWaitingQuestions();
		forgetProcessMemory();
		const { scope } = expectResume(5, 'yes', { resumed: true });
		const reply = await saved.receive({ body: message('yes', 'question-5'), secret: SECRET });
		expect([reply.executed, scope.isDone()]).toEqual([false, true]);
	});

	it('keeps a question that other overlapping deliveries loaded too early to see', async () => {
		const saved = trigger();
		const loadedBefore = saved.snapshot();
		await announce(saved, announcement(6));
		// A delivery that loaded the static data before the announcement saves last.
		await saved.receive({ body: message('unrelated'), secret: SECRET }, { loaded: loadedBefore });
		forgetWaitingQuestions();
		forgetProcessMemory();
		const { scope } = expectResume(6, 'yes', { resumed: true });
		const reply = await saved.receive({ body: message('yes', 'question-6'), secret: SECRET });
		expect([reply.executed, scope.isDone()]).toEqual([false, true]);
	});

	it('routes twenty waiting conversations to their own executions among other traffic', async () => {
		const saved = trigger();
		const people = Array.from({ length: 20 }, (_, i) => `1555000${String(i).padStart(4, '0')}`);
		for (const [i, person] of people.entries()) {
			await announce(
				saved,
				announcement(100 + i, { recipient: person, resume_url: resumeUrl(100 + i) }),
			);
			await saved.receive({ body: message(`noise ${i}`), secret: SECRET });
		}
		const own = people.map((person, i) =>
			nock(N8N)
				.post(
					`/webhook-waiting/${100 + i}/fiwano-node`,
					(body: IDataObject) => body.from === person,
				)
				.query(true)
				.reply(200, { resumed: true }),
		);
		const answers = await Promise.all(
			people.map((person, i) => {
				const reply = message('yes', `question-${100 + i}`);
				(reply.data as IDataObject).from = person;
				return saved.receive({ body: reply, secret: SECRET });
			}),
		);
		expect(answers.map((a) => a.executed)).toEqual(people.map(() => false));
		expect(own.every((scope) => scope.isDone())).toBe(true);
	});
});
