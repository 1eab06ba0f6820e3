import type { IDataObject } from 'n8n-workflow';

/** Channel types Fiwano connects. */
export type ChannelType = 'whatsapp' | 'instagram' | 'facebook';

export interface FiwanoCredentials {
	apiKey: string;
	webhookSecret?: string;
	baseUrl?: string;
}

export interface ChannelSubscription extends IDataObject {
	/** The subscription the channel is bound to (`subscriptions[].id`); null when status is none. */
	id?: string | null;
	status: 'active' | 'expired' | 'canceled' | 'none';
	source: string | null;
	tier: 'starter' | 'pro' | null;
	expires_at: string | null;
	auto_renew: boolean;
}

/** `health` on every channel (changelog 6 October 2026). */
export interface ChannelHealth extends IDataObject {
	status: 'ok' | 'action_required' | string;
	/** Meta's error with its code, when action is required. */
	reason?: string | null;
	/** When the problem was detected. */
	since?: string | null;
}

/** One slot a subscription gives a channel type, as `GET /subscriptions` shows it. */
export interface SubscriptionAssignedChannel extends IDataObject {
	channel_id: string;
	channel_type: ChannelType;
	name?: string | null;
	is_active: boolean;
}

/** One subscription of `GET /subscriptions`. */
export interface Subscription extends IDataObject {
	id: string;
	status: 'active' | 'expired' | 'canceled' | string;
	source: string;
	tier: 'starter' | 'pro' | string;
	starts_at?: string | null;
	expires_at?: string | null;
	auto_renew?: boolean;
	assigned_channels: Record<string, SubscriptionAssignedChannel | null>;
}

export interface SlotCount extends IDataObject {
	total: number;
	starter: number;
	pro: number;
}

/** The answer of `GET /subscriptions`. */
export interface SubscriptionList extends IDataObject {
	subscriptions: Subscription[];
	total?: number;
	active_total?: number;
	available_slots?: Record<string, SlotCount>;
}

export interface Channel extends IDataObject {
	id: string;
	channel_type: ChannelType;
	name: string;
	is_active: boolean;
	phone_number_id?: string;
	phone_number?: string;
	waba_id?: string;
	ig_account_id?: string;
	ig_username?: string;
	page_id?: string;
	webhook_url?: string | null;
	has_webhook_secret?: boolean;
	webhook_events?: string[];
	echo_statuses?: boolean;
	token_expires_at?: string;
	subscription?: ChannelSubscription;
	health?: ChannelHealth;
}

export interface ChannelList extends IDataObject {
	channels: Channel[];
	total?: number;
}

/** PATCH /channels/{id} answer: the secret is present only when this request set it. */
export interface ChannelWebhookUpdate extends IDataObject {
	webhook_url?: string | null;
	webhook_secret?: string;
	webhook_events?: string[];
}

export interface SendResponse extends IDataObject {
	success: boolean;
	message_id?: string;
	status?: 'sent' | 'queued' | 'failed' | string;
	error?: string;
	error_code?: number;
}

export interface Template extends IDataObject {
	id: string;
	name: string;
	language: string;
	status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | string;
	category?: string;
	components?: IDataObject[];
}

export interface TemplateList extends IDataObject {
	templates: Template[];
}

export interface RedirectUri extends IDataObject {
	id: string;
	uri_pattern: string;
}

/** The answer of `GET /redirects`. */
export interface RedirectList {
	redirects?: RedirectUri[];
}

export interface WebhookEvent extends IDataObject {
	event: string;
	channel_id: string;
	channel_type: ChannelType;
	timestamp: string;
	data: IDataObject;
}

/** A response body as an object, so every output item has JSON even when an API answers with nothing. */
export function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}
