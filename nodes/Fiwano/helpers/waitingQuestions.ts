import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { PROCESS_ID } from './processId';

/**
 * Questions that wait for a reply in the chat (Send and Wait with Accept Reply in Chat), as the
 * Fiwano Trigger that receives the channel knows them: which chat (channel + person) and which
 * message the reply may quote, and the signed resume link of the waiting execution.
 *
 * The Fiwano node announces each question to the trigger with a signed control message; the
 * trigger keeps it the way it keeps delivery keys (dedupe.ts): this process's memory decides,
 * and the node's static data carries the questions across restarts and to other n8n processes.
 * Every write holds everything this process knows; answered questions are kept as "done" marks
 * until they expire, so a copy loaded before the answer cannot bring them back.
 */

/** Where the questions live in the trigger node's static data. */
export const WAITING_FIELD = 'waiting';

/** A reply route is kept at most this long, also for questions that wait without a limit. */
export const MAX_REPLY_ROUTE_MS = 30 * 24 * 3_600_000;

/** Most questions (and done marks) kept per trigger; the oldest go first. */
export const MAX_QUESTIONS = 5000;

export type ReplyMatch = 'quoted' | 'nextMessage';

export interface WaitingQuestion {
	channelId: string;
	recipient: string;
	messageId: string;
	resumeUrl: string;
	match: ReplyMatch;
	/** Epoch ms after which the route is gone (the wait's limit, at most 30 days). */
	expiresAt: number;
	/** Epoch ms the trigger learnt of it; the newest question wins a "next message" reply. */
	askedAt: number;
}

type StoredQuestion = [string, string, string, string, 'q' | 'n', number, number];

interface StoredQuestions {
	v: 1;
	/** id → question */
	q: Record<string, StoredQuestion>;
	/** id → expiry of an answered question */
	d: Record<string, number>;
	/** process → [changes it made, epoch ms of its last write] */
	w: Record<string, [number, number]>;
}

interface ProcessMemory {
	questions: Map<string, WaitingQuestion>;
	done: Map<string, number>;
	changes: number;
}

const memories = new Map<string, ProcessMemory>();

function memoryFor(scope: string): ProcessMemory {
	let memory = memories.get(scope);
	if (!memory) {
		memory = { questions: new Map(), done: new Map(), changes: 0 };
		memories.set(scope, memory);
	}
	return memory;
}

/** Forgets what this process knew, as a restart of n8n does. */
export function forgetWaitingQuestions(): void {
	memories.clear();
}

/** One question's id: the same link and message always give the same id, in every process. */
export function questionId(resumeUrl: string, messageId: string): string {
	return createHash('sha256').update(`${resumeUrl}\n${messageId}`).digest('base64url').slice(0, 16);
}

function fromStored(stored: unknown): WaitingQuestion | undefined {
	if (!Array.isArray(stored) || stored.length < 7) return undefined;
	const [channelId, recipient, messageId, resumeUrl, match, expiresAt, askedAt] =
		stored as unknown[];
	if (
		typeof channelId !== 'string' ||
		typeof recipient !== 'string' ||
		typeof messageId !== 'string' ||
		typeof resumeUrl !== 'string' ||
		typeof expiresAt !== 'number' ||
		typeof askedAt !== 'number'
	)
		return undefined;
	return {
		channelId,
		recipient,
		messageId,
		resumeUrl,
		match: match === 'n' ? 'nextMessage' : 'quoted',
		expiresAt,
		askedAt,
	};
}

function toStored(q: WaitingQuestion): StoredQuestion {
	return [
		q.channelId,
		q.recipient,
		q.messageId,
		q.resumeUrl,
		q.match === 'nextMessage' ? 'n' : 'q',
		q.expiresAt,
		q.askedAt,
	];
}

function prune(memory: ProcessMemory, nowMs: number): void {
	for (const [id, q] of memory.questions) if (q.expiresAt <= nowMs) memory.questions.delete(id);
	for (const [id, expiresAt] of memory.done) if (expiresAt <= nowMs) memory.done.delete(id);
	trimOldest(memory.questions, (q) => q.askedAt);
	trimOldest(memory.done, (expiresAt) => expiresAt);
}

function trimOldest<T>(map: Map<string, T>, age: (value: T) => number): void {
	if (map.size <= MAX_QUESTIONS) return;
	const oldestFirst = [...map.entries()].sort((a, b) => age(a[1]) - age(b[1]));
	for (const [id] of oldestFirst.slice(0, map.size - MAX_QUESTIONS)) map.delete(id);
}

/** Adds what the loaded static data knows; done marks win over questions. */
function merge(memory: ProcessMemory, stored: unknown, nowMs: number): void {
	if (!stored || typeof stored !== 'object') return;
	const { q, d } = stored as Partial<StoredQuestions>;
	if (d && typeof d === 'object') {
		for (const [id, expiresAt] of Object.entries(d)) {
			if (typeof expiresAt === 'number' && expiresAt > nowMs) {
				memory.done.set(id, expiresAt);
				memory.questions.delete(id);
			}
		}
	}
	if (q && typeof q === 'object') {
		for (const [id, raw] of Object.entries(q)) {
			if (memory.questions.has(id) || memory.done.has(id)) continue;
			const question = fromStored(raw);
			if (question && question.expiresAt > nowMs) memory.questions.set(id, question);
		}
	}
}

function storedCopyIsBehind(memory: ProcessMemory, stored: unknown): boolean {
	if (memory.changes === 0) return false;
	const mark = (stored as Partial<StoredQuestions> | undefined)?.w?.[PROCESS_ID];
	return !Array.isArray(mark) || mark[0] !== memory.changes;
}

function write(staticData: IDataObject, memory: ProcessMemory, nowMs: number): void {
	const stored = staticData[WAITING_FIELD] as Partial<StoredQuestions> | undefined;
	const q: Record<string, StoredQuestion> = {};
	for (const [id, question] of memory.questions) q[id] = toStored(question);
	const d: Record<string, number> = {};
	for (const [id, expiresAt] of memory.done) d[id] = expiresAt;
	const w: Record<string, [number, number]> = {};
	for (const [id, mark] of Object.entries(stored?.w ?? {})) {
		// A process that wrote nothing for the longest route's lifetime is gone.
		if (Array.isArray(mark) && typeof mark[1] === 'number' && mark[1] > nowMs - MAX_REPLY_ROUTE_MS)
			w[id] = mark;
	}
	w[PROCESS_ID] = [memory.changes, nowMs];
	const next: StoredQuestions = { v: 1, q, d, w };
	staticData[WAITING_FIELD] = next;
}

/**
 * Brings this process's memory up to date with the loaded static data, and writes the stored
 * copy back when it should change: `dirty` (the request changed something else in the static
 * data, which n8n then saves whole), or another writer saved over this process's changes.
 */
export function syncWaitingQuestions(
	staticData: IDataObject,
	scope: string,
	nowMs: number,
	dirty = false,
): void {
	const stored = staticData[WAITING_FIELD];
	if (stored === undefined && !memories.has(scope)) return;
	const memory = memoryFor(scope);
	prune(memory, nowMs);
	merge(memory, stored, nowMs);
	if (dirty || storedCopyIsBehind(memory, stored)) write(staticData, memory, nowMs);
}

/**
 * The memory a question is kept under: the path of the trigger's production webhook URL, which
 * both the trigger (its own URL) and the Fiwano node (the channel's `webhook_url`) know.
 */
export function questionScope(webhookUrl: string): string | undefined {
	try {
		return `route|${new URL(webhookUrl).pathname.replace(/\/+$/, '')}`;
	} catch {
		return undefined;
	}
}

/**
 * Records a question and returns its id. Without static data (the Fiwano node, in the process
 * that asked) only this process's memory learns it: in regular mode that is the process whose
 * trigger receives the reply, and the trigger's next write stores it.
 */
export function rememberQuestion(
	staticData: IDataObject | undefined,
	scope: string,
	question: Omit<WaitingQuestion, 'askedAt'>,
	nowMs: number,
): string {
	const memory = memoryFor(scope);
	prune(memory, nowMs);
	merge(memory, staticData?.[WAITING_FIELD], nowMs);
	const id = questionId(question.resumeUrl, question.messageId);
	if (!memory.done.has(id)) {
		memory.questions.set(id, {
			...question,
			expiresAt: Math.min(question.expiresAt, nowMs + MAX_REPLY_ROUTE_MS),
			askedAt: nowMs,
		});
		memory.changes += 1;
	}
	if (staticData) write(staticData, memory, nowMs);
	return id;
}

/** Marks a question as answered (or gone), so no later reply is routed to it. */
export function forgetQuestion(
	staticData: IDataObject,
	scope: string,
	id: string,
	nowMs: number,
): void {
	const memory = memoryFor(scope);
	const question = memory.questions.get(id);
	memory.questions.delete(id);
	memory.done.set(id, question?.expiresAt ?? nowMs + MAX_REPLY_ROUTE_MS);
	memory.changes += 1;
	write(staticData, memory, nowMs);
}

export interface IncomingReply {
	channelId: string;
	from: string;
	/** `data.reply_to.message_id`: the message the reply quotes, if any. */
	quotedId?: string;
}

/**
 * The question a message answers, if any: a reply that quotes a waiting question of the same
 * person on the same channel, else (for questions that take the next message) the newest
 * question waiting for this person on this channel. Never a question for another person or
 * channel. Call {@link syncWaitingQuestions} first, so the loaded static data is merged.
 */
export function questionFor(
	scope: string,
	reply: IncomingReply,
	nowMs: number,
): { id: string; question: WaitingQuestion } | undefined {
	const memory = memories.get(scope);
	if (!memory) return undefined;
	let newest: { id: string; question: WaitingQuestion } | undefined;
	for (const [id, question] of memory.questions) {
		if (question.expiresAt <= nowMs) continue;
		if (question.channelId !== reply.channelId || question.recipient !== reply.from) continue;
		if (reply.quotedId !== undefined && question.messageId === reply.quotedId)
			return { id, question };
		if (question.match === 'nextMessage' && (!newest || question.askedAt > newest.question.askedAt))
			newest = { id, question };
	}
	return newest;
}
