import { searchRedirects } from '../../../nodes/Fiwano/methods/listSearchManage';
import { fiwanoApi, loadOptionsContext, setupHttp } from '../../helpers/harness';
import { redirect } from '../channel/fixtures';

setupHttp();

describe('searchRedirects (Redirect URI → Delete picker)', () => {
	const list = {
		redirects: [redirect(), redirect({ id: 'redir_2', uri_pattern: 'https://*.shop.example/cb' })],
	};

	it('lists every redirect URI by pattern, value = ID', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').reply(200, list);
		const ctx = loadOptionsContext({ resource: 'redirect', operation: 'delete' });
		await expect(searchRedirects.call(ctx)).resolves.toEqual({
			results: [
				{ name: 'https://app.example.com/callback', value: 'redir_1' },
				{ name: 'https://*.shop.example/cb', value: 'redir_2' },
			],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('filters by pattern or ID, ignoring case', async () => {
		const scope = fiwanoApi().get('/api/v1/redirects').times(2).reply(200, list);
		const ctx = loadOptionsContext({ resource: 'redirect', operation: 'delete' });
		expect((await searchRedirects.call(ctx, 'SHOP')).results).toEqual([
			{ name: 'https://*.shop.example/cb', value: 'redir_2' },
		]);
		expect((await searchRedirects.call(ctx, 'redir_1')).results).toEqual([
			{ name: 'https://app.example.com/callback', value: 'redir_1' },
		]);
		expect(scope.isDone()).toBe(true);
	});
});
