import { createHash, createHmac, randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import type nock from 'nock';

import { API_KEY, fiwanoApi } from '../helpers/harness';
import type { SavedWorkflow } from '../helpers/trigger';
import { PRODUCTION_URL, TRIGGER_NODE_ID, WORKFLOW_ID } from '../helpers/trigger';

/**
 * The channel side of Fiwano as webhooks.md and channels.md describe it, so a test can follow
 * a channel through activation, a test listen and deactivation, and sign deliveries with the
 * secret the channel really has:
 * - GET never shows the secret, only `has_webhook_secret`;
 * - PATCH changes only the fields it carries (null = unchanged), `webhook_url: ''` clears;
 * - setting a URL on a channel with no secret generates one; a secret is returned only by the
 *   request that sets it;
 * - events a channel type does not have are dropped.
 * Every request is still pinned with nock (method, path, exact body, API key).
 */

export interface FakeChannel {
	id: string;
	channel_type: 'whatsapp' | 'instagram' | 'facebook';
	name: string;
	is_active: boolean;
	webhook_url: string | null;
	webhook_events: string[];
	secret: string | null;
}

const TYPE_EVENTS: Record<FakeChannel['channel_type'], string[]> = {
	whatsapp: [
		'message.received',
		'message.sent',
		'message.delivered',
		'message.read',
		'message.failed',
		'message.echo',
	],
	instagram: [
		'message.received',
		'message.delivered',
		'message.read',
		'message.failed',
		'message.echo',
		'conversation.referral',
	],
	facebook: [
		'message.received',
		'message.delivered',
		'message.read',
		'message.failed',
		'message.echo',
		'conversation.referral',
	],
};

export class FakeFiwano {
	channels = new Map<string, FakeChannel>();

	add(channel: Partial<FakeChannel> & { id: string }): FakeChannel {
		const full: FakeChannel = {
			channel_type: 'whatsapp',
			name: `Channel ${channel.id}`,
			is_active: true,
			webhook_url: null,
			webhook_events: [],
			secret: null,
			...channel,
		};
		this.channels.set(full.id, full);
		return full;
	}

	get(id: string): FakeChannel {
		const channel = this.channels.get(id);
		if (!channel) throw new Error(`no fake channel ${id}`);
		return channel;
	}

	/** GET /channels/{id} as Fiwano answers it. */
	view(id: string): IDataObject {
		const c = this.get(id);
		return {
			id: c.id,
			channel_type: c.channel_type,
			name: c.name,
			is_active: c.is_active,
			webhook_url: c.webhook_url,
			has_webhook_secret: c.secret !== null,
			webhook_events: [...c.webhook_events],
			subscription: {
				status: 'active',
				source: 'paddle',
				tier: 'pro',
				expires_at: null,
				auto_renew: true,
			},
		};
	}

	list(): IDataObject {
		const channels = [...this.channels.keys()].map((id) => this.view(id));
		return { channels, total: channels.length };
	}

	/** PATCH /channels/{id}; returns Fiwano's answer. */
	patch(id: string, body: IDataObject): IDataObject {
		const c = this.get(id);
		const answer: IDataObject = { id };
		if (typeof body.webhook_url === 'string')
			c.webhook_url = body.webhook_url === '' ? null : body.webhook_url;
		if (Array.isArray(body.webhook_events)) {
			c.webhook_events = body.webhook_events
				.map(String)
				.filter((e) => TYPE_EVENTS[c.channel_type].includes(e));
		}
		if (typeof body.webhook_secret === 'string') {
			c.secret = body.webhook_secret;
			answer.webhook_secret = c.secret;
		} else if (
			typeof body.webhook_url === 'string' &&
			body.webhook_url !== '' &&
			c.secret === null
		) {
			c.secret = randomBytes(32).toString('hex');
			answer.webhook_secret = c.secret;
		}
		answer.webhook_url = c.webhook_url;
		answer.webhook_events = [...c.webhook_events];
		return answer;
	}

	expectGet(id: string, times = 1): nock.Scope {
		return fiwanoApi()
			.get(`/api/v1/channels/${id}`)
			.times(times)
			.reply(200, () => this.view(id));
	}

	expectList(times = 1): nock.Scope {
		return fiwanoApi()
			.get('/api/v1/channels')
			.times(times)
			.reply(200, () => this.list());
	}

	/** Pins the exact PATCH body and applies it to the channel. */
	expectPatch(id: string, body: Record<string, string | string[]>): nock.Scope {
		return fiwanoApi()
			.patch(`/api/v1/channels/${id}`, body)
			.matchHeader('content-type', /application\/json/)
			.reply(200, (_uri, requestBody) =>
				this.patch(
					id,
					(typeof requestBody === 'string' ? JSON.parse(requestBody) : requestBody) as IDataObject,
				),
			);
	}
}

/**
 * The secret the trigger derives, computed here from its documented formula: changing the
 * formula would silently give every active workflow a different secret, so it is pinned.
 */
export function derivedSecret(workflowId: string, nodeId: string, apiKey = API_KEY): string {
	return createHmac('sha256', apiKey)
		.update(`n8n-nodes-fiwano trigger webhook secret v1\n${workflowId}\n${nodeId}`)
		.digest('hex');
}

/** The secret the test workflow's trigger derives with the test credential. */
export const SECRET = derivedSecret(WORKFLOW_ID, TRIGGER_NODE_ID);
/** Channel IDs of the event factories below: WhatsApp, Instagram, Facebook. */
export const WA = 'a1b2c3d4e5f67890';
export const IG = 'b2c3d4e5f6789012';
export const FB = 'c3f8a1b2e4d56789';

/**
 * Activates a one-channel trigger (events: message.received) on a channel, pinning the GET of
 * checkExists and the PATCH of create, and saves the static data.
 */
export async function wireProduction(
	fake: FakeFiwano,
	saved: SavedWorkflow,
	channelId = WA,
): Promise<void> {
	const get = fake.expectGet(channelId);
	const patch = fake.expectPatch(channelId, {
		webhook_url: PRODUCTION_URL,
		webhook_events: ['message.received'],
		webhook_secret: SECRET,
	});
	await saved.activate();
	if (!get.isDone() || !patch.isDone())
		throw new Error('activation did not read and wire the channel');
}

/**
 * A made-up signing key for a test, computed rather than written out (the lint rule against
 * hard-coded secrets applies to tests too): 32 hex characters, stable per label.
 */
export function testKey(label: string): string {
	return createHash('sha256').update(label).digest('hex').slice(0, 32);
}

/** Fiwano event payloads from webhooks.md, one factory per shape. */
export const events = {
	text(overrides: IDataObject = {}): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'wamid.text1',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'text',
				text: 'Hello!',
			},
			...overrides,
		};
	},
	image(overrides: IDataObject = {}): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'wamid.image1',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'image',
				caption: 'Check this photo',
				media: {
					media_id: 'm1b2c3d4e5f67890',
					mime_type: 'image/jpeg',
					file_size: 11,
					filename: null,
					sha256: 'abc123',
					duration_ms: null,
					download_url: 'https://fiwano.test/api/v1/media/m1b2c3d4e5f67890',
					expires_at: '2025-01-15T11:30:00Z',
				},
			},
			...overrides,
		};
	},
	document(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'c3f8a1b2e4d56789',
			channel_type: 'facebook',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'mid.doc1',
				from: '7890123456789012',
				from_name: null,
				type: 'document',
				media: {
					media_id: 'mdoc0000000000001',
					mime_type: 'application/pdf',
					file_size: 8,
					filename: 'invoice-42.pdf',
					download_url: 'https://fiwano.test/api/v1/media/mdoc0000000000001',
					expires_at: '2025-01-15T11:30:00Z',
				},
			},
		};
	},
	voice(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'wamid.voice1',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'audio',
				media: {
					media_id: 'm2b3c4d5e6f78901',
					voice: true,
					mime_type: 'audio/ogg; codecs=opus',
					file_size: 12345,
					filename: null,
					sha256: 'def456',
					duration_ms: 5200,
					download_url: 'https://fiwano.test/api/v1/media/m2b3c4d5e6f78901',
					expires_at: '2025-01-15T11:30:00Z',
				},
			},
		};
	},
	sticker(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'c3f8a1b2e4d56789',
			channel_type: 'facebook',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'mid.sticker1',
				from: '7890123456789012',
				from_name: null,
				type: 'image',
				media: {
					media_id: 'mstick00000000001',
					sticker: true,
					sticker_id: '369239263222822',
					mime_type: 'image/png',
					file_size: 5000,
					download_url: 'https://fiwano.test/api/v1/media/mstick00000000001',
					expires_at: '2025-01-15T11:30:00Z',
				},
			},
		};
	},
	share(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'b2c3d4e5f6789012',
			channel_type: 'instagram',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'mid.share1',
				from: '6543217890123456',
				from_name: null,
				type: 'share',
				share_type: 'post',
				caption: 'Sunset at the pier',
				share: { url: 'https://www.instagram.com/p/ABC123/', expires_at: null },
			},
		};
	},
	reply(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:31:00Z',
			data: {
				message_id: 'wamid.yyy',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'text',
				text: 'Confirm',
				reply_to: { message_id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890' },
			},
		};
	},
	storyReply(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'b2c3d4e5f6789012',
			channel_type: 'instagram',
			timestamp: '2025-01-15T10:31:00Z',
			data: {
				message_id: 'mid.story1',
				from: '6543217890123456',
				from_name: null,
				type: 'text',
				text: 'Love it',
				reply_to: {
					story: {
						id: '17900000000000009',
						url: 'https://lookaside.fbsbx.com/story.jpg',
						expires_at: '2025-01-16T10:30:00Z',
						link_url: null,
					},
				},
			},
		};
	},
	unsupportedUpgrade(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'wamid.unsup1',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'unsupported',
				unsupported_type: 'image',
				upgrade_required: 'pro',
			},
		};
	},
	unsupportedLocation(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'c3f8a1b2e4d56789',
			channel_type: 'facebook',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'mid.loc1',
				from: '7890123456789012',
				from_name: null,
				type: 'unsupported',
				unsupported_type: 'location',
			},
		};
	},
	referralMessage(): IDataObject {
		return {
			event: 'message.received',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:00Z',
			data: {
				message_id: 'wamid.ad1',
				from: '1234567890',
				from_name: 'John Doe',
				type: 'text',
				text: 'Is this available?',
				referral: {
					source: 'ad',
					text: 'Chat with us\nSummer Succulents are here!',
					image_url: 'https://scontent.xx.fbcdn.net/v/t45.1/x.jpg',
					ref: null,
					raw: { source_id: '120226305854810726', source_type: 'ad', ctwa_clid: 'Aff-n8Z' },
				},
			},
		};
	},
	status(
		event: 'message.sent' | 'message.delivered' | 'message.read',
		messageId = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
	): IDataObject {
		return {
			event,
			channel_id: 'b2c3d4e5f6789012',
			channel_type: 'instagram',
			timestamp: '2025-01-15T10:30:10Z',
			data: {
				message_id: messageId,
				status: event.slice('message.'.length),
				recipient: '6543217890123456',
			},
		};
	},
	failed(): IDataObject {
		return {
			event: 'message.failed',
			channel_id: 'a1b2c3d4e5f67890',
			channel_type: 'whatsapp',
			timestamp: '2025-01-15T10:30:05Z',
			data: {
				message_id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
				recipient: '1234567890',
				status: 'failed',
				error: 'Message undeliverable',
				errors: [{ code: 131047, title: 'Message undeliverable' }],
			},
		};
	},
	echo(): IDataObject {
		return {
			event: 'message.echo',
			channel_id: 'b2c3d4e5f6789012',
			channel_type: 'instagram',
			timestamp: '2026-09-01T10:30:00Z',
			data: {
				message_id: '550e8400-e29b-41d4-a716-446655440000',
				recipient: '6543217890123456',
				status: 'sent',
				type: 'image',
				caption: 'Invoice photo',
				media: {
					media_id: null,
					download_url: null,
					unavailable: 'echo_media_not_supported',
					kind: 'image',
				},
			},
		};
	},
	conversationReferral(ref = 'spring_promo'): IDataObject {
		return {
			event: 'conversation.referral',
			channel_id: 'b2c3d4e5f6789012',
			channel_type: 'instagram',
			timestamp: '2026-09-21T10:30:00Z',
			data: {
				from: '17841400000000777',
				from_name: null,
				referral: {
					source: 'link',
					text: null,
					image_url: null,
					ref,
					raw: { ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' },
				},
			},
		};
	},
};
