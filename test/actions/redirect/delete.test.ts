import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, fromList } from '../channel/fixtures';

setupHttp();

describe('Redirect URI → Delete', () => {
	it('v2 deletes the redirect URI picked from the list and says so', async () => {
		const scope = fiwanoApi().delete('/api/v1/redirects/redir_1').reply(200, { success: true });
		const { items } = await runFiwano({
			resource: 'redirect',
			operation: 'delete',
			redirectId: fromList('redir_1', 'https://app.example.com/callback'),
		});
		expect(items).toEqual([
			{ json: { success: true, redirect_id: 'redir_1', deleted: true }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 takes an ID per input item', async () => {
		const scope = fiwanoApi()
			.delete('/api/v1/redirects/redir_1')
			.reply(200, {})
			.delete('/api/v1/redirects/redir_2')
			.reply(200, {});
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'delete', redirectId: byId('={{ $json.id }}') },
			{ input: [{ id: 'redir_1' }, { id: 'redir_2' }] },
		);
		expect(items.map((i) => [i.json.redirect_id, i.pairedItem])).toEqual([
			['redir_1', { item: 0 }],
			['redir_2', { item: 1 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the same DELETE from the 1.x string and outputs the answer unchanged', async () => {
		const scope = fiwanoApi()
			.delete('/api/v1/redirects/redir_abc123')
			.reply(200, { success: true });
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'delete', redirectId: 'redir_abc123' },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: { success: true }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('an empty ID fails before any request', async () => {
		const scope = fiwanoApi().delete(/.*/).reply(200, {});
		const { error } = await runFiwano(
			{ resource: 'redirect', operation: 'delete', redirectId: byId('={{ $json.id }}') },
			{ input: [{ id: '' }] },
		);
		expect(error?.message).toBe('Redirect ID is empty');
		expect(scope.isDone()).toBe(false);
	});

	it('keeps a 404 under Continue On Fail', async () => {
		const scope = fiwanoApi()
			.delete('/api/v1/redirects/nope')
			.reply(404, { detail: 'Redirect not found' });
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'delete', redirectId: byId('nope') },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 404: Redirect not found',
					status: 404,
					detail: 'Redirect not found',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
