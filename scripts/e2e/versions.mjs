// e2e checks about the n8n version under test (`npm run test:e2e -- --n8n=<version>`): what
// differs between n8n 1.x and 2.x in how n8n takes in a community package.
import { ACTION_TYPE } from '../lib/stack.mjs';

/**
 * n8n builds the AI-agent tool variant of a node marked `usableAsTool` itself when it loads
 * the package (LoadNodesAndCredentials.createAiTools, in 1.123 and 2.41 alike): the tool must be
 * listed with both typeVersions, with the Tool suffix and an ai_tool output.
 */
export async function versionChecks({ check, assert, stack, needs = [] }) {
	await check(
		'Fiwano is offered to AI agents as a tool (fiwanoTool, versions 1 and 2, ai_tool output)',
		async () => {
			const nodes = await stack.client.typesJson('nodes');
			const tool = nodes.filter((n) => n.name === `${ACTION_TYPE}Tool`);
			assert(tool.length > 0, `${ACTION_TYPE}Tool is not in /types/nodes.json`);
			const versions = tool.flatMap((n) => [n.version].flat());
			assert(
				versions.includes(1) && versions.includes(2),
				`tool versions ${JSON.stringify(versions)} (want 1 and 2)`,
			);
			for (const t of tool) {
				assert(/Tool$/.test(t.displayName), `tool displayName ${t.displayName}`);
				assert(
					JSON.stringify(t.outputs).includes('ai_tool'),
					`tool outputs ${JSON.stringify(t.outputs)}`,
				);
			}
			return `${tool[0].displayName}, versions ${versions.join(',')} on n8n ${stack.n8nVersion}`;
		},
		{ needs },
	);
}
