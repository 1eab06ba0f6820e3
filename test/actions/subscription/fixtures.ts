import type { IDataObject } from 'n8n-workflow';

/** `GET /subscriptions` as subscriptions.md and openapi.yaml show it. */

export const TRIAL = 'a1b2c3d4e5f67890';
export const PADDLE = 'b2c3d4e5f6789012';
export const EXPIRED = 'c3d4e5f678901234';

export function subscriptionOut(overrides: IDataObject = {}): IDataObject {
	return {
		id: TRIAL,
		status: 'active',
		source: 'trial',
		tier: 'pro',
		starts_at: '2026-10-01T10:00:00',
		expires_at: '2026-10-08T10:00:00',
		auto_renew: false,
		assigned_channels: {
			whatsapp: {
				channel_id: '1111222233334444',
				channel_type: 'whatsapp',
				name: 'Acme Support',
				is_active: false,
			},
			instagram: null,
			facebook: null,
		},
		...overrides,
	};
}

export function subscriptionList(): IDataObject {
	return {
		subscriptions: [
			subscriptionOut(),
			subscriptionOut({
				id: PADDLE,
				source: 'paddle',
				tier: 'starter',
				expires_at: '2026-11-01T00:00:00',
				auto_renew: true,
				assigned_channels: {
					whatsapp: {
						channel_id: '5555666677778888',
						channel_type: 'whatsapp',
						name: 'Acme Sales',
						is_active: true,
					},
					instagram: {
						channel_id: '9999000011112222',
						channel_type: 'instagram',
						name: 'acme.shop',
						is_active: true,
					},
					facebook: null,
				},
			}),
			subscriptionOut({
				id: EXPIRED,
				status: 'expired',
				source: 'paddle',
				expires_at: '2026-09-01T00:00:00',
				assigned_channels: { whatsapp: null, instagram: null, facebook: null },
			}),
		],
		total: 3,
		active_total: 2,
		available_slots: {
			whatsapp: { total: 0, starter: 0, pro: 0 },
			instagram: { total: 1, starter: 0, pro: 1 },
			facebook: { total: 2, starter: 1, pro: 1 },
		},
	};
}
