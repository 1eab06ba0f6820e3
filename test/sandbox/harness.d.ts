/** Types for harness.js (Node-only helpers for the sandbox tests). */
export interface SandboxProcess {
	url: string;
	port: number;
	pid: number;
	stderr(): string;
	close(): Promise<void>;
}
export interface ReceivedRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	raw: string;
}
export type Responder = (request: ReceivedRequest, count: number) => number | 'hang';
export interface Receiver {
	url: string;
	requests: ReceivedRequest[];
	setResponder(fn: Responder): void;
	close(): Promise<void>;
}
export function startSandboxProcess(args?: string[]): Promise<SandboxProcess>;
export function startReceiver(respond?: Responder): Promise<Receiver>;
export function delay(ms: number): Promise<void>;
export function waitFor<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	what?: string,
	timeoutMs?: number,
): Promise<T>;
export function signature(secret: string, raw: string): string;
