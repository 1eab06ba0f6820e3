// Runs the Fiwano sandbox in its own process for the bench, so the bench process measures
// only n8n-core and the node (time and memory), as it would be against a remote API.
// Usage: node scripts/bench/sandbox-child.mjs '<startSandbox options as JSON>'
// Prints one line of JSON ({ url }) when listening; stops on SIGTERM or when stdin closes.
import { startSandbox } from '../../test/sandbox/server.mjs';

const sandbox = await startSandbox(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);

const stop = async () => {
	await sandbox.close();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
