import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { redirect } from '../channel/fixtures';

setupHttp();

describe('Redirect URI → Add', () => {
	it.each([1, 2])('typeVersion %i posts uri_pattern', async (typeVersion) => {
		const scope = fiwanoApi()
			.post('/api/v1/redirects', { uri_pattern: 'https://app.example.com/callback' })
			.reply(201, redirect());
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'add', uriPattern: 'https://app.example.com/callback' },
			{ typeVersion },
		);
		expect(items).toEqual([{ json: redirect(), pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		'https://*.example.com/callback',
		'https://app.example.com/cb?state=*',
		'https://app.example.com:4426/callback',
	])('accepts the documented pattern %s', async (uriPattern) => {
		const scope = fiwanoApi()
			.post('/api/v1/redirects', { uri_pattern: uriPattern })
			.reply(201, redirect({ uri_pattern: uriPattern }));
		const { error } = await runFiwano({ resource: 'redirect', operation: 'add', uriPattern });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['http://app.example.com/callback', /must start with https:\/\//],
		['app.example.com/callback', /must start with https:\/\//],
		['https://app.example.com/call back', /must not contain spaces/],
		['https://app.example.com/cb#done', /fragment/],
		['https://me:pw@app.example.com/cb', /user name or password/],
	])('refuses %s before any request, in both versions', async (uriPattern, why) => {
		const scope = fiwanoApi().post('/api/v1/redirects').reply(201, redirect());
		for (const typeVersion of [1, 2]) {
			const { error } = await runFiwano(
				{ resource: 'redirect', operation: 'add', uriPattern },
				{ typeVersion },
			);
			expect(error?.message).toMatch(why);
		}
		expect(scope.isDone()).toBe(false);
	});

	it('keeps Fiwano’s 422 detail under Continue On Fail', async () => {
		const scope = fiwanoApi()
			.post('/api/v1/redirects', { uri_pattern: 'https://localhost/cb' })
			.reply(422, {
				detail: [
					{
						loc: ['body', 'uri_pattern'],
						msg: 'Loopback hosts are not allowed',
						type: 'value_error',
					},
				],
			});
		const { items } = await runFiwano(
			{ resource: 'redirect', operation: 'add', uriPattern: 'https://localhost/cb' },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 422: body.uri_pattern: Loopback hosts are not allowed',
					status: 422,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
