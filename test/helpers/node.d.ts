/** The parts of Node's http request and response the tests use. */
export interface TestRequest {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	socket: { destroy(): void };
}
export interface TestResponse {
	statusCode: number;
	setHeader(name: string, value: string | number): void;
	end(body?: string): void;
}

export const repoRoot: string;
export const TEST_BASE_URL: string;
export const TEST_CREDENTIAL_KEY: string;
export function delay(ms: number): Promise<void>;
export function later(ms: number, fn: () => void): void;
export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}
export interface LocalServer {
	server: unknown;
	port: number;
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}
export function startHttpServer(
	handler: (req: TestRequest, res: TestResponse, body: string) => void,
	port?: number,
): Promise<LocalServer>;
export function packedFiles(): string[];
export function readRepoFile(relativePath: string): string;
export function repoFileExists(relativePath: string): boolean;
