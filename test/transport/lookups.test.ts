import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import { channelTypeOf, listTemplates } from '../../nodes/Fiwano/transport/lookups';
import { fiwanoApi, loadOptionsContext, setupHttp } from '../helpers/harness';

setupHttp();

/** n8n-core's context as the node's execute context: the one thing the cache is keyed on. */
const run = () => loadOptionsContext({}) as unknown as IExecuteFunctions;

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the lookup to fail');
}

describe('listTemplates', () => {
	it('asks for one channel’s templates with the filters given', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c%2F1/templates')
			.query({ status: 'APPROVED', sync: 'false' })
			.reply(200, { templates: [{ id: 't1' }] });
		await expect(
			listTemplates(run(), 'c/1', { status: 'APPROVED', sync: 'false' }),
		).resolves.toEqual({ templates: [{ id: 't1' }] });
		expect(scope.isDone()).toBe(true);
	});

	it('carries the item index into an error', async () => {
		const scope = fiwanoApi().get('/api/v1/channels/c1/templates').reply(404, { detail: 'No' });
		const error = await failure(listTemplates(run(), 'c1', undefined, 3));
		expect(error.message).toBe('Fiwano 404: No');
		expect(error.context.itemIndex).toBe(3);
		expect(scope.isDone()).toBe(true);
	});
});

describe('channelTypeOf', () => {
	it('asks Fiwano once per channel and run, however many items ask', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c%2F1')
			.once()
			.reply(200, { id: 'c/1', channel_type: 'instagram' })
			.get('/api/v1/channels/c2')
			.once()
			.reply(200, { id: 'c2', channel_type: 'whatsapp' });
		const ctx = run();
		const answers = await Promise.all([
			channelTypeOf.call(ctx, 'c/1', 0),
			channelTypeOf.call(ctx, 'c/1', 1),
			channelTypeOf.call(ctx, 'c2', 2),
		]);
		expect(answers).toEqual(['instagram', 'instagram', 'whatsapp']);
		await expect(channelTypeOf.call(ctx, 'c/1', 3)).resolves.toBe('instagram');
		expect(scope.isDone()).toBe(true);
	});

	it('asks again in the next run', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c1')
			.twice()
			.reply(200, { id: 'c1', channel_type: 'facebook' });
		await expect(channelTypeOf.call(run(), 'c1', 0)).resolves.toBe('facebook');
		await expect(channelTypeOf.call(run(), 'c1', 0)).resolves.toBe('facebook');
		expect(scope.isDone()).toBe(true);
	});

	it('fails with the item index when Fiwano names no known type', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c1')
			.reply(200, { id: 'c1', channel_type: 'sms' });
		const error = await failure(channelTypeOf.call(run(), 'c1', 2));
		expect(error.message).toBe('Fiwano did not say which type channel c1 is');
		expect(error.description).toBe('Set the channel type in the node options to skip the lookup.');
		expect(error.context.itemIndex).toBe(2);
		expect(scope.isDone()).toBe(true);
	});

	it('does not keep a failed lookup: a later item of the same run asks again', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels/c1')
			.reply(404, { detail: 'Channel not found' })
			.get('/api/v1/channels/c1')
			.reply(200, { id: 'c1', channel_type: 'whatsapp' });
		const ctx = run();
		const error = await failure(channelTypeOf.call(ctx, 'c1', 5));
		expect(error.message).toBe('Fiwano 404: Channel not found');
		expect(error.context.itemIndex).toBe(5);
		await expect(channelTypeOf.call(ctx, 'c1', 6)).resolves.toBe('whatsapp');
		expect(scope.isDone()).toBe(true);
	});
});
