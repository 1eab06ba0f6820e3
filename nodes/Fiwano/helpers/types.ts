import type { IDataObject } from 'n8n-workflow';

/** Channel types Fiwano connects. */
export type ChannelType = 'whatsapp' | 'instagram' | 'facebook';

export interface FiwanoCredentials {
	apiKey: string;
	webhookSecret?: string;
	baseUrl?: string;
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
