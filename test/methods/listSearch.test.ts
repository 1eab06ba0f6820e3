import type { IDataObject } from 'n8n-workflow';

import {
	searchApprovedTemplates,
	searchChannels,
	searchTemplates,
} from '../../nodes/Fiwano/methods/listSearch';
import { fiwanoApi, loadOptionsContext, setupHttp } from '../helpers/harness';

setupHttp();

const WA_ID = 'a0a0a0a0a0a0a001';

function template(
	name: string,
	language: string,
	status: string,
	id = `tpl_${name}_${language}`,
): IDataObject {
	return {
		id,
		meta_template_id: `m_${id}`,
		name,
		language,
		status,
		category: 'UTILITY',
		components: [],
	};
}

const TEMPLATES = [
	template('welcome_named', 'en_US', 'APPROVED'),
	template('order_update', 'es', 'APPROVED'),
	template('order_update', 'en_US', 'APPROVED'),
	template('promo_pending', 'en_US', 'PENDING'),
];

const sendTemplateParams = {
	resource: 'message',
	operation: 'sendTemplate',
	channelId: { __rl: true, mode: 'list', value: WA_ID },
};

describe('searchApprovedTemplates (Send Template picker)', () => {
	it('lists the channel’s approved templates (synced with Meta on opening) as "name (language)", value name|language', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates`)
			.query({ sync: 'true', status: 'APPROVED' })
			.reply(200, { templates: TEMPLATES, total: 4 });
		const result = await searchApprovedTemplates.call(loadOptionsContext(sendTemplateParams));
		expect(result).toEqual({
			results: [
				{ name: 'order_update (en_US)', value: 'order_update|en_US' },
				{ name: 'order_update (es)', value: 'order_update|es' },
				{ name: 'welcome_named (en_US)', value: 'welcome_named|en_US' },
			],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('filters by name or language as the user types, from Fiwano’s cached copy', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates`)
			.query({ sync: 'false', status: 'APPROVED' })
			.reply(200, { templates: TEMPLATES });
		const result = await searchApprovedTemplates.call(loadOptionsContext(sendTemplateParams), 'ES');
		expect(result.results).toEqual([{ name: 'order_update (es)', value: 'order_update|es' }]);
		expect(scope.isDone()).toBe(true);
	});

	it('asks nothing while no channel is chosen', async () => {
		const scope = fiwanoApi().get(/.*/).reply(200, { templates: TEMPLATES });
		const result = await searchApprovedTemplates.call(
			loadOptionsContext({
				...sendTemplateParams,
				channelId: { __rl: true, mode: 'list', value: '' },
			}),
		);
		expect(result).toEqual({ results: [] });
		expect(scope.isDone()).toBe(false);
	});
});

describe('searchTemplates', () => {
	it('lists every template with its status, value = template ID', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/channels/${WA_ID}/templates`)
			.query({ sync: 'false' })
			.reply(200, { templates: [TEMPLATES[3]] });
		const result = await searchTemplates.call(
			loadOptionsContext({ resource: 'template', operation: 'get', channelId: WA_ID }),
		);
		expect(result.results).toEqual([
			{ name: 'promo_pending (en_US) · PENDING', value: 'tpl_promo_pending_en_US' },
		]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('searchChannels', () => {
	it('lists channels with name, type and number or username, active first, then by name', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.reply(200, {
				channels: [
					{
						id: 'c0c0c0c0c0c0c003',
						channel_type: 'facebook',
						name: 'Sandbox Page',
						is_active: false,
						page_id: '100000000000003',
					},
					{
						id: WA_ID,
						channel_type: 'whatsapp',
						name: 'Sandbox WhatsApp',
						is_active: true,
						phone_number: '+15550000001',
					},
					{
						id: 'b0b0b0b0b0b0b002',
						channel_type: 'instagram',
						name: 'sandbox_shop',
						is_active: true,
						ig_username: 'sandbox_shop',
					},
				],
				total: 3,
			});
		const result = await searchChannels.call(loadOptionsContext(sendTemplateParams));
		expect(result.results).toEqual([
			{ name: 'Sandbox WhatsApp — WhatsApp +15550000001', value: WA_ID },
			{ name: 'sandbox_shop — Instagram @sandbox_shop', value: 'b0b0b0b0b0b0b002' },
			{ name: 'Sandbox Page — Messenger 100000000000003 (inactive)', value: 'c0c0c0c0c0c0c003' },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('searches by any filled-in field, skipping the ones the API sends as null', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/channels')
			.reply(200, {
				channels: [
					{
						id: WA_ID,
						channel_type: 'whatsapp',
						name: 'Sandbox WhatsApp',
						is_active: true,
						phone_number: '+15550000001',
						ig_username: null,
						page_id: null,
					},
					{
						id: 'b0b0b0b0b0b0b002',
						channel_type: 'instagram',
						name: 'sandbox_shop',
						is_active: true,
						ig_username: 'sandbox_shop',
						phone_number: null,
					},
				],
			});
		const result = await searchChannels.call(loadOptionsContext(sendTemplateParams), 'SHOP');
		expect(result.results).toEqual([
			{ name: 'sandbox_shop — Instagram @sandbox_shop', value: 'b0b0b0b0b0b0b002' },
		]);
		expect(scope.isDone()).toBe(true);
	});
});
