// Local Fiwano sandbox: a zero-dependency stand-in for the Fiwano API (../shared/fiwano-api),
// used by the demo, the end-to-end tests and the benchmark. It also serves a web page that
// plays the customer's phone (phone.html).
//
//   import { startSandbox } from './test/sandbox/server.mjs';
//   const sb = await startSandbox({ port: 0 });   // → { url, port, close(), state, ... }
//   node test/sandbox/server.mjs --port 4010       // CLI
//
// The contract for routes, options and seed data is the "local Fiwano sandbox" section of
// the team brief; everything else here (extra control routes, extra record fields) is additive.
// POST /_sandbox/inbound plays a customer message: { channel_id, from?, text? | type + media?,
// reply_to? } — reply_to (a message id) makes it a quoted reply, see replies.mjs.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { createScriptedModel } from './model.mjs';

import { describeQuote, replyToId } from './replies.mjs';
import { createSubscriptionLedger } from './subscriptions.mjs';

export const DEMO_API_KEY = 'mip_live_sandbox_demo_key';

/** Outbound text caps per channel type, in code points (Python `len`). */
export const TEXT_LIMITS = { whatsapp: 4096, instagram: 1000, facebook: 2000 };

/** Events a channel type accepts in `webhook_events` (webhooks.md + changelog 6 Oct 2026). */
export const EVENTS_BY_TYPE = {
	whatsapp: [
		'message.received',
		'message.echo',
		'message.sent',
		'message.delivered',
		'message.read',
		'message.failed',
	],
	instagram: [
		'message.received',
		'message.echo',
		'conversation.referral',
		'message.delivered',
		'message.read',
		'message.failed',
	],
	facebook: [
		'message.received',
		'message.echo',
		'conversation.referral',
		'message.delivered',
		'message.read',
		'message.failed',
	],
};

/** Statuses each channel type reports for outbound messages (capabilities.md). */
const STATUS_EVENTS_BY_TYPE = {
	whatsapp: ['sent', 'delivered', 'read', 'failed'],
	instagram: ['delivered', 'read', 'failed'],
	facebook: ['delivered', 'read', 'failed'],
};

/** Documented webhook retry schedule (seconds after the failed attempt) and hard deadline. */
export const RETRY_SCHEDULE_S = [30, 60, 120, 120, 120, 120, 120];
export const DELIVERY_DEADLINE_S = 20 * 60;
const MEDIA_TTL_S = 60 * 60;
const SETUP_URL_TTL_S = 10 * 60;
const CODE_TTL_S = 5 * 60;
const PROFILE_CACHE_S = 5 * 60;

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'];
const STATUS_RANK = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
const API_BODY_LIMIT = 2 * 1024 * 1024;
const CONTROL_BODY_LIMIT = 25 * 1024 * 1024;
const MAX_RECORDS = 200_000;

export const SEED = {
	channels: {
		whatsapp: 'a0a0a0a0a0a0a001',
		instagram: 'b0b0b0b0b0b0b002',
		facebook: 'c0c0c0c0c0c0c003',
	},
	customers: {
		whatsapp: { id: '15551234567', name: 'Alex Doe' },
		instagram: { id: '6543217890123456', name: 'Alex Insta', username: 'alex.ig' },
		facebook: {
			id: '7890123456789012',
			name: 'Alex Messenger',
			first_name: 'Alex',
			last_name: 'Messenger',
		},
	},
	subscriptionId: '5b5b5b5b5b5b0001',
	spareSubscriptionId: '5b5b5b5b5b5b0002',
};

const DEFAULT_OPTIONS = {
	port: 0,
	host: '127.0.0.1',
	apiKeys: [DEMO_API_KEY],
	perKeyPerSecond: null,
	perChannelSendsPerSecond: 10,
	latencyMs: 0,
	jitterMs: 0,
	timeScale: 1,
	seed: true,
	log: false,
	// Additions to the contract:
	/** Also count sends against the per-key bucket (Fiwano does not: sends have the per-channel limit). */
	perKeyIncludesSends: false,
	/** URL the sandbox puts in `download_url` / `setup_url`; defaults to http://<host>:<port>. */
	publicUrl: null,
	/** Seed for the fault/latency dice, so a run can be repeated. */
	randomSeed: null,
	/** How long a webhook receiver may take (the documented 5 s; not scaled by timeScale). */
	webhookTimeoutMs: 5000,
	/** Delay before the `sent` / `delivered` statuses of an accepted send (divided by timeScale). */
	statusDelaysMs: { sent: 150, delivered: 700 },
	/** Mark messages read this long after delivery (divided by timeScale); null = only when the phone page reads. */
	autoReadMs: null,
	/** Recipients whose sends Meta rejects: `success:false, status:"failed", error_code`. */
	failingRecipients: { 15550000000: 131026 },
	/** Recipients whose sends are answered `queued` and complete in the background. */
	queuedRecipients: ['15550000099'],
	/** Free subscription slots per channel type for new connections; null = unlimited, 0 → 409 no_free_slot. */
	freeSlots: { whatsapp: null, instagram: null, facebook: null },
	/** Approve created/edited templates after this long (divided by timeScale); null = stay PENDING. */
	templateReviewMs: null,
	/** Accept http:// webhook and redirect URLs (the real API requires https and no loopback). */
	allowHttpUrls: true,
	faults: { status503Ratio: 0, resetAfterWriteRatio: 0, retryAfterSeconds: 1, scope: 'all' },
};

const PHONE_PAGE = new URL('./phone.html', import.meta.url);

class ApiError extends Error {
	constructor(status, detail, headers) {
		super(typeof detail === 'string' ? detail : JSON.stringify(detail));
		this.status = status;
		this.detail = detail;
		this.headers = headers ?? {};
	}
}

const hex = (bytes) => randomBytes(bytes).toString('hex');
const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const codePoints = (text) => Array.from(text).length;
const digitsOf = (text) => String(text).replace(/\D/g, '');

/** `2025-01-15T10:30:00Z`, the webhook timestamp format. */
function isoZ(ms) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2025-01-15T10:30:00`, the naive-UTC format the channel endpoints use. */
function isoNaive(ms) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
}

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function mergeConfig(base, patch) {
	const out = { ...base };
	for (const [key, value] of Object.entries(patch ?? {})) {
		if (value === undefined) continue;
		if (isObject(value) && isObject(base[key])) out[key] = { ...base[key], ...value };
		else out[key] = value;
	}
	return out;
}

function pydanticError(type, loc, msg, input, ctx) {
	const error = { type, loc, msg, input: input === undefined ? null : input };
	if (ctx) error.ctx = ctx;
	return error;
}

/**
 * Checks a JSON body against a small field spec the way FastAPI/pydantic does and returns
 * the 422 list (`[{ type, loc, msg, input }]`), empty when the body is valid.
 */
function checkFields(body, spec) {
	if (body === undefined) return [pydanticError('missing', ['body'], 'Field required', null)];
	if (!isObject(body)) {
		return [
			pydanticError(
				'model_attributes_type',
				['body'],
				'Input should be a valid dictionary or object to extract fields from',
				body,
			),
		];
	}
	const errors = [];
	for (const [name, rule] of Object.entries(spec)) {
		const loc = ['body', name];
		const value = body[name];
		if (value === undefined || (value === null && !rule.nullable)) {
			if (rule.required) errors.push(pydanticError('missing', loc, 'Field required', body));
			else if (value === null && !rule.nullable)
				errors.push(pydanticError(`${rule.type}_type`, loc, typeMessage(rule.type), value));
			continue;
		}
		if (value === null) continue;
		if (rule.type === 'string') {
			if (typeof value !== 'string') {
				errors.push(pydanticError('string_type', loc, 'Input should be a valid string', value));
				continue;
			}
			if (rule.minLength !== undefined && codePoints(value) < rule.minLength) {
				errors.push(
					pydanticError(
						'string_too_short',
						loc,
						`String should have at least ${rule.minLength} character${rule.minLength === 1 ? '' : 's'}`,
						value,
						{ min_length: rule.minLength },
					),
				);
			}
			if (rule.maxLength !== undefined && codePoints(value) > rule.maxLength) {
				errors.push(
					pydanticError(
						'string_too_long',
						loc,
						`String should have at most ${rule.maxLength} characters`,
						value,
						{ max_length: rule.maxLength },
					),
				);
			}
			if (rule.pattern && !new RegExp(rule.pattern).test(value)) {
				errors.push(
					pydanticError(
						'string_pattern_mismatch',
						loc,
						`String should match pattern '${rule.pattern}'`,
						value,
						{ pattern: rule.pattern },
					),
				);
			}
		} else if (rule.type === 'bool' && typeof value !== 'boolean') {
			errors.push(pydanticError('bool_type', loc, 'Input should be a valid boolean', value));
		} else if (rule.type === 'list') {
			if (!Array.isArray(value))
				errors.push(pydanticError('list_type', loc, 'Input should be a valid list', value));
			else if (rule.items === 'string') {
				value.forEach((item, index) => {
					if (typeof item !== 'string')
						errors.push(
							pydanticError('string_type', [...loc, index], 'Input should be a valid string', item),
						);
				});
			} else if (rule.items === 'dict') {
				value.forEach((item, index) => {
					if (!isObject(item))
						errors.push(
							pydanticError(
								'dict_type',
								[...loc, index],
								'Input should be a valid dictionary',
								item,
							),
						);
				});
			}
		} else if (rule.type === 'dict' && !isObject(value)) {
			errors.push(pydanticError('dict_type', loc, 'Input should be a valid dictionary', value));
		}
	}
	return errors;
}

function typeMessage(type) {
	return {
		string: 'Input should be a valid string',
		bool: 'Input should be a valid boolean',
		list: 'Input should be a valid list',
		dict: 'Input should be a valid dictionary',
	}[type];
}

function valueError(field, message, input) {
	return pydanticError('value_error', ['body', field], `Value error, ${message}`, input);
}

function unprocessable(errors) {
	if (errors.length) throw new ApiError(422, errors);
}

function parseBool(raw, name) {
	if (raw === null || raw === undefined) return undefined;
	const value = String(raw).toLowerCase();
	if (['true', '1', 'yes', 'on'].includes(value)) return true;
	if (['false', '0', 'no', 'off'].includes(value)) return false;
	throw new ApiError(422, [
		pydanticError(
			'bool_parsing',
			['query', name],
			'Input should be a valid boolean, unable to interpret input',
			raw,
		),
	]);
}

function isPrivateHost(hostname) {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0')
		return true;
	const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		return (
			a === 10 ||
			a === 127 ||
			a === 0 ||
			(a === 169 && b === 254) ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168)
		);
	}
	return host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80');
}

/** Validates a webhook or redirect URL; returns an error message or null. */
function urlProblem(raw, { allowHttp, wildcard = false }) {
	let url;
	try {
		url = new URL(wildcard ? raw.replace(/\*/g, 'wildcard') : raw);
	} catch {
		return 'must be an absolute URL';
	}
	const httpOk = allowHttp && url.protocol === 'http:';
	if (url.protocol !== 'https:' && !httpOk) return 'must use HTTPS';
	if (url.username || url.password) return 'must not contain credentials';
	if (raw.includes('#')) return 'must not contain a fragment';
	if (!allowHttp && isPrivateHost(url.hostname))
		return 'must not target localhost or a private address';
	return null;
}

function patternMatches(pattern, uri) {
	const regex = new RegExp(
		`^${pattern
			.split('*')
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*')}$`,
	);
	return regex.test(uri);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function placeholders(text) {
	const names = [];
	for (const match of String(text ?? '').matchAll(PLACEHOLDER))
		if (!names.includes(match[1])) names.push(match[1]);
	return names;
}

function fill(text, values) {
	return String(text ?? '').replace(PLACEHOLDER, (whole, name) => {
		if (Array.isArray(values)) {
			const value = values[Number(name) - 1];
			return value === undefined ? whole : String(value);
		}
		if (isObject(values) && values[name] !== undefined) return String(values[name]);
		return whole;
	});
}

/** The `variables` summary Fiwano returns with a template. */
function templateVariables(template) {
	const header = template.components.find((c) => String(c.type).toUpperCase() === 'HEADER');
	const body = template.components.find((c) => String(c.type).toUpperCase() === 'BODY');
	const buttons = template.components.find((c) => String(c.type).toUpperCase() === 'BUTTONS');
	const named = template.parameter_format === 'named';
	const describe = (component, exampleKey, namedKey) => {
		if (!component) return null;
		const names = placeholders(component.text);
		if (!names.length) return null;
		const example = component.example ?? {};
		return names.map((name, index) => {
			let sample = null;
			if (named) {
				const list = example[namedKey] ?? [];
				sample = list.find((entry) => entry.param_name === name)?.example ?? null;
			} else {
				const list = example[exampleKey];
				sample = (Array.isArray(list?.[0]) ? list[0][index] : list?.[index]) ?? null;
			}
			return { position: index + 1, name: named ? name : null, example: sample };
		});
	};
	const buttonVars = [];
	(buttons?.buttons ?? []).forEach((button, index) => {
		const names = placeholders(button.url);
		if (names.length)
			buttonVars.push({
				index,
				type: button.type ?? 'URL',
				text: button.text ?? null,
				example: Array.isArray(button.example)
					? (button.example[0] ?? null)
					: (button.example ?? null),
			});
	});
	const headerVars = describe(header, 'header_text', 'header_text_named_params');
	const bodyVars = describe(body, 'body_text', 'body_text_named_params');
	return {
		total_count: (headerVars?.length ?? 0) + (bodyVars?.length ?? 0) + buttonVars.length,
		parameter_format: template.parameter_format,
		header: headerVars,
		body: bodyVars,
		buttons: buttonVars.length ? buttonVars : null,
	};
}

function seedChannels(now) {
	const subscription = (id = SEED.subscriptionId) => ({
		id,
		status: 'active',
		source: 'trial',
		tier: 'pro',
		expires_at: isoNaive(now + 7 * 24 * 3600 * 1000),
		auto_renew: false,
	});
	const base = (id, type, name) => ({
		id,
		channel_type: type,
		name,
		is_active: true,
		phone_number_id: null,
		phone_number: null,
		waba_id: null,
		quality_rating: null,
		ig_account_id: null,
		ig_username: null,
		page_id: null,
		webhook_url: null,
		webhook_secret: null,
		webhook_events: [],
		echo_statuses: false,
		connected_at: isoNaive(now),
		created_at: isoNaive(now),
		token_expires_at: isoNaive(now + 60 * 24 * 3600 * 1000),
		subscription: subscription(),
		health: { status: 'ok', reason: null, since: null },
	});
	return [
		{
			...base(SEED.channels.whatsapp, 'whatsapp', 'Sandbox WhatsApp'),
			phone_number_id: '100000000000001',
			phone_number: '+15550000001',
			waba_id: '200000000000001',
			quality_rating: 'GREEN',
		},
		{
			...base(SEED.channels.instagram, 'instagram', 'sandbox_shop'),
			ig_account_id: '17841400000000002',
			ig_username: 'sandbox_shop',
			page_id: '100000000000002',
		},
		{ ...base(SEED.channels.facebook, 'facebook', 'Sandbox Page'), page_id: '100000000000003' },
	];
}

function seedTemplates(now) {
	const channel_id = SEED.channels.whatsapp;
	const common = {
		channel_id,
		language: 'en_US',
		synced_at: isoNaive(now),
		created_at: isoNaive(now),
	};
	return [
		{
			...common,
			id: 'tpl_order_update',
			meta_template_id: '900000000000001',
			name: 'order_update',
			category: 'UTILITY',
			status: 'APPROVED',
			parameter_format: 'positional',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Order update' },
				{
					type: 'BODY',
					text: 'Hi {{1}}, your order {{2}} is ready.',
					example: { body_text: [['Pablo', 'ORD-123']] },
				},
				{ type: 'FOOTER', text: 'Sandbox Shop' },
				{
					type: 'BUTTONS',
					buttons: [
						{
							type: 'URL',
							text: 'Track order',
							url: 'https://shop.example.com/track/{{1}}',
							example: ['ORD-123'],
						},
					],
				},
			],
		},
		{
			...common,
			id: 'tpl_welcome_named',
			meta_template_id: '900000000000002',
			name: 'welcome_named',
			category: 'MARKETING',
			status: 'APPROVED',
			parameter_format: 'named',
			components: [
				{
					type: 'BODY',
					text: 'Welcome, {{customer_name}}! Thanks for joining Sandbox Shop.',
					example: { body_text_named_params: [{ param_name: 'customer_name', example: 'Pablo' }] },
				},
			],
		},
		{
			...common,
			id: 'tpl_promo_pending',
			meta_template_id: '900000000000003',
			name: 'promo_pending',
			category: 'MARKETING',
			status: 'PENDING',
			parameter_format: 'positional',
			components: [
				{
					type: 'BODY',
					text: 'Big sale: {{1}} off everything this weekend!',
					example: { body_text: [['25%']] },
				},
			],
		},
	];
}

function seedProfiles() {
	const { instagram, facebook } = SEED.customers;
	return new Map([
		[
			`instagram:${instagram.id}`,
			{
				username: instagram.username,
				name: instagram.name,
				profile_pic: null,
				follower_count: 1500,
				is_verified_user: false,
			},
		],
		[
			`facebook:${facebook.id}`,
			{ first_name: facebook.first_name, last_name: facebook.last_name, profile_pic: null },
		],
	]);
}

/**
 * Starts a sandbox. Options (all optional) are the contract's
 * `{ port, host, apiKeys, perKeyPerSecond, perChannelSendsPerSecond, latencyMs, jitterMs, timeScale, seed, log }`
 * plus the additions in DEFAULT_OPTIONS. Resolves to `{ url, port, close(), state, ... }`.
 */
export async function startSandbox(options = {}) {
	const initial = mergeConfig(DEFAULT_OPTIONS, options);
	let cfg = clone(initial);
	let rng = mulberry32(cfg.randomSeed ?? Math.floor(Math.random() * 2 ** 32));
	let seq = 0;
	let publicUrl = '';
	const timers = new Set();
	const sseClients = new Set();
	const buckets = new Map();
	// No keep-alive to webhook receivers: a reused socket the receiver just closed would turn
	// into a spurious failed attempt (and a retry) in the delivery log.
	const agents = {
		http: new HttpAgent({ keepAlive: false }),
		https: new HttpsAgent({ keepAlive: false }),
	};
	let closed = false;

	const state = {
		channels: [],
		templates: [],
		messages: [],
		deliveries: [],
		log: [],
		inbound: [],
		redirects: [],
		media: new Map(),
		profiles: new Map(),
		profileCache: new Map(),
		sessions: new Map(),
		codes: new Map(),
		deliveryJobs: new Map(),
		lockedTemplateNames: new Map(),
		slotsUsed: { whatsapp: 0, instagram: 0, facebook: 0 },
	};

	const now = () => Date.now();
	const scaled = (ms) => ms / (Number(cfg.timeScale) > 0 ? Number(cfg.timeScale) : 1);
	const nextSeq = () => ++seq;
	const pushRecord = (list, record) => {
		list.push(record);
		if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
		return record;
	};

	function later(ms, fn) {
		const timer = setTimeout(
			() => {
				timers.delete(timer);
				if (!closed) fn();
			},
			Math.max(0, ms),
		);
		timer.unref?.();
		timers.add(timer);
		return timer;
	}

	function clearTimers() {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
	}

	function broadcast(type, data) {
		const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
		for (const client of sseClients) client.write(frame);
	}

	function reseed() {
		const t = now();
		state.channels = cfg.seed ? seedChannels(t) : [];
		state.templates = cfg.seed ? seedTemplates(t) : [];
		state.profiles = cfg.seed ? seedProfiles() : new Map();
		state.messages = [];
		state.deliveries = [];
		state.log = [];
		state.inbound = [];
		state.redirects = [];
		state.media.clear();
		state.profileCache.clear();
		state.sessions.clear();
		state.codes.clear();
		state.deliveryJobs.clear();
		state.lockedTemplateNames.clear();
		state.slotsUsed = { whatsapp: 0, instagram: 0, facebook: 0 };
		ledger.reseed(t);
		buckets.clear();
	}

	const findChannel = (id) => state.channels.find((channel) => channel.id === id);
	const ledger = createSubscriptionLedger({
		...{ state, now, seed: SEED, ApiError, isoNaive, hex, broadcast, publicChannel },
		...{ freeSlotsFor, findChannel },
	});

	/** Free slots for a new channel of this type; `freeSlots[type]` null means unlimited. */
	function freeSlotsFor(type) {
		const configured = cfg.freeSlots?.[type];
		if (configured === null || configured === undefined) return Infinity;
		return Number(configured) - state.slotsUsed[type];
	}

	function publicChannel(channel) {
		const { webhook_secret: secret, ...rest } = channel;
		return {
			id: rest.id,
			channel_type: rest.channel_type,
			name: rest.name,
			is_active: rest.is_active,
			phone_number_id: rest.phone_number_id,
			phone_number: rest.phone_number,
			waba_id: rest.waba_id,
			quality_rating: rest.quality_rating,
			ig_account_id: rest.ig_account_id,
			ig_username: rest.ig_username,
			page_id: rest.page_id,
			webhook_url: rest.webhook_url,
			has_webhook_secret: Boolean(secret),
			webhook_events: [...(rest.webhook_events ?? [])],
			echo_statuses: Boolean(rest.echo_statuses),
			connected_at: rest.connected_at,
			created_at: rest.created_at,
			token_expires_at: rest.token_expires_at,
			subscription: { ...rest.subscription },
			health: { ...rest.health },
		};
	}

	function requireChannel(id) {
		const channel = typeof id === 'string' ? findChannel(id) : undefined;
		if (!channel) throw new ApiError(404, 'Channel not found');
		return channel;
	}

	function requireOperable(channel) {
		if (!channel.is_active)
			throw new ApiError(400, 'Channel is inactive. Reconnect it through the setup flow.');
		if (channel.subscription?.status !== 'active') {
			throw new ApiError(
				402,
				'No active subscription for this channel. Subscribe on the Billing page.',
			);
		}
	}

	function requirePro(channel, what) {
		if (channel.subscription?.tier !== 'pro') {
			throw new ApiError(
				402,
				`Pro license required for ${what}. This channel has a ${channel.subscription?.tier ?? 'no'} license; upgrade it on the Billing page.`,
			);
		}
	}

	function requireWhatsApp(channel) {
		if (channel.channel_type !== 'whatsapp')
			throw new ApiError(400, 'Templates are only supported for WhatsApp channels');
	}

	// ---- webhook settings (PATCH /channels/{id} and exchange-code) ----

	function checkWebhookFields(body) {
		const errors = checkFields(body, {
			webhook_url: { type: 'string', nullable: true, maxLength: 500 },
			webhook_secret: { type: 'string', nullable: true, maxLength: 64 },
			webhook_events: { type: 'list', nullable: true, items: 'string' },
			echo_statuses: { type: 'bool', nullable: true },
		});
		if (!errors.length && typeof body.webhook_url === 'string' && body.webhook_url !== '') {
			const problem = urlProblem(body.webhook_url, { allowHttp: cfg.allowHttpUrls });
			if (problem)
				errors.push(valueError('webhook_url', `webhook_url ${problem}`, body.webhook_url));
		}
		return errors;
	}

	/**
	 * Applies webhook settings with the documented secret semantics and returns the secret to
	 * reveal in this response (null when none was set or generated now):
	 * - a given `webhook_secret` is stored and shown once ("" clears it);
	 * - setting a `webhook_url` on a channel without a secret generates a 64-hex secret;
	 * - `webhook_events` keeps only the events valid for the channel type;
	 * - fields left out or null are not changed; `webhook_url: ""` clears the URL.
	 */
	function applyWebhookSettings(channel, body) {
		let revealed = null;
		if (typeof body.webhook_url === 'string')
			channel.webhook_url = body.webhook_url === '' ? null : body.webhook_url;
		if (typeof body.webhook_secret === 'string') {
			channel.webhook_secret = body.webhook_secret === '' ? null : body.webhook_secret;
			revealed = channel.webhook_secret;
		} else if (
			typeof body.webhook_url === 'string' &&
			body.webhook_url !== '' &&
			!channel.webhook_secret
		) {
			channel.webhook_secret = hex(32);
			revealed = channel.webhook_secret;
		}
		if (Array.isArray(body.webhook_events)) {
			const valid = EVENTS_BY_TYPE[channel.channel_type] ?? [];
			channel.webhook_events = [
				...new Set(body.webhook_events.filter((event) => valid.includes(event))),
			];
		}
		if (typeof body.echo_statuses === 'boolean') channel.echo_statuses = body.echo_statuses;
		return revealed;
	}

	// ---- webhook delivery ----

	function sign(secret, raw) {
		return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
	}

	function postWebhook(target, raw, signature) {
		return new Promise((resolve) => {
			let url;
			try {
				url = new URL(target);
			} catch {
				resolve({ status: null, error: 'invalid webhook URL' });
				return;
			}
			const secure = url.protocol === 'https:';
			const headers = {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(raw),
				'user-agent': 'Fiwano-Webhooks/1.0 (sandbox)',
			};
			if (signature) headers['x-webhook-signature'] = signature;
			let settled = false;
			const finish = (result) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				resolve(result);
			};
			const req = (secure ? httpsRequest : httpRequest)(
				url,
				{
					method: 'POST',
					headers,
					agent: secure ? agents.https : agents.http,
					rejectUnauthorized: false,
				},
				(res) => {
					const chunks = [];
					let size = 0;
					res.on('data', (chunk) => {
						size += chunk.length;
						if (size <= 64 * 1024) chunks.push(chunk);
					});
					res.on('end', () =>
						finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
					);
					res.on('error', (error) => finish({ status: res.statusCode, error: error.message }));
				},
			);
			const timer = setTimeout(() => {
				req.destroy(new Error(`timeout after ${cfg.webhookTimeoutMs} ms`));
			}, cfg.webhookTimeoutMs);
			timer.unref?.();
			req.on('error', (error) => finish({ status: null, error: error.message }));
			req.end(raw);
		});
	}

	function parsedOrText(text) {
		if (text === undefined) return undefined;
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}

	/**
	 * Delivers one event to the channel's webhook_url, signed with the channel's current secret,
	 * retrying on non-2xx/timeouts per the documented schedule (divided by timeScale) until the
	 * 20-minute deadline. Every attempt is recorded in `state.deliveries`.
	 */
	function deliverEvent(channel, payload, { ref = null, retries = true } = {}) {
		const job = {
			delivery_id: `dlv_${hex(8)}`,
			channel_id: channel.id,
			event: payload.event,
			raw: JSON.stringify(payload),
			url: channel.webhook_url,
			signature: null,
			ref,
			retries,
			attempts: 0,
			created: now(),
			state: 'pending',
		};
		state.deliveryJobs.set(job.delivery_id, job);
		void attempt(job);
		return job;
	}

	async function attempt(job, { mode = 'current', redeliver = false } = {}) {
		const channel = findChannel(job.channel_id);
		if (!redeliver && job.attempts > 0) {
			// A retry goes to the channel's current URL with its current secret; a cleared
			// webhook or a deactivated channel ends the retries.
			if (!channel?.webhook_url || !channel.is_active) {
				job.state = 'dropped';
				recordAttempt(
					job,
					{ status: null, error: 'webhook removed or channel inactive; retries stopped' },
					{ outcome: 'dropped' },
				);
				return { job, result: null };
			}
			job.url = channel.webhook_url;
		}
		if (!redeliver) {
			const secret = channel?.webhook_secret;
			if (mode === 'forged') job.signature = sign(`forged-${hex(8)}`, job.raw);
			else if (mode === 'none' || !secret) job.signature = null;
			else job.signature = sign(secret, job.raw);
		}
		job.attempts += 1;
		const number = job.attempts;
		const result = await postWebhook(job.url, job.raw, job.signature);
		if (closed) return { job, result };
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		let outcome = ok ? 'delivered' : 'failed';
		let nextRetryMs = null;
		if (!ok && job.retries && !redeliver) {
			const retryIndex = number - 1;
			const delay = RETRY_SCHEDULE_S[retryIndex];
			if (delay !== undefined) {
				nextRetryMs = scaled(delay * 1000);
				if (now() + nextRetryMs > job.created + scaled(DELIVERY_DEADLINE_S * 1000))
					nextRetryMs = null;
			}
			if (nextRetryMs !== null) {
				outcome = 'retrying';
				later(nextRetryMs, () => void attempt(job));
			}
		}
		if (!redeliver) job.state = outcome;
		recordAttempt(job, result, { outcome, nextRetryMs, redeliver, number });
		return { job, result };
	}

	function recordAttempt(
		job,
		result,
		{ outcome, nextRetryMs = null, redeliver = false, number = job.attempts },
	) {
		const record = {
			seq: nextSeq(),
			delivery_id: job.delivery_id,
			event: job.event,
			channel_id: job.channel_id,
			message_id: parsedOrText(job.raw)?.data?.message_id ?? null,
			url: job.url,
			attempt: number,
			status: result.status,
			ts: now(),
			outcome,
			signed: Boolean(job.signature),
		};
		if (result.error) record.error = result.error;
		if (result.body !== undefined) record.response_body = result.body.slice(0, 500);
		if (nextRetryMs !== null) record.next_retry_ms = nextRetryMs;
		if (redeliver) record.redelivery = true;
		if (job.ref) record.ref = job.ref;
		pushRecord(state.deliveries, record);
		broadcast('delivery', record);
		return record;
	}

	function webhookReady(channel, event) {
		return Boolean(
			channel.is_active && channel.webhook_url && (channel.webhook_events ?? []).includes(event),
		);
	}

	// ---- outbound message statuses ----

	function statusPayload(channel, message, status, failure) {
		const data =
			status === 'failed'
				? {
						message_id: message.message_id,
						recipient: message.recipient,
						status: 'failed',
						error: failure?.error ?? 'Message undeliverable',
						errors: [
							{ code: failure?.code ?? 131047, title: failure?.error ?? 'Message undeliverable' },
						],
					}
				: { message_id: message.message_id, status, recipient: message.recipient };
		return {
			event: `message.${status}`,
			channel_id: channel.id,
			channel_type: channel.channel_type,
			timestamp: isoZ(now()),
			data,
		};
	}

	/** Moves a message forward (never back) and sends the status webhook when enabled. */
	function setStatus(message, status, failure) {
		const current = STATUS_RANK[message.status] ?? 0;
		if (message.status === 'failed' || message.status === 'read' || status === message.status)
			return false;
		if (status !== 'failed' && STATUS_RANK[status] < current) return false;
		message.status = status;
		message.status_ts = now();
		if (failure) {
			message.error_code = failure.code;
			message.error = failure.error;
		}
		broadcast('status', {
			message_id: message.message_id,
			channel_id: message.channel_id,
			recipient: message.recipient,
			status,
			ts: message.status_ts,
		});
		emitStatusWebhook(message, status, failure);
		return true;
	}

	function emitStatusWebhook(message, status, failure) {
		const channel = findChannel(message.channel_id);
		if (!channel || !STATUS_EVENTS_BY_TYPE[channel.channel_type]?.includes(status)) return;
		if (!webhookReady(channel, `message.${status}`)) return;
		deliverEvent(channel, statusPayload(channel, message, status, failure), {
			ref: { kind: 'status', message_id: message.message_id, status },
		});
	}

	function scheduleStatuses(message) {
		const delays = cfg.statusDelaysMs ?? {};
		// A queued send completes in the background a while later (sending-messages.md).
		const base = message.status === 'queued' ? scaled(delays.queued ?? 2000) : 0;
		const sentAt = base + scaled(delays.sent ?? 150);
		const deliveredAt = Math.max(sentAt, base + scaled(delays.delivered ?? 700));
		later(sentAt, () => {
			if (message.status === 'queued') setStatus(message, 'sent');
			else if (message.status === 'sent') emitStatusWebhook(message, 'sent');
		});
		later(deliveredAt, () => {
			if (message.status === 'sent') setStatus(message, 'delivered');
		});
		if (cfg.autoReadMs !== null && cfg.autoReadMs !== undefined) {
			later(deliveredAt + scaled(cfg.autoReadMs), () => {
				if (message.status === 'delivered' || message.status === 'sent') setStatus(message, 'read');
			});
		}
	}

	/** The customer read the conversation: one message.read per unread message (read cascading). */
	function readConversation(channelId, recipient) {
		const read = [];
		for (const message of state.messages) {
			if (
				message.channel_id !== channelId ||
				message.status === 'read' ||
				message.status === 'failed'
			)
				continue;
			if (recipient !== undefined && digitsOf(message.recipient) !== digitsOf(recipient)) continue;
			if (message.status === 'queued') continue;
			if (setStatus(message, 'read')) read.push(message.message_id);
		}
		return read;
	}

	// ---- inbound (customer → business) ----

	function mediaKind(mime) {
		if (/^image\//.test(mime)) return 'image';
		if (/^audio\//.test(mime)) return 'audio';
		if (/^video\//.test(mime)) return 'video';
		return 'document';
	}

	function inboundMessageId(type) {
		return type === 'whatsapp'
			? `wamid.${randomBytes(18).toString('base64url')}`
			: `mid.${randomBytes(18).toString('base64url')}`;
	}

	function receiveInbound(body) {
		if (!isObject(body)) throw new ApiError(422, 'Body must be a JSON object');
		const channel =
			findChannel(body.channel_id) ??
			(body.channel_id === undefined ? state.channels[0] : undefined);
		if (!channel) throw new ApiError(404, 'Channel not found');
		const customer = SEED.customers[channel.channel_type];
		const from = String(body.from ?? customer?.id ?? '').trim();
		if (!from) throw new ApiError(400, 'from is required');
		const replyTo = replyToId(body.reply_to, (status, detail) => new ApiError(status, detail));
		const t = now();
		let fromName = null;
		if (channel.channel_type === 'whatsapp') {
			fromName =
				body.from_name ??
				(from === SEED.customers.whatsapp.id ? SEED.customers.whatsapp.name : `+${digitsOf(from)}`);
		}
		const data = {
			message_id: body.message_id ?? inboundMessageId(channel.channel_type),
			from,
			from_name: fromName,
		};
		let record = {
			seq: nextSeq(),
			ts: t,
			channel_id: channel.id,
			channel_type: channel.channel_type,
			from,
			from_name: fromName,
		};
		if (body.media) {
			const media = body.media;
			const bytes = Buffer.from(String(media.base64 ?? ''), 'base64');
			if (bytes.length > 10 * 1024 * 1024)
				throw new ApiError(413, 'Inbound media is limited to 10 MB');
			const mime = String(media.mime_type ?? 'application/octet-stream');
			const kind = body.type && body.type !== 'text' ? body.type : mediaKind(mime);
			const caption = body.caption ?? body.text;
			if (channel.subscription?.tier !== 'pro') {
				Object.assign(data, {
					type: 'unsupported',
					unsupported_type: kind,
					upgrade_required: 'pro',
				});
				record = { ...record, type: 'unsupported', unsupported_type: kind, text: caption ?? null };
			} else {
				const mediaId = `m${hex(8).slice(1)}`;
				const expires = t + scaled(MEDIA_TTL_S * 1000);
				const filename = media.filename ? String(media.filename) : null;
				state.media.set(mediaId, {
					id: mediaId,
					channel_id: channel.id,
					mime_type: mime,
					filename,
					bytes,
					created: t,
					expires,
				});
				data.type = kind;
				if (caption) data.caption = String(caption);
				data.media = {
					media_id: mediaId,
					...(channel.channel_type === 'whatsapp' && body.voice ? { voice: true } : {}),
					mime_type: mime,
					file_size: bytes.length,
					filename: kind === 'document' ? filename : null,
					sha256:
						channel.channel_type === 'whatsapp'
							? createHash('sha256').update(bytes).digest('hex')
							: null,
					duration_ms: kind === 'audio' || kind === 'video' ? (media.duration_ms ?? null) : null,
					download_url: `${publicUrl}/api/v1/media/${mediaId}`,
					expires_at: isoZ(expires),
				};
				record = {
					...record,
					type: kind,
					text: caption ? String(caption) : null,
					media: { media_id: mediaId, mime_type: mime, filename, file_size: bytes.length },
				};
			}
		} else {
			const type = body.type ?? 'text';
			data.type = type;
			if (type === 'text') data.text = String(body.text ?? '');
			if (body.text !== undefined && type !== 'text') data.caption = String(body.text);
			record = { ...record, type, text: body.text === undefined ? null : String(body.text) };
		}
		if (replyTo !== null) {
			data.reply_to = { message_id: replyTo };
			record.reply_to = replyTo;
			record.quote = describeQuote(replyTo, {
				channelId: channel.id,
				from,
				messages: state.messages,
				inbound: state.inbound,
				sameRecipient: (recipient, user) =>
					recipient === user || (digitsOf(user) !== '' && digitsOf(recipient) === digitsOf(user)),
			});
		}
		if (isObject(body.data)) Object.assign(data, body.data);
		record.message_id = data.message_id;
		const event = {
			event: 'message.received',
			channel_id: channel.id,
			channel_type: channel.channel_type,
			timestamp: isoZ(t),
			data,
		};
		pushRecord(state.inbound, record);
		let job = null;
		if (webhookReady(channel, 'message.received')) {
			job = deliverEvent(channel, event, { ref: { kind: 'inbound', seq: record.seq } });
			record.delivery_id = job.delivery_id;
		} else {
			record.delivery_id = null;
			record.skipped = !channel.is_active
				? 'channel inactive'
				: !channel.webhook_url
					? 'no webhook_url on the channel'
					: 'message.received is not in webhook_events';
		}
		broadcast('inbound', record);
		return {
			event,
			delivery_id: job?.delivery_id ?? null,
			inbound: record,
			...(record.skipped ? { skipped: record.skipped } : {}),
		};
	}

	// ---- API routes ----

	function recipientPreflight(channel, raw) {
		const recipient = String(raw).trim();
		const type = channel.channel_type;
		const fail = (reason, message, hint) => {
			throw new ApiError(400, {
				code: 'invalid_recipient',
				message,
				reason,
				hint,
				channel_type: type,
			});
		};
		if (!recipient) {
			fail(
				'empty',
				'recipient is empty.',
				type === 'whatsapp'
					? "Send the customer's phone number without '+' (data.from of the incoming message)."
					: `Send the ${type === 'instagram' ? 'IGSID' : 'PSID'} from data.from of the incoming message.`,
			);
		}
		if (!/\d/.test(recipient)) {
			fail(
				'no_digits',
				`recipient contains no digits (got ${JSON.stringify(recipient.slice(0, 40))}).`,
				'This looks like a name or a serialized object; map data.from of the incoming message to recipient.',
			);
		}
		if (type !== 'whatsapp' && !/^\d+$/.test(recipient)) {
			fail(
				'not_numeric',
				`recipient must be a numeric ${type === 'instagram' ? 'IGSID' : 'PSID'} on ${type === 'instagram' ? 'Instagram' : 'Messenger'} channels.`,
				'Use data.from of the incoming message, not a username or a profile link.',
			);
		}
		if (
			type === 'whatsapp' &&
			channel.phone_number &&
			digitsOf(recipient) === digitsOf(channel.phone_number)
		) {
			throw new ApiError(400, {
				code: 'recipient_equals_sender',
				message: `The recipient is this channel's own WhatsApp number (${channel.phone_number}).`,
				hint: 'Reply to data.from of the incoming message, not to the channel number.',
				channel_type: type,
			});
		}
		return recipient;
	}

	function metaFailure(recipient) {
		const map = cfg.failingRecipients ?? {};
		const code = map[recipient] ?? map[digitsOf(recipient)];
		if (code === undefined) return null;
		const titles = {
			131026: 'Message undeliverable: the recipient is not reachable on this platform.',
			131047:
				'Re-engagement message: more than 24 hours have passed since the customer last replied.',
			551: "This person isn't available right now.",
			100: 'Invalid parameter.',
			190: 'Error validating access token.',
		};
		return {
			code: Number(code),
			error: `(#${code}) ${titles[code] ?? 'Meta rejected the message.'}`,
		};
	}

	function acceptMessage(channel, key, fields) {
		const recipient = fields.recipient;
		const failure = metaFailure(recipient);
		const queued =
			!failure &&
			(cfg.queuedRecipients ?? []).some(
				(r) => r === recipient || digitsOf(r) === digitsOf(recipient),
			);
		const message = {
			seq: nextSeq(),
			ts: now(),
			message_id: randomUUID(),
			channel_id: channel.id,
			channel_type: channel.channel_type,
			key,
			...fields,
			status: failure ? 'failed' : queued ? 'queued' : 'sent',
		};
		if (failure) {
			message.error_code = failure.code;
			message.error = failure.error;
		}
		pushRecord(state.messages, message);
		broadcast('message', message);
		if (!failure) scheduleStatuses(message);
		const response = failure
			? {
					success: false,
					message_id: message.message_id,
					error: failure.error,
					error_code: failure.code,
					status: 'failed',
				}
			: {
					success: true,
					message_id: message.message_id,
					error: null,
					error_code: null,
					status: message.status,
				};
		return { status: 200, body: response, message };
	}

	function sendText({ body, key }) {
		const errors = checkFields(body, {
			channel_id: { type: 'string', required: true },
			recipient: { type: 'string', required: true, maxLength: 100 },
			text: { type: 'string', required: true, minLength: 1 },
		});
		if (!errors.length && !body.text.trim()) {
			errors.push(
				valueError('text', 'text must contain at least one non-whitespace character', body.text),
			);
		}
		unprocessable(errors);
		const channel = requireChannel(body.channel_id);
		requireOperable(channel);
		const recipient = recipientPreflight(channel, body.recipient);
		const max = TEXT_LIMITS[channel.channel_type];
		const length = codePoints(body.text);
		if (length > max) {
			throw new ApiError(400, {
				code: 'text_too_long',
				message: `Text exceeds ${channel.channel_type} limit of ${max} characters (got ${length}).`,
				actual_length: length,
				max_length: max,
				channel_type: channel.channel_type,
				hint: 'Split the text on your side and send as multiple messages.',
			});
		}
		return acceptMessage(channel, key, { recipient, kind: 'text', text: body.text });
	}

	function sendMedia({ body, key }) {
		const errors = checkFields(body, {
			channel_id: { type: 'string', required: true },
			recipient: { type: 'string', required: true, maxLength: 100 },
			media_type: { type: 'string', required: true },
			media_url: { type: 'string', nullable: true, maxLength: 2048 },
			sticker_id: { type: 'string', nullable: true, maxLength: 32 },
			caption: { type: 'string', nullable: true, maxLength: 1024 },
			filename: { type: 'string', nullable: true, maxLength: 255 },
		});
		if (!errors.length) {
			if (!MEDIA_TYPES.includes(body.media_type)) {
				errors.push(
					valueError(
						'media_type',
						`media_type must be one of ${MEDIA_TYPES.join(', ')}`,
						body.media_type,
					),
				);
			}
			const hasUrl = typeof body.media_url === 'string' && body.media_url !== '';
			const hasSticker = typeof body.sticker_id === 'string' && body.sticker_id !== '';
			if (hasUrl && hasSticker)
				errors.push(
					valueError('media_url', 'give either media_url or sticker_id, not both', body.media_url),
				);
			else if (!hasUrl && !hasSticker)
				errors.push(
					valueError(
						'media_url',
						'media_url is required (sticker_id for a Messenger sticker)',
						body.media_url ?? null,
					),
				);
			else if (hasSticker && body.media_type !== 'sticker')
				errors.push(
					valueError(
						'sticker_id',
						"sticker_id is only valid with media_type 'sticker'",
						body.sticker_id,
					),
				);
			if (hasSticker && !/^\d+$/.test(body.sticker_id))
				errors.push(
					valueError('sticker_id', 'sticker_id must contain only digits', body.sticker_id),
				);
			if (hasUrl) {
				const problem = urlProblem(body.media_url, { allowHttp: false });
				if (problem) errors.push(valueError('media_url', `media_url ${problem}`, body.media_url));
			}
		}
		unprocessable(errors);
		const channel = requireChannel(body.channel_id);
		requireOperable(channel);
		requirePro(channel, 'media messages');
		const recipient = recipientPreflight(channel, body.recipient);
		if (body.media_type === 'sticker') {
			const type = channel.channel_type;
			const fail = (reason, message, hint) => {
				throw new ApiError(400, {
					code: 'invalid_media_request',
					message,
					reason,
					hint,
					channel_type: type,
				});
			};
			if (type === 'instagram')
				fail(
					'sticker_unsupported',
					'Instagram has no sticker messages.',
					"Send the picture with media_type 'image' instead.",
				);
			if (type === 'whatsapp' && !body.media_url)
				fail(
					'media_url_required',
					'A WhatsApp sticker needs media_url (a WebP file).',
					'Pass an HTTPS URL of a 512x512 WebP file in media_url.',
				);
			if (type === 'facebook' && !body.sticker_id)
				fail(
					'sticker_id_required',
					'A Messenger sticker needs sticker_id (a Meta catalog sticker).',
					'Pass sticker_id, e.g. 369239263222822 (thumbs up), instead of media_url.',
				);
		}
		const fields = { recipient, kind: 'media', media_type: body.media_type };
		if (body.media_url) fields.media_url = body.media_url;
		if (body.sticker_id) fields.sticker_id = body.sticker_id;
		if (typeof body.caption === 'string' && body.media_type !== 'sticker')
			fields.caption = body.caption;
		if (typeof body.filename === 'string' && body.media_type !== 'sticker')
			fields.filename = body.filename;
		return acceptMessage(channel, key, fields);
	}

	function sendTemplate({ body, key }) {
		const errors = checkFields(body, {
			channel_id: { type: 'string', required: true },
			template_name: { type: 'string', required: true },
			language: { type: 'string', required: true },
			recipient: { type: 'string', required: true, maxLength: 100 },
			variables: { type: 'dict', nullable: true },
		});
		unprocessable(errors);
		const channel = requireChannel(body.channel_id);
		requireOperable(channel);
		requirePro(channel, 'WhatsApp templates');
		requireWhatsApp(channel);
		const recipient = recipientPreflight(channel, body.recipient);
		const template = state.templates.find(
			(t) =>
				t.channel_id === channel.id &&
				t.name === body.template_name &&
				t.language === body.language,
		);
		if (!template)
			throw new ApiError(
				404,
				`Template '${body.template_name}' (${body.language}) not found on this channel`,
			);
		if (template.status !== 'APPROVED') {
			throw new ApiError(
				400,
				`Template '${template.name}' is ${template.status}; only APPROVED templates can be sent`,
			);
		}
		const variables = body.variables ?? {};
		const mismatch = templateMismatch(template, variables);
		const fields = {
			recipient,
			kind: 'template',
			template_name: template.name,
			language: template.language,
			variables: clone(body.variables ?? null),
			...renderTemplate(template, variables),
		};
		if (mismatch) {
			const message = {
				seq: nextSeq(),
				ts: now(),
				message_id: randomUUID(),
				channel_id: channel.id,
				channel_type: channel.channel_type,
				key,
				...fields,
				status: 'failed',
				error_code: 132000,
				error: `(#132000) Number of parameters does not match the expected number of params: ${mismatch}`,
			};
			pushRecord(state.messages, message);
			broadcast('message', message);
			return {
				status: 200,
				body: {
					success: false,
					message_id: message.message_id,
					error: message.error,
					error_code: 132000,
					status: 'failed',
				},
				message,
			};
		}
		return acceptMessage(channel, key, fields);
	}

	/** Describes how `variables` fail to match the template's placeholders, or null. */
	function templateMismatch(template, variables) {
		const summary = templateVariables(template);
		const named = template.parameter_format === 'named';
		for (const part of ['header', 'body']) {
			const expected = summary[part] ?? [];
			const given = variables[part];
			if (!expected.length) {
				if (
					given !== undefined &&
					given !== null &&
					(Array.isArray(given) ? given.length : Object.keys(given).length)
				) {
					return `${part} takes no parameters`;
				}
				continue;
			}
			if (named) {
				if (!isObject(given))
					return `${part} expects named parameters ${expected.map((v) => v.name).join(', ')}`;
				const missing = expected
					.filter((v) => given[v.name] === undefined || given[v.name] === '')
					.map((v) => v.name);
				if (missing.length) return `${part} is missing ${missing.join(', ')}`;
			} else {
				if (!Array.isArray(given))
					return `${part} expects ${expected.length} positional parameter(s)`;
				if (given.length !== expected.length)
					return `${part} expects ${expected.length} parameter(s), got ${given.length}`;
			}
		}
		const buttonVars = summary.buttons ?? [];
		const givenButtons = Array.isArray(variables.buttons) ? variables.buttons : [];
		for (const button of buttonVars) {
			const entry = givenButtons.find((b) => isObject(b) && Number(b.index) === button.index);
			if (!entry || entry.value === undefined || entry.value === '')
				return `button ${button.index} expects a value`;
		}
		return null;
	}

	function renderTemplate(template, variables) {
		const find = (type) => template.components.find((c) => String(c.type).toUpperCase() === type);
		const header = find('HEADER');
		const body = find('BODY');
		const footer = find('FOOTER');
		const buttons = find('BUTTONS');
		const buttonValues = Array.isArray(variables.buttons) ? variables.buttons : [];
		return {
			text: fill(body?.text, variables.body),
			header: header?.text ? fill(header.text, variables.header) : null,
			footer: footer?.text ?? null,
			buttons: (buttons?.buttons ?? []).map((button, index) => {
				const value = buttonValues.find((b) => isObject(b) && Number(b.index) === index)?.value;
				return {
					type: button.type,
					text: button.text,
					url: button.url ? fill(button.url, value === undefined ? [] : [value]) : null,
				};
			}),
		};
	}

	function templateOut(template) {
		return {
			id: template.id,
			meta_template_id: template.meta_template_id,
			name: template.name,
			language: template.language,
			category: template.category,
			status: template.status,
			components: clone(template.components),
			parameter_format: template.parameter_format ?? 'positional',
			variables: templateVariables(template),
			synced_at: template.synced_at ?? null,
			created_at: template.created_at ?? null,
		};
	}

	function checkComponents(body, errors) {
		if (!Array.isArray(body.components)) return;
		body.components.forEach((component, index) => {
			if (!isObject(component)) return;
			if (typeof component.type !== 'string')
				errors.push(
					pydanticError(
						'missing',
						['body', 'components', index, 'type'],
						'Field required',
						component,
					),
				);
			const type = String(component.type ?? '').toUpperCase();
			if (
				type === 'HEADER' &&
				component.format &&
				String(component.format).toUpperCase() !== 'TEXT'
			) {
				errors.push(valueError('components', 'HEADER supports only format TEXT', component));
			}
		});
		if (
			!body.components.some((c) => isObject(c) && String(c.type ?? '').toUpperCase() === 'BODY')
		) {
			errors.push(valueError('components', 'BODY component is required', body.components));
		}
	}

	function scheduleReview(template) {
		if (cfg.templateReviewMs === null || cfg.templateReviewMs === undefined) return;
		later(scaled(cfg.templateReviewMs), () => {
			if (template.status === 'PENDING' && state.templates.includes(template))
				template.status = 'APPROVED';
		});
	}

	function templateRoutes() {
		return {
			list({ params, query }) {
				const channel = requireChannel(params.id);
				requireWhatsApp(channel);
				requirePro(channel, 'WhatsApp templates');
				const sync = parseBool(query.get('sync'), 'sync') ?? true;
				const status = query.get('status');
				let templates = state.templates.filter((t) => t.channel_id === channel.id);
				if (sync) for (const t of templates) t.synced_at = isoNaive(now());
				if (status) templates = templates.filter((t) => t.status === status.toUpperCase());
				return {
					status: 200,
					body: { templates: templates.map(templateOut), total: templates.length, synced: sync },
				};
			},
			get({ params }) {
				const channel = requireChannel(params.id);
				requireWhatsApp(channel);
				requirePro(channel, 'WhatsApp templates');
				const template = state.templates.find(
					(t) =>
						t.channel_id === channel.id &&
						(t.id === params.tid || t.meta_template_id === params.tid),
				);
				if (!template) throw new ApiError(404, 'Template not found');
				return { status: 200, body: templateOut(template) };
			},
			create({ params, body }) {
				const errors = checkFields(body, {
					name: { type: 'string', required: true, maxLength: 512, pattern: '^[a-z0-9_]+$' },
					category: {
						type: 'string',
						required: true,
						pattern: '^(MARKETING|UTILITY|AUTHENTICATION)$',
					},
					language: { type: 'string', required: true },
					components: { type: 'list', required: true, items: 'dict' },
					parameter_format: { type: 'string', pattern: '^(positional|named)$' },
				});
				if (!errors.length) checkComponents(body, errors);
				unprocessable(errors);
				const channel = requireChannel(params.id);
				requireWhatsApp(channel);
				requireOperable(channel);
				requirePro(channel, 'WhatsApp templates');
				if (
					state.templates.some(
						(t) =>
							t.channel_id === channel.id && t.name === body.name && t.language === body.language,
					)
				) {
					throw new ApiError(400, `Template '${body.name}' (${body.language}) already exists`);
				}
				const lockedUntil = state.lockedTemplateNames.get(`${channel.id}:${body.name}`);
				if (lockedUntil && lockedUntil > now()) {
					throw new ApiError(
						400,
						`The name '${body.name}' belonged to an approved template deleted less than 30 days ago; Meta does not allow reusing it yet`,
					);
				}
				const t = now();
				const template = {
					channel_id: channel.id,
					id: `tpl_${hex(6)}`,
					meta_template_id: String(900000000000000 + Math.floor(rng() * 99999999)),
					name: body.name,
					language: body.language,
					category: body.category,
					status: 'PENDING',
					parameter_format: body.parameter_format ?? 'positional',
					components: clone(body.components),
					synced_at: isoNaive(t),
					created_at: isoNaive(t),
				};
				state.templates.push(template);
				scheduleReview(template);
				return { status: 201, body: templateOut(template) };
			},
			update({ params, body }) {
				const errors = checkFields(body, {
					components: { type: 'list', required: true, items: 'dict' },
					category: {
						type: 'string',
						nullable: true,
						pattern: '^(MARKETING|UTILITY|AUTHENTICATION)$',
					},
				});
				if (!errors.length) checkComponents(body, errors);
				unprocessable(errors);
				const channel = requireChannel(params.id);
				requireWhatsApp(channel);
				requireOperable(channel);
				requirePro(channel, 'WhatsApp templates');
				const template = state.templates.find(
					(t) =>
						t.channel_id === channel.id &&
						(t.id === params.tid || t.meta_template_id === params.tid),
				);
				if (!template) throw new ApiError(404, 'Template not found');
				if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(template.status)) {
					throw new ApiError(
						400,
						`Only APPROVED, REJECTED or PAUSED templates can be edited (this one is ${template.status})`,
					);
				}
				if (
					body.category &&
					body.category !== template.category &&
					template.status === 'APPROVED'
				) {
					throw new ApiError(400, 'The category of an approved template cannot be changed');
				}
				if (
					template.status === 'APPROVED' &&
					template.edited_at &&
					now() - template.edited_at < scaled(24 * 3600 * 1000)
				) {
					throw new ApiError(400, 'Approved templates can be edited once per 24 hours');
				}
				template.components = clone(body.components);
				if (body.category) template.category = body.category;
				template.status = 'PENDING';
				template.edited_at = now();
				scheduleReview(template);
				return { status: 200, body: templateOut(template) };
			},
			remove({ params, query }) {
				const channel = requireChannel(params.id);
				requireWhatsApp(channel);
				requirePro(channel, 'WhatsApp templates');
				const template = state.templates.find(
					(t) =>
						t.channel_id === channel.id &&
						(t.id === params.tid || t.meta_template_id === params.tid),
				);
				if (!template) throw new ApiError(404, 'Template not found');
				const all = parseBool(query.get('all_languages'), 'all_languages') ?? false;
				const doomed = state.templates.filter(
					(t) => t === template || (all && t.channel_id === channel.id && t.name === template.name),
				);
				for (const t of doomed) {
					if (t.status === 'APPROVED')
						state.lockedTemplateNames.set(
							`${channel.id}:${t.name}`,
							now() + scaled(30 * 24 * 3600 * 1000),
						);
				}
				state.templates = state.templates.filter((t) => !doomed.includes(t));
				return {
					status: 200,
					body: { success: true, deleted: doomed.length, deleted_ids: doomed.map((t) => t.id) },
				};
			},
		};
	}

	function channelRoutes() {
		return {
			list() {
				return {
					status: 200,
					body: { channels: state.channels.map(publicChannel), total: state.channels.length },
				};
			},
			get({ params }) {
				return { status: 200, body: publicChannel(requireChannel(params.id)) };
			},
			update({ params, body }) {
				const errors = checkWebhookFields(body);
				if (!errors.length)
					errors.push(
						...checkFields(body, {
							subscription_id: { type: 'string', nullable: true, maxLength: 16 },
						}),
					);
				unprocessable(errors);
				const channel = requireChannel(params.id);
				if (typeof body.subscription_id === 'string')
					moveSubscription(channel, body.subscription_id);
				const revealed = applyWebhookSettings(channel, body);
				broadcast('channel', publicChannel(channel));
				return {
					status: 200,
					body: {
						id: channel.id,
						webhook_url: channel.webhook_url,
						webhook_secret: revealed,
						webhook_events: [...channel.webhook_events],
						echo_statuses: channel.echo_statuses,
						has_webhook_secret: Boolean(channel.webhook_secret),
						subscription: { ...channel.subscription },
					},
				};
			},
			remove({ params }) {
				const channel = requireChannel(params.id);
				channel.is_active = false;
				broadcast('channel', publicChannel(channel));
				return {
					status: 200,
					body: {
						success: true,
						channel_id: channel.id,
						is_active: false,
						message: 'Channel deactivated',
					},
				};
			},
			setupUrl({ body, key }) {
				const errors = checkFields(body, {
					channel_type: {
						type: 'string',
						required: true,
						pattern: '^(whatsapp|instagram|facebook)$',
					},
					redirect_uri: { type: 'string', required: true, maxLength: 500 },
				});
				unprocessable(errors);
				const allowed = state.redirects.some(
					(r) => r.key === key && patternMatches(r.uri_pattern, body.redirect_uri),
				);
				if (!allowed) {
					throw new ApiError(
						400,
						'redirect_uri is not in the allowed redirect URIs for this API key. Add it with POST /api/v1/redirects first.',
					);
				}
				ledger.requireActiveAccount();
				if (freeSlotsFor(body.channel_type) <= 0) {
					const occupied = state.channels
						.filter((c) => c.channel_type === body.channel_type && c.subscription?.id)
						.map((c) => c.id);
					throw new ApiError(409, {
						code: 'no_free_slot',
						message: `Every ${body.channel_type} subscription slot is taken. Reconnect or release one of the channels holding them, or add a subscription.`,
						channel_type: body.channel_type,
						occupied_by: occupied,
					});
				}
				const session = {
					id: hex(8),
					channel_type: body.channel_type,
					redirect_uri: body.redirect_uri,
					key,
					expires: now() + scaled(SETUP_URL_TTL_S * 1000),
				};
				state.sessions.set(session.id, session);
				return {
					status: 200,
					body: {
						setup_url: `${publicUrl}/setup/start?session=${session.id}`,
						session_id: session.id,
						expires_at: isoNaive(session.expires),
					},
				};
			},
			exchangeCode({ body }) {
				const errors = checkFields(body, { code: { type: 'string', required: true } });
				if (!errors.length) errors.push(...checkWebhookFields(body));
				unprocessable(errors);
				const grant = state.codes.get(body.code);
				if (!grant || grant.used || grant.expires < now())
					throw new ApiError(400, 'Invalid or expired code');
				grant.used = true;
				const channel = grant.channel_id
					? findChannel(grant.channel_id)
					: createChannel(grant.channel_type);
				if (!channel) throw new ApiError(400, 'Invalid or expired code');
				channel.is_active = true;
				channel.connected_at = isoNaive(now());
				const revealed = applyWebhookSettings(channel, body);
				broadcast('channel', publicChannel(channel));
				return {
					status: 200,
					body: {
						channel_id: channel.id,
						channel_type: channel.channel_type,
						name: channel.name,
						phone_number_id: channel.phone_number_id,
						phone_number: channel.phone_number,
						ig_account_id: channel.ig_account_id,
						ig_username: channel.ig_username,
						page_id: channel.page_id,
						webhook_url: channel.webhook_url,
						webhook_secret: revealed,
						webhook_events: [...channel.webhook_events],
						echo_statuses: channel.echo_statuses,
					},
				};
			},
			profile({ params }) {
				const channel = requireChannel(params.id);
				if (channel.channel_type === 'whatsapp') {
					throw new ApiError(
						400,
						'Sender profile is not supported for WhatsApp channels; the name is in data.from_name of the webhook.',
					);
				}
				requireOperable(channel);
				const cacheKey = `${channel.id}:${params.uid}`;
				const cachedUntil = state.profileCache.get(cacheKey);
				const cached = Boolean(cachedUntil && cachedUntil > now());
				const profile = state.profiles.get(`${channel.channel_type}:${params.uid}`) ?? null;
				if (!cached) state.profileCache.set(cacheKey, now() + scaled(PROFILE_CACHE_S * 1000));
				const out = profile ? { ...profile } : null;
				if (out && out.profile_pic === null)
					out.profile_pic = `${publicUrl}/_sandbox/avatar/${encodeURIComponent(params.uid)}.svg`;
				return {
					status: 200,
					body: {
						channel_id: channel.id,
						channel_type: channel.channel_type,
						user_id: params.uid,
						profile: out,
						cached,
					},
				};
			},
		};
	}

	function moveSubscription(channel, subscriptionId) {
		if (subscriptionId === '') {
			if (channel.is_active) {
				throw new ApiError(
					400,
					'Releasing a subscription slot requires a deactivated channel. DELETE /api/v1/channels/{channel_id} first.',
				);
			}
			if (channel.subscription?.id) state.slotsUsed[channel.channel_type] -= 1;
			channel.subscription = {
				id: null,
				status: 'none',
				source: null,
				tier: null,
				expires_at: null,
				auto_renew: false,
			};
			return;
		}
		ledger.checkMove(channel, subscriptionId);
		if (!channel.subscription?.id) state.slotsUsed[channel.channel_type] += 1;
		channel.subscription = ledger.infoFor(subscriptionId);
	}

	function createChannel(type) {
		const t = now();
		const count = state.channels.filter((c) => c.channel_type === type).length + 1;
		const id = hex(8);
		const n = String(count).padStart(3, '0');
		const channel = {
			...seedChannels(t).find((c) => c.channel_type === type),
			id,
			webhook_url: null,
			webhook_secret: null,
			webhook_events: [],
			subscription: ledger.assign(type),
		};
		if (type === 'whatsapp')
			Object.assign(channel, {
				name: `Sandbox WhatsApp ${count}`,
				phone_number: `+1555000${n.padStart(4, '0')}`,
				phone_number_id: `10000000000${n.padStart(4, '0')}`,
			});
		if (type === 'instagram')
			Object.assign(channel, {
				name: `sandbox_shop_${count}`,
				ig_username: `sandbox_shop_${count}`,
				ig_account_id: `1784140000000${n.padStart(4, '0')}`,
			});
		if (type === 'facebook')
			Object.assign(channel, {
				name: `Sandbox Page ${count}`,
				page_id: `10000000000${n.padStart(4, '0')}`,
			});
		state.channels.push(channel);
		state.slotsUsed[type] += 1;
		return channel;
	}

	function subscriptionsView() {
		return ledger.view();
	}

	function redirectRoutes() {
		return {
			list({ key }) {
				return {
					status: 200,
					body: {
						redirects: state.redirects
							.filter((r) => r.key === key)
							.map(({ id, uri_pattern, created_at }) => ({ id, uri_pattern, created_at })),
					},
				};
			},
			add({ body, key }) {
				const errors = checkFields(body, {
					uri_pattern: { type: 'string', required: true, maxLength: 500 },
				});
				if (!errors.length) {
					const problem = urlProblem(body.uri_pattern, {
						allowHttp: cfg.allowHttpUrls,
						wildcard: true,
					});
					if (problem)
						errors.push(valueError('uri_pattern', `uri_pattern ${problem}`, body.uri_pattern));
					else {
						const query = new URL(body.uri_pattern.replace(/\*/g, 'wildcard')).searchParams;
						const reserved = ['code', 'status', 'channel_type', 'error'].filter((name) =>
							query.has(name),
						);
						if (reserved.length)
							errors.push(
								valueError(
									'uri_pattern',
									`uri_pattern must not use the reserved query keys ${reserved.join(', ')}`,
									body.uri_pattern,
								),
							);
					}
				}
				unprocessable(errors);
				if (state.redirects.some((r) => r.key === key && r.uri_pattern === body.uri_pattern)) {
					throw new ApiError(400, 'This redirect URI is already allowed');
				}
				const redirect = {
					id: `redir_${hex(6)}`,
					uri_pattern: body.uri_pattern,
					created_at: isoNaive(now()),
					key,
				};
				state.redirects.push(redirect);
				return { status: 201, body: { id: redirect.id, uri_pattern: redirect.uri_pattern } };
			},
			remove({ params, key }) {
				const index = state.redirects.findIndex((r) => r.id === params.rid && r.key === key);
				if (index < 0) throw new ApiError(404, 'Redirect URI not found');
				state.redirects.splice(index, 1);
				return { status: 200, body: { success: true } };
			},
		};
	}

	function downloadMedia({ params }) {
		const media = state.media.get(params.mid);
		if (!media) throw new ApiError(404, 'Media not found');
		if (media.expires <= now()) {
			state.media.delete(params.mid);
			media.bytes = null;
			throw new ApiError(410, 'Media file expired. Inbound files are kept for 60 minutes.');
		}
		const headers = {
			'content-type': media.mime_type,
			'content-length': String(media.bytes.length),
		};
		if (media.filename) {
			const ascii = media.filename.replace(/[^\x20-\x7e]|"/g, '_');
			headers['content-disposition'] =
				`attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(media.filename)}`;
		}
		return { status: 200, raw: media.bytes, headers };
	}

	const channels = channelRoutes();
	const templates = templateRoutes();
	const redirects = redirectRoutes();
	const ROUTES = [
		['GET', /^\/api\/v1\/channels$/, [], channels.list],
		['POST', /^\/api\/v1\/channels\/setup-url$/, [], channels.setupUrl],
		['POST', /^\/api\/v1\/channels\/exchange-code$/, [], channels.exchangeCode],
		['GET', /^\/api\/v1\/channels\/([^/]+)\/profile\/([^/]+)$/, ['id', 'uid'], channels.profile],
		['GET', /^\/api\/v1\/channels\/([^/]+)\/templates$/, ['id'], templates.list],
		['POST', /^\/api\/v1\/channels\/([^/]+)\/templates$/, ['id'], templates.create],
		['GET', /^\/api\/v1\/channels\/([^/]+)\/templates\/([^/]+)$/, ['id', 'tid'], templates.get],
		['PUT', /^\/api\/v1\/channels\/([^/]+)\/templates\/([^/]+)$/, ['id', 'tid'], templates.update],
		[
			'DELETE',
			/^\/api\/v1\/channels\/([^/]+)\/templates\/([^/]+)$/,
			['id', 'tid'],
			templates.remove,
		],
		['GET', /^\/api\/v1\/channels\/([^/]+)$/, ['id'], channels.get],
		['PATCH', /^\/api\/v1\/channels\/([^/]+)$/, ['id'], channels.update],
		['DELETE', /^\/api\/v1\/channels\/([^/]+)$/, ['id'], channels.remove],
		['GET', /^\/api\/v1\/subscriptions$/, [], () => ({ status: 200, body: subscriptionsView() })],
		['GET', /^\/api\/v1\/redirects$/, [], redirects.list],
		['POST', /^\/api\/v1\/redirects$/, [], redirects.add],
		['DELETE', /^\/api\/v1\/redirects\/([^/]+)$/, ['rid'], redirects.remove],
		['POST', /^\/api\/v1\/messages\/send$/, [], sendText, 'send'],
		['POST', /^\/api\/v1\/messages\/send-media$/, [], sendMedia, 'send'],
		['POST', /^\/api\/v1\/messages\/send-template$/, [], sendTemplate, 'send'],
		['GET', /^\/api\/v1\/media\/([^/]+)$/, ['mid'], downloadMedia],
	];

	function matchRoute(method, path) {
		let pathMatched = false;
		for (const [routeMethod, pattern, names, handler, kind] of ROUTES) {
			const match = pattern.exec(path);
			if (!match) continue;
			pathMatched = true;
			if (routeMethod !== method) continue;
			const params = {};
			names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1])));
			return { handler, params, send: kind === 'send' };
		}
		return pathMatched ? 'method' : null;
	}

	function apiKeyOf(req) {
		const header = req.headers['x-api-key'];
		if (typeof header === 'string' && header.trim())
			return { key: header.trim(), via: 'x-api-key' };
		const auth = req.headers.authorization;
		if (typeof auth === 'string') {
			const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
			if (match) return { key: match[1].trim(), via: 'bearer' };
		}
		return null;
	}

	/** Fixed 1-second windows; returns the bucket state after counting (or the refusal). */
	function takeBuckets(specs) {
		const t = now();
		const views = specs.map(({ id, limit }) => {
			let bucket = buckets.get(id);
			if (!bucket || t >= bucket.start + 1000) {
				bucket = { start: t, count: 0 };
				buckets.set(id, bucket);
			}
			return { id, limit, bucket, resetMs: bucket.start + 1000 - t };
		});
		const refused = views.find((view) => view.bucket.count >= view.limit);
		if (refused) return { refused, views };
		for (const view of views) view.bucket.count += 1;
		return { views };
	}

	function rateHeaders(view, remaining) {
		return {
			'x-ratelimit-limit': String(view.limit),
			'x-ratelimit-remaining': String(Math.max(0, remaining)),
			'x-ratelimit-reset': (Math.max(0, view.resetMs) / 1000).toFixed(3),
		};
	}

	function sendJson(res, status, body, headers = {}) {
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
	}

	function readBody(req, limit) {
		return new Promise((resolve, reject) => {
			const chunks = [];
			let size = 0;
			req.on('data', (chunk) => {
				size += chunk.length;
				if (size > limit) {
					reject(new ApiError(413, `Request body larger than ${limit} bytes`));
					req.destroy();
					return;
				}
				chunks.push(chunk);
			});
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}

	async function handleApi(req, res, url) {
		const entry = {
			seq: nextSeq(),
			ts: now(),
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			status: 0,
			body: undefined,
			key: null,
		};
		pushRecord(state.log, entry);
		ledger.tick();
		let headers = {};
		const respond = (status, body, extra = {}) => {
			entry.status = status;
			entry.ms = now() - entry.ts;
			if (body !== undefined && !Buffer.isBuffer(body)) entry.response = body;
			if (cfg.log)
				console.log(
					`${req.method} ${url.pathname} → ${status}${entry.fault ? ` (${entry.fault})` : ''}`,
				);
			broadcast('api', {
				seq: entry.seq,
				ts: entry.ts,
				method: entry.method,
				path: entry.path,
				status,
				fault: entry.fault ?? null,
			});
			if (entry.fault === 'reset') {
				req.socket.destroy();
				return;
			}
			if (Buffer.isBuffer(body)) {
				res.writeHead(status, { ...headers, ...extra });
				res.end(body);
			} else sendJson(res, status, body, { ...headers, ...extra });
		};
		let raw;
		try {
			raw = await readBody(req, API_BODY_LIMIT);
		} catch (error) {
			if (error instanceof ApiError) respond(error.status, { detail: error.detail });
			return;
		}
		let body;
		let bodyError = null;
		if (raw.length) {
			const text = raw.toString('utf8');
			try {
				body = JSON.parse(text);
			} catch (error) {
				body = text;
				bodyError = [
					pydanticError(
						'json_invalid',
						['body', 0],
						'JSON decode error',
						{},
						{ error: String(error.message) },
					),
				];
			}
		}
		entry.body = body;
		const wait = Number(cfg.latencyMs || 0) + rng() * Number(cfg.jitterMs || 0);
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		if (closed) return;

		const auth = apiKeyOf(req);
		entry.key = auth?.key ?? null;
		if (auth) entry.auth = auth.via;
		if (!auth) return respond(401, { detail: 'Missing API key. Send it in the X-API-Key header.' });
		if (!(cfg.apiKeys ?? []).includes(auth.key)) return respond(401, { detail: 'Invalid API key' });

		const route = matchRoute(req.method, url.pathname);
		if (route === null) return respond(404, { detail: 'Not Found' });
		if (route === 'method') return respond(405, { detail: 'Method Not Allowed' });

		const specs = [];
		if (cfg.perKeyPerSecond && (!route.send || cfg.perKeyIncludesSends)) {
			specs.push({ id: `key:${auth.key}`, limit: Number(cfg.perKeyPerSecond) });
		}
		if (
			route.send &&
			cfg.perChannelSendsPerSecond &&
			isObject(body) &&
			typeof body.channel_id === 'string'
		) {
			specs.push({ id: `send:${body.channel_id}`, limit: Number(cfg.perChannelSendsPerSecond) });
		}
		if (specs.length) {
			const taken = takeBuckets(specs);
			if (taken.refused) {
				const view = taken.refused;
				headers = rateHeaders(view, 0);
				const retryAfter = Math.max(1, Math.ceil(view.resetMs / 1000));
				const what = view.id.startsWith('send:')
					? `${view.limit} sends per second for this channel`
					: `${view.limit} requests per second for this API key`;
				entry.throttled = true;
				return respond(
					429,
					{ detail: `Rate limit exceeded: ${what}. Retry after ${retryAfter} s.` },
					{ 'retry-after': String(retryAfter) },
				);
			}
			const tightest = taken.views.reduce((best, view) => {
				const remaining = view.limit - view.bucket.count;
				return !best || remaining < best.remaining ? { view, remaining } : best;
			}, null);
			headers = rateHeaders(tightest.view, tightest.remaining);
		}

		const faults = cfg.faults ?? {};
		const inScope = faults.scope !== 'sends' || route.send;
		if (inScope && faults.status503Ratio > 0 && rng() < faults.status503Ratio) {
			const retryAfter = Math.max(1, Math.round(Number(faults.retryAfterSeconds ?? 1)));
			entry.fault = '503';
			return respond(
				503,
				{ detail: `Temporarily overloaded. Retry after ${retryAfter} s.` },
				{ 'retry-after': String(retryAfter) },
			);
		}
		if (bodyError) return respond(422, { detail: bodyError });

		let result;
		try {
			result = await route.handler({
				req,
				body,
				params: route.params,
				query: url.searchParams,
				key: auth.key,
			});
		} catch (error) {
			if (error instanceof ApiError)
				return respond(error.status, { detail: error.detail }, error.headers);
			console.error(error);
			return respond(500, { detail: 'Internal sandbox error' });
		}
		if (inScope && faults.resetAfterWriteRatio > 0 && rng() < faults.resetAfterWriteRatio) {
			entry.fault = 'reset';
			if (result.message) result.message.reset = true;
		}
		if (result.raw) return respond(result.status, result.raw, result.headers);
		return respond(result.status, result.body, result.headers);
	}

	// ---- control API, page and fake OAuth ----

	function since(list, query) {
		const after = Number(query.get('since') ?? 0);
		return after ? list.filter((record) => record.seq > after) : list;
	}

	function upsertChannel(body) {
		if (!isObject(body)) throw new ApiError(422, 'Body must be a JSON object');
		let channel = findChannel(body.id);
		if (!channel) {
			if (!body.id || !['whatsapp', 'instagram', 'facebook'].includes(body.channel_type)) {
				throw new ApiError(
					422,
					'A new channel needs id and channel_type (whatsapp, instagram or facebook)',
				);
			}
			channel = {
				...seedChannels(now()).find((c) => c.channel_type === body.channel_type),
				id: String(body.id),
			};
			channel.subscription = { ...channel.subscription };
			state.channels.push(channel);
		}
		const { tier, subscription, health, ...fields } = body;
		for (const [key, value] of Object.entries(fields)) {
			if (key === 'webhook_events' && Array.isArray(value)) channel.webhook_events = [...value];
			else if (key !== 'id' && key !== 'has_webhook_secret') channel[key] = value;
		}
		if (isObject(subscription)) channel.subscription = { ...channel.subscription, ...subscription };
		if (tier !== undefined) channel.subscription = { ...channel.subscription, tier };
		if (isObject(health)) channel.health = { ...channel.health, ...health };
		broadcast('channel', publicChannel(channel));
		return channel;
	}

	function upsertTemplate(body) {
		if (!isObject(body)) throw new ApiError(422, 'Body must be a JSON object');
		let template = body.id ? state.templates.find((t) => t.id === body.id) : undefined;
		template ??= state.templates.find(
			(t) =>
				t.channel_id === body.channel_id && t.name === body.name && t.language === body.language,
		);
		if (!template) {
			if (!body.channel_id || !body.name || !body.language)
				throw new ApiError(422, 'A new template needs channel_id, name and language');
			const t = now();
			template = {
				channel_id: body.channel_id,
				id: body.id ?? `tpl_${hex(6)}`,
				meta_template_id: String(900000000000000 + Math.floor(rng() * 99999999)),
				name: body.name,
				language: body.language,
				category: 'UTILITY',
				status: 'APPROVED',
				parameter_format: 'positional',
				components: [{ type: 'BODY', text: '' }],
				synced_at: isoNaive(t),
				created_at: isoNaive(t),
			};
			state.templates.push(template);
		}
		for (const key of [
			'channel_id',
			'name',
			'language',
			'status',
			'category',
			'components',
			'parameter_format',
			'meta_template_id',
		]) {
			if (body[key] !== undefined) template[key] = clone(body[key]);
		}
		return template;
	}

	function controlState() {
		return {
			channels: clone(state.channels),
			templates: clone(state.templates),
			messages: state.messages,
			deliveries: state.deliveries,
			inbound: state.inbound,
			redirects: state.redirects,
			media: [...state.media.values()].map(({ bytes, ...rest }) => ({
				...rest,
				size: bytes?.length ?? 0,
			})),
			config: cfg,
		};
	}

	function pageState() {
		return {
			channels: state.channels.map((channel) => ({
				...publicChannel(channel),
				customer: SEED.customers[channel.channel_type],
			})),
			customers: SEED.customers,
			inbound: state.inbound.slice(-500),
			messages: state.messages.slice(-500),
			deliveries: state.deliveries.slice(-300),
			log: state.log.slice(-50).map(({ seq, ts, method, path, status, fault }) => ({
				seq,
				ts,
				method,
				path,
				status,
				fault: fault ?? null,
			})),
			apiKey: (cfg.apiKeys ?? []).includes(DEMO_API_KEY) ? DEMO_API_KEY : null,
			publicUrl,
		};
	}

	async function deliverRaw(body) {
		if (!isObject(body) || !isObject(body.event))
			throw new ApiError(422, 'Body needs channel_id and event (the full payload object)');
		const channel = requireChannel(body.channel_id);
		const url = body.url ?? channel.webhook_url;
		if (!url) throw new ApiError(400, 'The channel has no webhook_url (pass url to override)');
		const mode = body.signature ?? 'valid';
		if (!['valid', 'forged', 'none'].includes(mode))
			throw new ApiError(422, "signature must be 'valid', 'forged' or 'none'");
		if (mode === 'valid' && !channel.webhook_secret)
			throw new ApiError(
				400,
				'The channel has no webhook_secret, so a valid signature cannot be made',
			);
		const job = {
			delivery_id: `dlv_${hex(8)}`,
			channel_id: channel.id,
			event: body.event.event ?? null,
			raw: typeof body.raw === 'string' ? body.raw : JSON.stringify(body.event),
			url,
			signature: null,
			ref: { kind: 'manual', signature: mode },
			retries: false,
			attempts: 0,
			created: now(),
			state: 'pending',
		};
		state.deliveryJobs.set(job.delivery_id, job);
		const { result } = await attempt(job, { mode });
		return {
			delivery_id: job.delivery_id,
			status: result.status,
			body: parsedOrText(result.body),
			...(result.error ? { error: result.error } : {}),
		};
	}

	async function redeliver(body) {
		const job = state.deliveryJobs.get(body?.delivery_id);
		if (!job || !job.attempts) throw new ApiError(404, 'Unknown delivery_id');
		const { result } = await attempt(job, { redeliver: true });
		return {
			delivery_id: job.delivery_id,
			status: result.status,
			body: parsedOrText(result.body),
			...(result.error ? { error: result.error } : {}),
		};
	}

	function setMessageStatus(body) {
		const message = state.messages.find((m) => m.message_id === body?.message_id);
		if (!message) throw new ApiError(404, 'Unknown message_id');
		const status = body.status;
		if (!['sent', 'delivered', 'read', 'failed'].includes(status))
			throw new ApiError(422, "status must be 'sent', 'delivered', 'read' or 'failed'");
		const failure =
			status === 'failed'
				? { code: Number(body.error_code ?? 131047), error: body.error ?? 'Message undeliverable' }
				: undefined;
		if (status === 'sent' && message.status !== 'queued') {
			emitStatusWebhook(message, 'sent');
			return { message_id: message.message_id, status: message.status };
		}
		const changed = setStatus(message, status, failure);
		return { message_id: message.message_id, status: message.status, changed };
	}

	function issueCode({ channel_type: type, channel_id: channelId } = {}) {
		const existing = channelId ? findChannel(channelId) : undefined;
		if (channelId && !existing) throw new ApiError(404, 'Channel not found');
		const channelType = existing?.channel_type ?? type;
		if (!['whatsapp', 'instagram', 'facebook'].includes(channelType))
			throw new ApiError(422, 'channel_type must be whatsapp, instagram or facebook');
		if (!existing) {
			if (freeSlotsFor(channelType) <= 0)
				throw new ApiError(409, {
					code: 'no_free_slot',
					message: `No free ${channelType} slot`,
					occupied_by: state.channels
						.filter((c) => c.channel_type === channelType)
						.map((c) => c.id),
				});
		}
		const code = hex(16);
		state.codes.set(code, {
			code,
			channel_type: channelType,
			channel_id: existing?.id ?? null,
			used: false,
			expires: now() + scaled(CODE_TTL_S * 1000),
		});
		return { code, channel_type: channelType, channel_id: existing?.id ?? null };
	}

	async function handleControl(req, res, url) {
		const path = url.pathname;
		const method = req.method;
		if (method === 'GET' && path === '/_sandbox/stream') {
			res.writeHead(200, {
				'content-type': 'text/event-stream',
				'cache-control': 'no-cache',
				connection: 'keep-alive',
				'x-accel-buffering': 'no',
			});
			res.write('retry: 1000\n\n');
			res.write(`event: hello\ndata: ${JSON.stringify({ seq, url: publicUrl })}\n\n`);
			sseClients.add(res);
			req.on('close', () => sseClients.delete(res));
			return;
		}
		let body;
		if (method === 'POST') {
			const raw = await readBody(req, CONTROL_BODY_LIMIT);
			if (raw.length) {
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch {
					throw new ApiError(400, 'Body must be JSON');
				}
			}
		}
		const key = `${method} ${path}`;
		const mediaMatch = /^\/_sandbox\/media\/([^/]+)$/.exec(path);
		const avatarMatch = /^\/_sandbox\/avatar\/([^/]+)\.svg$/.exec(path);
		if (method === 'GET' && mediaMatch) {
			const media = state.media.get(decodeURIComponent(mediaMatch[1]));
			if (!media?.bytes) throw new ApiError(404, 'Media not found');
			res.writeHead(200, { 'content-type': media.mime_type, 'cache-control': 'no-store' });
			res.end(media.bytes);
			return;
		}
		if (method === 'GET' && avatarMatch) {
			const initial = (decodeURIComponent(avatarMatch[1])[0] ?? 'A').toUpperCase();
			res.writeHead(200, { 'content-type': 'image/svg+xml' });
			res.end(
				`<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="48" fill="#6d7cff"/><text x="48" y="60" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">${initial.replace(/[^A-Z0-9]/g, 'A')}</text></svg>`,
			);
			return;
		}
		switch (key) {
			case 'GET /_sandbox/state':
				return sendJson(res, 200, controlState());
			case 'GET /_sandbox/page-state':
				return sendJson(res, 200, pageState());
			case 'POST /_sandbox/reset':
				api.reset();
				return sendJson(res, 200, { ok: true });
			case 'GET /_sandbox/config':
				return sendJson(res, 200, cfg);
			case 'POST /_sandbox/config':
				api.configure(body ?? {});
				return sendJson(res, 200, cfg);
			case 'POST /_sandbox/channels': {
				const channel = upsertChannel(body);
				return sendJson(res, 200, clone(channel));
			}
			case 'POST /_sandbox/templates':
				return sendJson(res, 200, templateOut(upsertTemplate(body)));
			case 'POST /_sandbox/profiles': {
				if (
					!isObject(body) ||
					!body.user_id ||
					!['instagram', 'facebook'].includes(body.channel_type)
				) {
					throw new ApiError(
						422,
						'Body needs channel_type (instagram|facebook), user_id and profile (object or null)',
					);
				}
				if (body.profile === null) state.profiles.delete(`${body.channel_type}:${body.user_id}`);
				else state.profiles.set(`${body.channel_type}:${body.user_id}`, { ...body.profile });
				state.profileCache.clear();
				return sendJson(res, 200, { ok: true });
			}
			case 'POST /_sandbox/inbound':
				return sendJson(res, 200, receiveInbound(body));
			case 'POST /_sandbox/deliver':
				return sendJson(res, 200, await deliverRaw(body));
			case 'POST /_sandbox/redeliver':
				return sendJson(res, 200, await redeliver(body));
			case 'POST /_sandbox/status':
				return sendJson(res, 200, setMessageStatus(body));
			case 'POST /_sandbox/read': {
				const channel = requireChannel(body?.channel_id);
				return sendJson(res, 200, { read: readConversation(channel.id, body?.recipient) });
			}
			case 'POST /_sandbox/oauth/code':
				return sendJson(res, 200, issueCode(body));
			case 'POST /_sandbox/media/expire': {
				const media = state.media.get(body?.media_id);
				if (!media) throw new ApiError(404, 'Media not found');
				media.expires = now() - 1;
				return sendJson(res, 200, { ok: true });
			}
			case 'GET /_sandbox/log':
				return sendJson(res, 200, since(state.log, url.searchParams));
			case 'GET /_sandbox/messages':
				return sendJson(res, 200, since(state.messages, url.searchParams));
			case 'GET /_sandbox/deliveries':
				return sendJson(res, 200, since(state.deliveries, url.searchParams));
			case 'GET /_sandbox/inbound':
				return sendJson(res, 200, since(state.inbound, url.searchParams));
			case 'GET /_sandbox/subscriptions':
				return sendJson(res, 200, subscriptionsView());
			default: {
				const handled = ledger.control(key, body);
				if (handled === undefined) throw new ApiError(404, `No control route ${key}`);
				return sendJson(res, 200, handled);
			}
		}
	}

	function html(res, status, text) {
		res.writeHead(status, {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
		});
		res.end(text);
	}

	const escapeHtml = (text) =>
		String(text).replace(
			/[&<>"']/g,
			(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
		);

	function redirectTo(res, target, params) {
		const url = new URL(target);
		for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
		res.writeHead(302, { location: url.toString() });
		res.end();
	}

	/** The stand-in for Meta's OAuth dialog behind `setup_url`. */
	function handleSetup(req, res, url) {
		const session = state.sessions.get(url.searchParams.get('session') ?? '');
		if (!session) return html(res, 404, '<h1>Unknown setup session</h1>');
		if (url.pathname === '/setup/start') {
			const reconnectable = state.channels.filter((c) => c.channel_type === session.channel_type);
			const label = {
				whatsapp: 'WhatsApp',
				instagram: 'Instagram',
				facebook: 'Facebook Messenger',
			}[session.channel_type];
			const options = [
				`<option value="">A new ${label} account</option>`,
				...reconnectable.map(
					(c) =>
						`<option value="${escapeHtml(c.id)}">Reconnect ${escapeHtml(c.name)} (${escapeHtml(c.id)})</option>`,
				),
			].join('');
			return html(
				res,
				200,
				`<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Connect ${label} — Fiwano sandbox</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#f0f2f5;display:grid;place-items:center;min-height:100vh;margin:0}form{background:#fff;padding:28px 32px;border-radius:12px;box-shadow:0 2px 12px #0002;max-width:420px}h1{font-size:20px;margin:0 0 8px}p{color:#555}select,button{font:inherit;padding:8px 12px;border-radius:8px;border:1px solid #ccd}button{background:#1877f2;color:#fff;border:0;margin-right:8px;cursor:pointer}button.secondary{background:#e4e6eb;color:#222}</style>
<form action="/setup/complete" method="get"><h1>Connect ${label}</h1><p>This page stands in for Meta's sign-in dialog. Nothing leaves this machine.</p>
<input type="hidden" name="session" value="${escapeHtml(session.id)}"><p><label>Account<br><select name="channel_id">${options}</select></label></p>
<button name="action" value="approve">Continue</button><button class="secondary" name="action" value="deny">Cancel</button></form>`,
			);
		}
		if (session.expires < now()) {
			return redirectTo(res, session.redirect_uri, {
				error: 'session_expired',
				message: 'The setup link expired before the flow finished. Request a new one.',
			});
		}
		if (url.searchParams.get('action') !== 'approve') {
			state.sessions.delete(session.id);
			return redirectTo(res, session.redirect_uri, {
				error: 'access_denied',
				message: 'The user cancelled the Meta dialog.',
			});
		}
		const forced = ledger.takeSetupError();
		if (forced) {
			state.sessions.delete(session.id);
			return redirectTo(res, session.redirect_uri, forced);
		}
		const channelId = url.searchParams.get('channel_id') || undefined;
		try {
			const { code } = issueCode({ channel_type: session.channel_type, channel_id: channelId });
			state.sessions.delete(session.id);
			return redirectTo(res, session.redirect_uri, {
				code,
				status: 'success',
				channel_type: session.channel_type,
			});
		} catch (error) {
			state.sessions.delete(session.id);
			const slot = error instanceof ApiError && error.status === 409;
			return redirectTo(
				res,
				session.redirect_uri,
				slot
					? { error: 'slot_occupied', message: 'Every slot for this channel type is taken.' }
					: { error: 'setup_failed', message: 'Setup failed.' },
			);
		}
	}

	// The scripted OpenAI-compatible model (model.mjs) for AI-agent tests: /v1/* and /_sandbox/model/*.
	const model = createScriptedModel();

	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		try {
			if (await model.handle(req, res, url)) return;
			if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url);
			if (url.pathname.startsWith('/_sandbox/')) return await handleControl(req, res, url);
			if (url.pathname.startsWith('/setup/')) return handleSetup(req, res, url);
			if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
				return html(res, 200, readFileSync(PHONE_PAGE, 'utf8'));
			}
			if (url.pathname === '/favicon.ico') {
				res.writeHead(204);
				return res.end();
			}
			return sendJson(res, 404, { detail: 'Not Found' });
		} catch (error) {
			if (res.headersSent) return res.destroy();
			if (error instanceof ApiError) return sendJson(res, error.status, { detail: error.detail });
			console.error(error);
			return sendJson(res, 500, { detail: String(error?.message ?? error) });
		}
	}

	const server = createServer((req, res) => void handle(req, res));
	server.keepAliveTimeout = 65_000;
	reseed();
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(cfg.port, cfg.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = server.address().port;
	const hostForUrl =
		cfg.host === '0.0.0.0' || cfg.host === '::'
			? '127.0.0.1'
			: cfg.host.includes(':')
				? `[${cfg.host}]`
				: cfg.host;
	const url = `http://${hostForUrl}:${port}`;
	publicUrl = (cfg.publicUrl ?? url).replace(/\/+$/, '');
	const heartbeat = setInterval(() => {
		for (const client of sseClients) client.write(': ping\n\n');
	}, 15_000);
	heartbeat.unref?.();

	const api = {
		url,
		port,
		state,
		model,
		get config() {
			return cfg;
		},
		/** Partial config update, as POST /_sandbox/config. */
		configure(patch) {
			cfg = mergeConfig(cfg, patch);
			if (patch && patch.randomSeed !== undefined && patch.randomSeed !== null)
				rng = mulberry32(patch.randomSeed);
			return cfg;
		},
		/** Reseeds, clears logs and pending timers, and restores the start options. */
		reset() {
			clearTimers();
			cfg = clone(initial);
			rng = mulberry32(cfg.randomSeed ?? Math.floor(Math.random() * 2 ** 32));
			reseed();
			model.reset();
			broadcast('reset', {});
		},
		inbound: (body) => receiveInbound(body),
		deliver: (body) => deliverRaw(body),
		redeliver: (body) => redeliver(body),
		async close() {
			if (closed) return;
			closed = true;
			clearTimers();
			clearInterval(heartbeat);
			for (const client of sseClients) client.end();
			sseClients.clear();
			agents.http.destroy();
			agents.https.destroy();
			await new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections?.();
			});
		},
	};
	return api;
}

function parseArgs(argv) {
	const options = {};
	let json = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = Number(value());
				break;
			case '--host':
				options.host = value();
				break;
			case '--time-scale':
				options.timeScale = Number(value());
				break;
			case '--latency':
				options.latencyMs = Number(value());
				break;
			case '--jitter':
				options.jitterMs = Number(value());
				break;
			case '--per-key':
				options.perKeyPerSecond = Number(value());
				break;
			case '--per-channel':
				options.perChannelSendsPerSecond = Number(value());
				break;
			case '--public-url':
				options.publicUrl = value();
				break;
			case '--api-key':
				options.apiKeys = [...(options.apiKeys ?? []), value()];
				break;
			case '--auto-read':
				options.autoReadMs = Number(value());
				break;
			case '--no-seed':
				options.seed = false;
				break;
			case '--log':
				options.log = true;
				break;
			case '--json':
				json = true;
				break;
			case '--help':
			case '-h':
				console.log(
					'Usage: node test/sandbox/server.mjs [--port 4010] [--host 127.0.0.1] [--time-scale 1] [--latency ms] [--jitter ms]\n       [--per-key N] [--per-channel 10] [--public-url URL] [--api-key KEY] [--auto-read ms] [--no-seed] [--log] [--json]',
				);
				process.exit(0);
				break;
			default:
				console.error(`Unknown option ${arg} (try --help)`);
				process.exit(2);
		}
	}
	return { options, json };
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
	const { options, json } = parseArgs(process.argv.slice(2));
	if (options.port === undefined && process.env.PORT) options.port = Number(process.env.PORT);
	const sandbox = await startSandbox(options);
	if (json) {
		console.log(JSON.stringify({ url: sandbox.url, port: sandbox.port, pid: process.pid }));
	} else {
		console.log(`Fiwano sandbox running at ${sandbox.url}`);
		console.log(`  phone page   ${sandbox.url}/`);
		console.log(
			`  API          ${sandbox.url}/api/v1   (X-API-Key: ${sandbox.config.apiKeys.join(', ')})`,
		);
		console.log(`  control API  ${sandbox.url}/_sandbox/state`);
	}
	const stop = async () => {
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
