import type { IDataObject } from 'n8n-workflow';

/** Factories for the API shapes the manage operations read (channels, templates, redirects). */

export const WA_ID = 'a0a0a0a0a0a0a001';
export const IG_ID = 'b0b0b0b0b0b0b002';
export const FB_ID = 'c0c0c0c0c0c0c003';

export function subscription(overrides: IDataObject = {}): IDataObject {
	return {
		status: 'active',
		source: 'trial',
		tier: 'pro',
		expires_at: '2026-12-01T00:00:00',
		auto_renew: false,
		...overrides,
	};
}

export function waChannel(overrides: IDataObject = {}): IDataObject {
	return {
		id: WA_ID,
		channel_type: 'whatsapp',
		name: 'Sandbox WhatsApp',
		is_active: true,
		phone_number_id: '123456789',
		phone_number: '+15550000001',
		waba_id: '987654321',
		webhook_url: null,
		has_webhook_secret: false,
		webhook_events: [],
		echo_statuses: false,
		subscription: subscription(),
		...overrides,
	};
}

export function igChannel(overrides: IDataObject = {}): IDataObject {
	return {
		id: IG_ID,
		channel_type: 'instagram',
		name: 'sandbox_shop',
		is_active: true,
		ig_account_id: '17841400123456',
		ig_username: 'sandbox_shop',
		page_id: '100000000000002',
		webhook_url: null,
		has_webhook_secret: false,
		webhook_events: [],
		subscription: subscription(),
		...overrides,
	};
}

export function fbChannel(overrides: IDataObject = {}): IDataObject {
	return {
		id: FB_ID,
		channel_type: 'facebook',
		name: 'Sandbox Page',
		is_active: true,
		page_id: '100000000000003',
		webhook_url: null,
		has_webhook_secret: false,
		webhook_events: [],
		subscription: subscription(),
		...overrides,
	};
}

export function template(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'tpl_order_update',
		meta_template_id: '1200000000000001',
		name: 'order_update',
		language: 'en_US',
		category: 'UTILITY',
		status: 'APPROVED',
		parameter_format: 'positional',
		components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready.' }],
		...overrides,
	};
}

export function redirect(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'redir_1',
		uri_pattern: 'https://app.example.com/callback',
		created_at: '2026-10-01T10:00:00',
		...overrides,
	};
}

/** A v2 resource locator value in ID mode, as the editor saves it. */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

/** A v2 resource locator value picked from the list, as the editor saves it. */
export function fromList(value: string, cachedResultName = ''): IDataObject {
	return { __rl: true, mode: 'list', value, cachedResultName };
}
