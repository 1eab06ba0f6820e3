import type { IDataObject } from 'n8n-workflow';

/** Factories for the message tests: channels as GET /channels/{id} returns them, send answers. */

export const WA_ID = 'a0a0a0a0a0a0a001';
export const IG_ID = 'b0b0b0b0b0b0b002';
export const FB_ID = 'c0c0c0c0c0c0c003';

export const WA_CUSTOMER = '15551234567';
export const IG_CUSTOMER = '6543217890123456';
export const FB_CUSTOMER = '7890123456789012';

const TYPES: Record<string, string> = {
	[WA_ID]: 'whatsapp',
	[IG_ID]: 'instagram',
	[FB_ID]: 'facebook',
};

export function channel(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		id,
		channel_type: TYPES[id],
		name: `Sandbox ${TYPES[id]}`,
		is_active: true,
		subscription: {
			status: 'active',
			source: 'trial',
			tier: 'pro',
			expires_at: null,
			auto_renew: false,
		},
		...overrides,
	};
}

export function sent(messageId = 'msg-1', overrides: IDataObject = {}): IDataObject {
	return {
		success: true,
		message_id: messageId,
		error: null,
		error_code: null,
		status: 'sent',
		...overrides,
	};
}

export function failed(errorCode: number, error: string, overrides: IDataObject = {}): IDataObject {
	return {
		success: false,
		message_id: null,
		error,
		error_code: errorCode,
		status: 'failed',
		...overrides,
	};
}

/** A v2 resource locator value in ID mode, as the editor saves it. */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

/** A v2 resource locator value picked from a list. */
export function fromList(value: string, cachedResultName = ''): IDataObject {
	return { __rl: true, mode: 'list', value, cachedResultName };
}

export function textParams(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'message',
		operation: 'send',
		channelId: byId(WA_ID),
		recipient: WA_CUSTOMER,
		text: 'Hello!',
		...overrides,
	};
}
