import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, WA_ID } from './fixtures';

setupHttp();

describe('Channel → Delete', () => {
	it('v2 deactivates the channel and says so in the output', async () => {
		const scope = fiwanoApi().delete(`/api/v1/channels/${WA_ID}`).reply(200, { success: true });
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'delete',
			channelId: byId(WA_ID),
		});
		expect(items).toEqual([
			{ json: { success: true, channel_id: WA_ID, deactivated: true }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v2 gives JSON even when Fiwano answers with an empty body', async () => {
		const scope = fiwanoApi().delete(`/api/v1/channels/${WA_ID}`).reply(200, '');
		const { items } = await runFiwano({
			resource: 'channel',
			operation: 'delete',
			channelId: byId(WA_ID),
		});
		expect(items[0].json).toEqual({ channel_id: WA_ID, deactivated: true });
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the same DELETE and outputs the API answer unchanged', async () => {
		const scope = fiwanoApi().delete(`/api/v1/channels/${WA_ID}`).reply(200, { success: true });
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'delete', channelId: WA_ID },
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: { success: true }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('a 404 becomes an error item with status and detail under Continue On Fail', async () => {
		const scope = fiwanoApi()
			.delete(`/api/v1/channels/${WA_ID}`)
			.reply(404, { detail: 'Channel not found' });
		const { items } = await runFiwano(
			{ resource: 'channel', operation: 'delete', channelId: byId(WA_ID) },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 404: Channel not found',
					status: 404,
					detail: 'Channel not found',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
