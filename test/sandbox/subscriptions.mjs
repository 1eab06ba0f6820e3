// Subscriptions, slots, expiry, channel health and setup-flow outcomes for the local Fiwano
// sandbox (server.mjs wires it in). It follows subscriptions.md, channels.md ("Subscription
// slots", "Reconnecting a channel") and the changelog entry of 6 October 2026 (channel health):
// - every subscription is a record with status, source, tier, expiry and auto-renew; it gives one
//   slot per channel type, held by the channel whose `subscription.id` names it (a deactivated
//   channel still holds it);
// - time moves: a subscription that does not renew lapses (`expired`) once `expires_at` is past,
//   and its channels stop sending (402); one that renews moves on by a period;
// - the control API (no API key, like every /_sandbox route) adds or changes subscriptions, flips
//   a channel's health, and makes the next setup flow end with an `error`.

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIOD_MS = 30 * DAY_MS;
const TYPES = ['whatsapp', 'instagram', 'facebook'];
const STATUSES = ['active', 'expired', 'canceled'];

/** The `error` values the hosted setup flow sends back (channels.md, Option B step 3). */
export const SETUP_ERRORS = ['access_denied', 'slot_occupied', 'session_expired', 'setup_failed'];

const DEFAULT_SETUP_MESSAGES = {
	access_denied: 'The user cancelled the Meta dialog.',
	slot_occupied:
		'A different Meta account than the one holding your subscription slot was connected. Reconnect that account or release its slot.',
	session_expired: 'The setup link expired before the flow finished. Request a new one.',
	setup_failed: 'We couldn’t access any Instagram Business account with the permissions granted.',
};

const DEFAULT_HEALTH_REASON =
	'(#190) Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';

/**
 * @param {object} deps what the server shares: `state` (channels live in `state.channels`), `now`,
 *   `seed` (SEED), `ApiError`, `isoNaive`, `hex`, `broadcast`, `publicChannel`, `freeSlotsFor`,
 *   `findChannel`, and `unlimited(type)` (the `freeSlots` option leaves that type open).
 */
export function createSubscriptionLedger(deps) {
	const { state, now, seed, ApiError, isoNaive, hex, broadcast, publicChannel } = deps;
	/** id → { id, status, source, tier, starts_at, expires_at, auto_renew } */
	const records = new Map();
	let nextSetupError;

	const parse = (value) =>
		typeof value === 'string' ? Date.parse(`${value.replace(/Z$/, '')}Z`) : NaN;

	function add(record) {
		records.set(record.id, record);
		return record;
	}

	function reseed(t) {
		records.clear();
		nextSetupError = undefined;
		add({
			id: seed.subscriptionId,
			status: 'active',
			source: 'trial',
			tier: 'pro',
			starts_at: isoNaive(t),
			expires_at: isoNaive(t + 7 * DAY_MS),
			auto_renew: false,
		});
		add({
			id: seed.spareSubscriptionId,
			status: 'active',
			source: 'paddle',
			tier: 'pro',
			starts_at: isoNaive(t),
			expires_at: isoNaive(t + PERIOD_MS),
			auto_renew: true,
		});
	}

	/** A channel may name a subscription the ledger never saw (set through POST /_sandbox/channels). */
	function adoptUnknown() {
		for (const channel of state.channels) {
			const sub = channel.subscription;
			if (sub?.id && !records.has(sub.id))
				add({
					id: sub.id,
					status: STATUSES.includes(sub.status) ? sub.status : 'active',
					source: sub.source ?? 'paddle',
					tier: sub.tier ?? 'pro',
					starts_at: null,
					expires_at: sub.expires_at ?? null,
					auto_renew: Boolean(sub.auto_renew),
				});
		}
	}

	/** The `subscription` object of a channel bound to this record (SubscriptionInfo). */
	function infoFor(id) {
		const r = records.get(id);
		return {
			id: r.id,
			status: r.status,
			source: r.source,
			tier: r.tier,
			expires_at: r.expires_at,
			auto_renew: r.status === 'active' && r.auto_renew === true,
		};
	}

	/** Copies a record onto the channels bound to it, after the record itself changed. */
	function push(id) {
		for (const channel of state.channels) {
			if (channel.subscription?.id !== id) continue;
			channel.subscription = infoFor(id);
			broadcast('channel', publicChannel(channel));
		}
	}

	/** Lets time act: lapses what does not renew, renews what does. Runs before every API call. */
	function tick() {
		const t = now();
		for (const r of records.values()) {
			if (r.status !== 'active') continue;
			const end = parse(r.expires_at);
			if (Number.isNaN(end) || end > t) continue;
			if (r.auto_renew) {
				let next = end;
				while (next <= t) next += PERIOD_MS;
				r.expires_at = isoNaive(next);
			} else {
				r.status = 'expired';
			}
			push(r.id);
		}
	}

	const holderOf = (id, type) =>
		state.channels.find((c) => c.channel_type === type && c.subscription?.id === id);

	/** Active subscriptions with the slot of this type free, in the order they were added. */
	const withFreeSlot = (type) =>
		[...records.values()].filter((r) => r.status === 'active' && !holderOf(r.id, type));

	/** The subscription a newly connected channel takes: a free slot, or a new one (the sandbox sells on demand). */
	function assign(type) {
		adoptUnknown();
		const free = withFreeSlot(type)[0];
		if (free) return infoFor(free.id);
		const t = now();
		const added = add({
			id: hex(8),
			status: 'active',
			source: 'paddle',
			tier: 'pro',
			starts_at: isoNaive(t),
			expires_at: isoNaive(t + PERIOD_MS),
			auto_renew: true,
		});
		return infoFor(added.id);
	}

	/** PATCH subscription_id = id: 404 unknown, 400 not active, 409 slot held by another channel. */
	function checkMove(channel, id) {
		adoptUnknown();
		if (!records.has(id)) throw new ApiError(404, 'Subscription not found');
		if (records.get(id).status !== 'active')
			throw new ApiError(400, 'The target subscription is not active.');
		const holder = holderOf(id, channel.channel_type);
		if (holder && holder !== channel)
			throw new ApiError(409, {
				code: 'slot_occupied',
				message: `The ${channel.channel_type} slot of that subscription is held by channel ${holder.id}.`,
				occupied_by: [holder.id],
			});
	}

	/** setup-url answers 402 when the account has no active subscription at all (changelog 14 Sep 2026). */
	function requireActiveAccount() {
		adoptUnknown();
		if (![...records.values()].some((r) => r.status === 'active'))
			throw new ApiError(
				402,
				'No active subscription on this account. Subscribe on the Billing page to connect a channel.',
			);
	}

	/** GET /api/v1/subscriptions (SubscriptionsResponse). */
	function view() {
		adoptUnknown();
		const subscriptions = [...records.values()].map((r) => {
			const assigned = {};
			for (const type of TYPES) {
				const c = holderOf(r.id, type);
				assigned[type] = c
					? { channel_id: c.id, channel_type: type, name: c.name, is_active: c.is_active }
					: null;
			}
			return {
				...r,
				auto_renew: r.status === 'active' && r.auto_renew,
				assigned_channels: assigned,
			};
		});
		const available = {};
		for (const type of TYPES) {
			const configured = deps.freeSlotsFor(type);
			if (configured !== Infinity) {
				// The freeSlots option caps connections; its count is what Fiwano would show.
				const free = Math.max(0, configured);
				available[type] = { total: free, starter: 0, pro: free };
				continue;
			}
			const free = withFreeSlot(type);
			const starter = free.filter((r) => r.tier === 'starter').length;
			// Without a cap the sandbox sells a subscription on demand: at least one slot is free.
			const pro = Math.max(free.length - starter, starter ? 0 : 1);
			available[type] = { total: starter + pro, starter, pro };
		}
		return {
			subscriptions,
			total: subscriptions.length,
			active_total: subscriptions.filter((s) => s.status === 'active').length,
			available_slots: available,
		};
	}

	function upsertSubscription(body) {
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			throw new ApiError(422, 'Body must be a JSON object');
		const t = now();
		const id = body.id ? String(body.id) : hex(8);
		const record = records.get(id) ?? {
			id,
			status: 'active',
			source: 'paddle',
			tier: 'pro',
			starts_at: isoNaive(t),
			expires_at: isoNaive(t + PERIOD_MS),
			auto_renew: false,
		};
		if (body.status !== undefined) {
			if (!STATUSES.includes(body.status))
				throw new ApiError(422, `status must be one of ${STATUSES.join(', ')}`);
			record.status = body.status;
		}
		for (const key of ['source', 'tier', 'expires_at'])
			if (body[key] !== undefined) record[key] = body[key];
		if (body.auto_renew !== undefined) record.auto_renew = Boolean(body.auto_renew);
		if (typeof body.expires_in_seconds === 'number')
			record.expires_at = isoNaive(t + body.expires_in_seconds * 1000);
		if (typeof body.expires_in_days === 'number')
			record.expires_at = isoNaive(t + body.expires_in_days * DAY_MS);
		add(record);
		push(id);
		tick();
		return view().subscriptions.find((s) => s.id === id);
	}

	function setHealth(body) {
		const channel = deps.findChannel(body?.channel_id);
		if (!channel) throw new ApiError(404, 'Channel not found');
		if (!['ok', 'action_required'].includes(body.status))
			throw new ApiError(422, "status must be 'ok' or 'action_required'");
		channel.health =
			body.status === 'ok'
				? { status: 'ok', reason: null, since: null }
				: {
						status: 'action_required',
						reason: typeof body.reason === 'string' ? body.reason : DEFAULT_HEALTH_REASON,
						since: isoNaive(now()),
					};
		broadcast('channel', publicChannel(channel));
		return publicChannel(channel);
	}

	function setNextSetupError(body) {
		if (body?.error === null) {
			nextSetupError = undefined;
			return { next_error: null };
		}
		if (!SETUP_ERRORS.includes(body?.error))
			throw new ApiError(422, `error must be one of ${SETUP_ERRORS.join(', ')} (or null)`);
		nextSetupError = {
			error: body.error,
			message: typeof body.message === 'string' ? body.message : DEFAULT_SETUP_MESSAGES[body.error],
		};
		return { next_error: { ...nextSetupError } };
	}

	/** The outcome the next approved setup flow must end with, once. */
	function takeSetupError() {
		const forced = nextSetupError;
		nextSetupError = undefined;
		return forced;
	}

	/** Control routes of this module; undefined when the route is not one of them. */
	function control(key, body) {
		switch (key) {
			case 'POST /_sandbox/subscriptions':
				return upsertSubscription(body);
			case 'POST /_sandbox/health':
				return setHealth(body);
			case 'POST /_sandbox/setup/next-error':
				return setNextSetupError(body);
			default:
				return undefined;
		}
	}

	return {
		reseed,
		tick,
		assign,
		checkMove,
		infoFor,
		requireActiveAccount,
		view,
		control,
		takeSetupError,
	};
}
