import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';
import { byId, FB_ID, IG_ID, WA_ID } from '../channel/fixtures';

setupHttp();

const igProfile = {
	channel_id: IG_ID,
	channel_type: 'instagram',
	user_id: '6543217890123456',
	profile: {
		username: 'alex.ig',
		name: 'Alex Insta',
		profile_pic: 'https://cdn.example/p.jpg',
		follower_count: 15,
		is_verified_user: false,
	},
	cached: false,
};
const fbProfile = {
	channel_id: FB_ID,
	channel_type: 'facebook',
	user_id: '7890123456789012',
	profile: { first_name: 'Alex', last_name: 'Messenger', profile_pic: 'https://cdn.example/f.jpg' },
	cached: true,
};

describe('Contact → Get Profile', () => {
	it('v2 fetches Instagram and Messenger profiles, one per input item, paired', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${IG_ID}/profile/6543217890123456`)
			.reply(200, igProfile)
			.get(`/api/v1/channels/${FB_ID}/profile/7890123456789012`)
			.reply(200, fbProfile);
		const { items } = await runFiwano(
			{
				resource: 'contact',
				operation: 'getProfile',
				channelId: byId('={{ $json.channel_id }}'),
				userId: '={{ $json.data.from }}',
			},
			{
				input: [
					{ channel_id: IG_ID, data: { from: '6543217890123456' } },
					{ channel_id: FB_ID, data: { from: ' 7890123456789012 ' } },
				],
			},
		);
		expect(items).toEqual([
			{ json: igProfile, pairedItem: { item: 0 } },
			{ json: fbProfile, pairedItem: { item: 1 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('v1 sends the same request from the 1.x parameters', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${IG_ID}/profile/6543217890123456`)
			.reply(200, igProfile);
		const { items } = await runFiwano(
			{
				resource: 'contact',
				operation: 'getProfile',
				channelId: IG_ID,
				userId: '6543217890123456',
			},
			{ typeVersion: 1 },
		);
		expect(items).toEqual([{ json: igProfile, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('passes a null profile through (private account)', async () => {
		const none = { ...igProfile, profile: null };
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${IG_ID}/profile/6543217890123456`)
			.reply(200, none);
		const { items } = await runFiwano({
			resource: 'contact',
			operation: 'getProfile',
			channelId: byId(IG_ID),
			userId: '6543217890123456',
		});
		expect(items[0].json).toEqual(none);
		expect(scope.isDone()).toBe(true);
	});

	it.each([['alex.ig'], ['+1 555 123']])(
		'v2 refuses the non-numeric user ID %s before any request',
		async (userId) => {
			const scope = fiwanoApi().get(/.*/).reply(200, igProfile);
			const { error } = await runFiwano({
				resource: 'contact',
				operation: 'getProfile',
				channelId: byId(IG_ID),
				userId,
			});
			expect(error?.message).toMatch(/numeric IGSID or PSID/);
			expect(scope.isDone()).toBe(false);
		},
	);

	it('an empty user ID fails before any request', async () => {
		const scope = fiwanoApi().get(/.*/).reply(200, igProfile);
		const { error } = await runFiwano(
			{
				resource: 'contact',
				operation: 'getProfile',
				channelId: byId(IG_ID),
				userId: '={{ $json.from }}',
			},
			{ input: [{ from: '' }] },
		);
		expect(error?.message).toBe('User ID is empty');
		expect(scope.isDone()).toBe(false);
	});

	it('a WhatsApp channel keeps Fiwano’s 404 detail; Continue On Fail gives an error item', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/profile/15551234567`)
			.reply(404, { detail: 'Profile lookup is not supported for WhatsApp channels' });
		const { items } = await runFiwano(
			{
				resource: 'contact',
				operation: 'getProfile',
				channelId: byId(WA_ID),
				userId: '15551234567',
			},
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 404: Profile lookup is not supported for WhatsApp channels',
					status: 404,
					detail: 'Profile lookup is not supported for WhatsApp channels',
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});
