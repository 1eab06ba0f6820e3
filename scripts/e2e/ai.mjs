// The AI-assistant checks of `npm run test:e2e`: workflows/fiwano-ai-assistant.json in real n8n,
// with n8n's own AI Agent, Simple Memory and OpenAI Chat Model nodes, against the sandbox and
// its scripted model (test/sandbox/model.mjs). The OpenAI credential's Base URL points at the
// sandbox's /v1, so no real model and no network are involved.
import { randomUUID } from 'node:crypto';
import { waitDecodedExecution } from '../lib/n8n.mjs';
import { ACTION_TYPE, activateOnChannels, prepareWorkflow, readWorkflow } from '../lib/stack.mjs';
import { sleep, waitFor } from '../lib/util.mjs';

export const TOOL_TYPE = `${ACTION_TYPE}Tool`;
const AGENT = '@n8n/n8n-nodes-langchain.agent';
const MEMORY = '@n8n/n8n-nodes-langchain.memoryBufferWindow';
const OPENAI = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
// Version 1.2 talks Chat Completions; 1.3 defaults to the Responses API.
const OPENAI_VERSION = 1.2;
const FILE = 'fiwano-ai-assistant.json';

const CH = { whatsapp: 'a0a0a0a0a0a0a001', instagram: 'b0b0b0b0b0b0b002' };
const CUSTOMER = { whatsapp: '15551234567', instagram: '6543217890123456' };
// Who approves template sends in workflows/fiwano-ai-assistant.json ("Ask the owner first").
const OWNER = '15550009999';

/**
 * The Operation choices n8n shows in a tool node's panel, per resource: a selector is visible in
 * the tool unless it is hidden with `@tool` (the regular node's), as n8n's display rules say.
 */
export function toolOffer(description) {
	const offer = {};
	const resources = description.properties.find((p) => p.name === 'resource')?.options ?? [];
	for (const r of resources) {
		const selector = description.properties.find(
			(p) =>
				p.name === 'operation' &&
				p.displayOptions?.show?.resource?.includes(r.value) &&
				!p.displayOptions?.hide?.['@tool']?.includes(true),
		);
		offer[r.name] = (selector?.options ?? []).map((o) => `${o.name} ("${o.action}")`);
	}
	return offer;
}

/**
 * Adds the AI checks. `stack` is bringUp()'s result, `sb(method, path, body)` the sandbox's
 * control API, `check`/`assert` the e2e runner's, `up` the name of the stack check.
 */
export async function aiAssistantChecks({ check, assert, stack, sb, up, quietMs = 3000 }) {
	const { client, credential, n8n, sandbox } = stack;
	let types;
	try {
		types = await client.typesJson('nodes');
	} catch (error) {
		await check('AI assistant checks read n8n’s node types', () => {
			throw error;
		});
		return;
	}
	const has = (name, version) =>
		types.some((t) => t.name === name && [t.version].flat().includes(version));
	const missing = [
		[AGENT, 3],
		[MEMORY, 1.3],
		[OPENAI, OPENAI_VERSION],
	].filter(([name, version]) => !has(name, version));
	if (missing.length) {
		const settings = await client.call('GET', '/rest/settings').catch(() => ({}));
		process.stdout.write(
			`SKIP AI assistant checks — n8n ${settings.versionCli ?? '(unknown version)'} has no ${missing
				.map(([n, v]) => `${n} v${v}`)
				.join(', ')}\n`,
		);
		return;
	}

	// n8n 2.x generates a human-review ("HITL") tool for every node with a Send and Wait operation
	// (n8n/dist/tool-generation/hitl-tools.js); n8n 1.123 has no such tools. There the check runs
	// the workflow as a 1.x user has to: without "Ask the owner first".
	const HITL_TYPE = `${ACTION_TYPE}HitlTool`;
	const hasHitl = types.some((t) => t.name === HITL_TYPE);
	if (!hasHitl) {
		const settings = await client.call('GET', '/rest/settings').catch(() => ({}));
		process.stdout.write(
			`SKIP the human-review step of the AI assistant — n8n ${settings.versionCli ?? ''} generates no ${HITL_TYPE} (n8n 2.x does)\n`,
		);
	}
	const TOOLS =
		'n8n generates the Fiwano Tool: sends and lookups only, deletes and webhook changes left out';
	await check(
		TOOLS,
		async () => {
			const entry = types.find((t) => t.name === TOOL_TYPE);
			assert(entry, `${TOOL_TYPE} missing from /types/nodes.json`);
			assert(
				entry.codex?.subcategories?.AI?.includes('Tools'),
				`codex ${JSON.stringify(entry.codex)}`,
			);
			// /rest/node-types does not resolve a community package's tool; the types list has it whole.
			const offer = toolOffer(entry);
			const flat = Object.values(offer).flat().join(' ');
			for (const word of ['Delete', 'Update', 'Exchange', 'Add', 'Download', 'Create'])
				assert(!flat.includes(`${word}`), `the tool offers ${word}: ${flat}`);
			assert(/Send Text/.test(flat) && /Get Profile/.test(flat), `offer ${flat}`);
			// Send and Wait makes n8n generate the human-review tool too (n8n/dist/tool-generation/hitl-tools.js).
			const hitl = types.find((t) => t.name === HITL_TYPE);
			const hitlFields = (hitl?.properties ?? [])
				.filter((p) => p.type !== 'hidden' && p.type !== 'notice')
				.map((p) => p.name);
			const hitlSays = hitl
				? `${hitl.name} (${hitl.displayName}, "${hitl.subtitle}"): ${[...new Set(hitlFields)].join(', ')}`
				: 'no human-review tool on this n8n';
			return `${hitlSays}; ${entry.displayName}: ${Object.entries(offer)
				.map(([r, ops]) => `${r}: ${ops.join(', ') || '(none)'}`)
				.join('; ')}`;
		},
		{ needs: [up] },
	);

	let openAi;
	const MODEL = 'the OpenAI Chat Model lists the scripted model through n8n (GET /v1/models)';
	await check(
		MODEL,
		async () => {
			openAi = await client.createCredential({
				name: 'Scripted model (sandbox)',
				type: 'openAiApi',
				data: { apiKey: 'sk-sandbox-scripted', url: `${sandbox.url}/v1`, header: false },
			});
			const r = await client.resourceLocatorResults({
				nodeType: OPENAI,
				version: OPENAI_VERSION,
				methodName: 'searchModels',
				path: 'model',
				credentials: { openAiApi: { id: openAi.id, name: openAi.name } },
				parameters: { model: { __rl: true, mode: 'list', value: '' }, options: {} },
			});
			const ids = (r.results ?? []).map((x) => x.value);
			assert(ids.includes('fiwano-scripted'), `models ${JSON.stringify(r.results)}`);
			return ids.join(', ');
		},
		{ needs: [up] },
	);

	let wf;
	const ACT = 'the AI assistant imports as is, takes a chat model and publishes';
	await check(
		ACT,
		async () => {
			const file = readWorkflow(FILE);
			if (!hasHitl) {
				// What a 1.x user does: drop the human-review step, the template tool goes straight in.
				file.nodes = file.nodes.filter((n) => n.type !== HITL_TYPE);
				delete file.connections['Ask the owner first'];
				file.connections['Send template'] = {
					ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
				};
			}
			// What a user does after importing: attach a chat model to the agent.
			file.nodes.push({
				id: randomUUID(),
				name: 'OpenAI Chat Model',
				type: OPENAI,
				typeVersion: OPENAI_VERSION,
				position: [560, 460],
				parameters: {
					model: { __rl: true, mode: 'list', value: 'fiwano-scripted' },
					options: {},
				},
				credentials: { openAiApi: { id: openAi.id, name: openAi.name } },
			});
			file.connections['OpenAI Chat Model'] = {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			};
			// A careless addition: a tool node holding Channel → Delete (as an edited or imported
			// workflow could). The editor does not offer it; the run must refuse it.
			file.nodes.push({
				id: randomUUID(),
				name: 'Delete channel',
				type: TOOL_TYPE,
				typeVersion: 2,
				position: [1420, 460],
				parameters: {
					resource: 'channel',
					operation: 'delete',
					channelId: { __rl: true, mode: 'id', value: '={{ $json.channel_id }}' },
				},
			});
			file.connections['Delete channel'] = {
				ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
			};
			const payload = prepareWorkflow(file, { credential });
			wf = { ...(await client.createWorkflow(payload)), payload };
			await activateOnChannels(client, wf, {
				n8nUrl: n8n.url,
				sb,
				channelIds: Object.values(CH),
			});
			const tools = payload.nodes.filter((n) => n.type === TOOL_TYPE).map((n) => n.name);
			return `${payload.nodes.length} nodes, tools: ${tools.join(', ')}`;
		},
		{ needs: [MODEL] },
	);

	const nonce = Date.now().toString(36);
	const said = {
		a1: `A1-${nonce} when are you open?`,
		a2: `A2-${nonce} and on Saturday?`,
		b1: `B1-${nonce} do you ship abroad?`,
	};
	const answers = {
		a1: `We are open 9 to 18 (${nonce}).`,
		a2: `Closed on Saturdays (${nonce}).`,
		b1: `Yes, we ship worldwide (${nonce}).`,
		image: `Thanks for the photo (${nonce}).`,
	};
	const templateArgs = {
		template_name: 'order_update',
		language: 'en_US',
		variables: { body: ['Alex', `ORD-${nonce}`], buttons: [{ index: 0, value: `ORD-${nonce}` }] },
	};
	const reply = (match, text) => ({
		match,
		tool: { name: 'Reply_with_text', arguments: { text } },
		reply: `Replied: ${text}`,
	});
	const modelRequests = async () => await sb('GET', '/_sandbox/model/requests');
	const lastSeq = async () =>
		Math.max(0, ...(await sb('GET', '/_sandbox/messages')).map((m) => m.seq));
	const sentAfter = async (seq) =>
		(await sb('GET', '/_sandbox/messages')).filter((m) => m.seq > seq);
	const say = async (channel, text, extra = {}) => {
		const seq = await lastSeq();
		await sb('POST', '/_sandbox/inbound', {
			channel_id: CH[channel],
			from: CUSTOMER[channel],
			...(text !== undefined ? { text } : {}),
			...extra,
		});
		return seq;
	};
	// A turn is over when its execution finished: the model's last request comes after the send.
	let done = 0;
	const executionsDone = async (count) => {
		done += count;
		await waitFor(
			async () =>
				(await client.executions(wf.id)).filter(
					(e) => !['new', 'running', 'waiting'].includes(e.status),
				).length >= done,
			{ timeoutMs: 60_000, intervalMs: 250, what: `${done} finished executions` },
		);
	};
	const replyTo = async (channel, seq, what) =>
		await waitFor(
			async () =>
				(await sentAfter(seq)).find(
					(m) => m.channel_id === CH[channel] && m.recipient === CUSTOMER[channel],
				),
			{ timeoutMs: 60_000, intervalMs: 250, what },
		);

	const TOOLCALL =
		'an inbound message makes the agent call the Fiwano tool: the sandbox gets the send';
	await check(
		TOOLCALL,
		async () => {
			await sb('POST', '/_sandbox/model/script', {
				rules: [
					reply(`A1-${nonce}`, answers.a1),
					reply(`A2-${nonce}`, answers.a2),
					reply(`B1-${nonce}`, answers.b1),
					reply('[The customer sent a file of type image', answers.image),
					{
						match: `D1-${nonce}`,
						tool: { name: 'Delete_channel', arguments: {} },
						reply: 'I could not do that.',
					},
					{
						match: `T1-${nonce}`,
						// Send template is gated by the human-review tool, which wraps its arguments.
						tool: {
							name: 'Send_template',
							arguments: hasHitl
								? { toolParameters: templateArgs, hitlParameters: {} }
								: templateArgs,
						},
						reply: 'Sent the order update.',
					},
				],
			});
			const seq = await say('whatsapp', said.a1);
			const sent = await replyTo('whatsapp', seq, 'the agent’s reply on WhatsApp');
			await executionsDone(1);
			assert(
				sent.text === answers.a1,
				`sent ${JSON.stringify(sent.text)}, want ${JSON.stringify(answers.a1)}`,
			);
			const reqs = (await modelRequests()).filter((r) => r.userText.includes(`A1-${nonce}`));
			assert(reqs.length >= 2, `${reqs.length} model requests for the message`);
			const offered = reqs[0].offered.sort();
			assert(
				JSON.stringify(offered) ===
					JSON.stringify([
						'Delete_channel',
						'Get_sender_profile',
						'Reply_with_text',
						'Send_media',
						'Send_template',
					]),
				`tools offered to the model: ${offered.join(', ')}`,
			);
			const toolResult = reqs.at(-1).messages.find((m) => m.role === 'tool');
			assert(
				toolResult &&
					/message_id/.test(JSON.stringify(toolResult.content)) &&
					!/channel_id/.test(JSON.stringify(toolResult.content)),
				`tool result the model read: ${JSON.stringify(toolResult?.content)}`,
			);
			return `to ${sent.recipient} on ${sent.channel_id}: "${sent.text}"; the model read ${JSON.stringify(toolResult.content)}`;
		},
		{ needs: [ACT] },
	);

	await check(
		'two senders keep separate memories (the model never sees one sender’s history in the other’s turn)',
		async () => {
			const seqB = await say('instagram', said.b1);
			const sentB = await replyTo('instagram', seqB, 'the reply to sender B on Instagram');
			await executionsDone(1);
			assert(sentB.text === answers.b1, `B got ${JSON.stringify(sentB.text)}`);
			const seqA = await say('whatsapp', said.a2);
			const sentA = await replyTo('whatsapp', seqA, 'the second reply to sender A');
			await executionsDone(1);
			assert(sentA.text === answers.a2, `A got ${JSON.stringify(sentA.text)}`);
			const reqs = await modelRequests();
			const text = (r) => JSON.stringify(r.messages);
			const bTurn = reqs.filter((r) => r.userText.includes(`B1-${nonce}`));
			const aTurn2 = reqs.filter((r) => r.userText.includes(`A2-${nonce}`));
			assert(bTurn.length && aTurn2.length, 'no model requests for the turns');
			for (const r of bTurn)
				assert(
					!text(r).includes(`A1-${nonce}`) && !text(r).includes(answers.a1),
					'B’s request holds A’s history',
				);
			for (const r of aTurn2) {
				assert(
					text(r).includes(`A1-${nonce}`),
					'A’s second turn lacks A’s first message (no memory)',
				);
				assert(!text(r).includes(`B1-${nonce}`), 'A’s second turn holds B’s message');
			}
			const history = aTurn2[0].messages.filter((m) => m.role === 'user').length;
			return `A's 2nd turn: ${aTurn2[0].messages.length} messages (${history} from the user), B's: ${bTurn[0].messages.length}`;
		},
		{ needs: [TOOLCALL] },
	);

	await check(
		'an inbound image is described to the agent, which answers it',
		async () => {
			const seq = await say('whatsapp', undefined, {
				type: 'image',
				media: { mime_type: 'image/png', base64: 'iVBORw0KGgo=' },
			});
			const sent = await replyTo('whatsapp', seq, 'the reply to the image');
			await executionsDone(1);
			assert(sent.text === answers.image, `sent ${JSON.stringify(sent.text)}`);
			const req = (await modelRequests()).find((r) => r.userText.includes('file of type image'));
			assert(req, 'no model request describes the image');
			return `the model read: ${req.userText}`;
		},
		{ needs: [TOOLCALL] },
	);

	// On n8n 1.x the refused Channel → Delete stops its run (see that check); it may fail.
	let refusedExecutionId;

	/** The owner gets the human-review question; nothing reaches the customer until they approve. */
	const approveAsOwner = async (seq) => {
		const question = await waitFor(
			async () =>
				(await sentAfter(seq)).find(
					(m) => m.recipient === OWNER && /\/webhook-waiting\//.test(m.text ?? ''),
				),
			{ timeoutMs: 60_000, intervalMs: 250, what: 'the approval question to the owner' },
		);
		await sleep(quietMs);
		const early = (await sentAfter(seq)).filter((m) => m.recipient === CUSTOMER.whatsapp);
		assert(early.length === 0, `sent before approval: ${JSON.stringify(early)}`);
		const link = /https?:\/\/\S+\/webhook-waiting\/\S+/.exec(question.text)[0];
		const approved = await fetch(link, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'choice=approve',
			signal: AbortSignal.timeout(20_000),
		});
		assert(approved.status === 200, `approval POST → ${approved.status}`);
	};

	await check(
		hasHitl
			? 'the template tool waits for the owner’s approval (Fiwano human-review tool), then sends the template with the model’s JSON variables'
			: 'the template tool sends the WhatsApp template with the model’s JSON variables',
		async () => {
			const seq = await say('whatsapp', `T1-${nonce} where is my order?`);
			if (hasHitl) await approveAsOwner(seq);
			const sent = await replyTo('whatsapp', seq, 'the template message after approval');
			await executionsDone(1);
			assert(
				sent.kind === 'template' &&
					sent.template_name === 'order_update' &&
					sent.language === 'en_US',
				`sent ${JSON.stringify(sent)}`,
			);
			assert(
				JSON.stringify(sent.variables) === JSON.stringify(templateArgs.variables),
				`variables ${JSON.stringify(sent.variables)}`,
			);
			assert(sent.status !== 'failed', `the template send failed: ${sent.error}`);
			return `${sent.template_name} (${sent.language}) ${JSON.stringify(sent.variables)}`;
		},
		{ needs: [TOOLCALL] },
	);

	await check(
		'a tool node holding Channel → Delete is refused in the run: no DELETE reaches Fiwano, the model reads why',
		async () => {
			const logBefore = (await sb('GET', '/_sandbox/log')).length;
			await say('whatsapp', `D1-${nonce} please delete your channel`);
			await executionsDone(1);
			const deletes = (await sb('GET', '/_sandbox/log'))
				.slice(logBefore)
				.filter((e) => e.method === 'DELETE');
			assert(deletes.length === 0, `DELETE requests: ${JSON.stringify(deletes)}`);
			const state = await sb('GET', '/_sandbox/state');
			assert(
				state.channels.find((c) => c.id === CH.whatsapp)?.is_active === true,
				'the WhatsApp channel is no longer active',
			);
			const reqs = (await modelRequests()).filter((r) => r.userText.includes(`D1-${nonce}`));
			const messages = reqs.at(-1)?.messages ?? [];
			const turn = messages.slice(messages.findLastIndex((m) => m.role === 'user') + 1);
			const result = JSON.stringify(turn.find((m) => m.role === 'tool')?.content);
			if (/not available to AI agents/.test(result ?? '')) {
				return `no DELETE; the model read ${result.slice(0, 160)}`;
			}
			// n8n 1.x's agent does not hand a tool's error to the model: it stops the execution
			// with it. Nothing was deleted either way; the refusal must be what stopped it.
			assert(!hasHitl, `the model read ${result}`);
			const last = (await client.executions(wf.id)).find((e) => e.status === 'error');
			assert(last, 'no execution shows the refusal');
			const run = await waitDecodedExecution(client, last.id, stack.runtime.dir);
			const why = JSON.stringify(run);
			assert(/not available to AI agents/.test(why), `the run ended with ${why.slice(0, 300)}`);
			refusedExecutionId = last.id;
			return `no DELETE; n8n ${stack.n8nVersion}'s agent stopped the run with the refusal`;
		},
		{ needs: [TOOLCALL] },
	);

	await check(
		'an unsupported message gets the canned reply without a model call',
		async () => {
			const before = (await modelRequests()).length;
			const seq = await say('whatsapp', undefined, {
				type: 'unsupported',
				data: { unsupported_type: 'location' },
			});
			const sent = await replyTo('whatsapp', seq, 'the canned reply');
			await executionsDone(1);
			assert(
				/can't open that kind of message/.test(sent.text),
				`sent ${JSON.stringify(sent.text)}`,
			);
			await sleep(500);
			const after = (await modelRequests()).length;
			assert(after === before, `model requests ${before} → ${after}`);
			return `"${sent.text}"`;
		},
		{ needs: [ACT] },
	);

	await check(
		'a message.echo (the business’s own message) starts no execution and no reply',
		async () => {
			await sleep(500);
			const before = (await client.executions(wf.id)).length;
			const modelBefore = (await modelRequests()).length;
			const seq = await lastSeq();
			const r = await sb('POST', '/_sandbox/deliver', {
				channel_id: CH.whatsapp,
				event: {
					event: 'message.echo',
					channel_id: CH.whatsapp,
					channel_type: 'whatsapp',
					timestamp: new Date().toISOString(),
					data: {
						message_id: randomUUID(),
						recipient: CUSTOMER.whatsapp,
						status: 'sent',
						type: 'text',
						text: `A1-${nonce} sent by an operator`,
					},
				},
			});
			assert(r.status >= 200 && r.status < 300, `the trigger answered ${r.status}`);
			await sleep(quietMs);
			const after = (await client.executions(wf.id)).length;
			assert(after === before, `executions ${before} → ${after}`);
			assert((await modelRequests()).length === modelBefore, 'the model was called');
			assert((await sentAfter(seq)).length === 0, 'something was sent');
			return `trigger answered ${r.status}; executions stayed at ${after}`;
		},
		{ needs: [ACT] },
	);

	await check(
		'executions of the AI assistant succeeded, and the tool ran as the Fiwano Tool',
		async () => {
			const list = await client.executions(wf.id);
			const bad = list.filter((e) => e.status !== 'success' && e.id !== refusedExecutionId);
			assert(list.length >= 7, `${list.length} executions`);
			assert(
				bad.length === 0,
				`not successful: ${bad.map((e) => `${e.id}:${e.status}`).join(', ')}`,
			);
			const one = await waitDecodedExecution(client, list.at(-1).id, stack.runtime.dir);
			const tool = one.nodes['Reply with text'];
			assert(tool && !tool.error, `Reply with text: ${JSON.stringify(tool)}`);
			await client.deactivate(wf.id);
			return `${list.length} executions, all success`;
		},
		{ needs: [ACT] },
	);
}
