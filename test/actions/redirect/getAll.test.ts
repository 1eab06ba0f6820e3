import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { redirect } from '../channel/fixtures';

setupHttp();

const list = () => ({
	redirects: [
		redirect(),
		redirect({ id: 'redir_2', uri_pattern: 'https://*.example.com/cb' }),
		redirect({ id: 'redir_3', uri_pattern: 'https://app.example.com/cb?state=*' }),
	],
});

describe('Redirect URI → Get Many', () => {
	it('v2 returns one item per redirect URI with Return All', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').reply(200, list());
		const { items } = await runFiwano({
			resource: 'redirect',
			operation: 'getAll',
			returnAll: true,
		});
		expect(items).toEqual(list().redirects.map((json) => ({ json, pairedItem: { item: 0 } })));
		expect(scope.isDone()).toBe(true);
	});

	it('v2 applies Limit', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').reply(200, list());
		const { items } = await runFiwano({ resource: 'redirect', operation: 'getAll', limit: 2 });
		expect(items.map((i) => i.json.id)).toEqual(['redir_1', 'redir_2']);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the same request and keeps the single item holding redirects', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').reply(200, list());
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'getAll' },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: list(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('Continue On Fail keeps the status of a failed list', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').reply(403, { detail: 'Not allowed' });
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'getAll' },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ error: 'Fiwano 403: Not allowed', status: 403 }),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
