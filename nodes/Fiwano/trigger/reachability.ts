import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { baseUrlOf } from '../transport';
import type { TriggerParams } from './params';
import { triggerCredentials } from './secret';

/** Hosts of the real Fiwano API. Any other base URL (a sandbox, staging) may reach what it likes. */
const REAL_FIWANO_HOSTS = new Set(['fiwano.com', 'www.fiwano.com']);

/** Whether the credential's Base URL is the real Fiwano, which delivers only over the internet. */
export function isRealFiwano(baseUrl: string): boolean {
	try {
		const url = new URL(baseUrl);
		return url.protocol === 'https:' && REAL_FIWANO_HOSTS.has(url.hostname.toLowerCase());
	} catch {
		return false;
	}
}

function ipv4Parts(host: string): number[] | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const parts = match.slice(1).map(Number);
	return parts.every((part) => part <= 255) ? parts : undefined;
}

/** What kind of address an IPv4 literal is, when it cannot be reached from the internet. */
function privateIpv4(parts: number[]): string | undefined {
	const [a, b] = parts;
	if (a === 127) return 'a loopback address';
	if (a === 0) return 'an unspecified address';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
		return 'a private address';
	if (a === 169 && b === 254) return 'a link-local address';
	if (a === 100 && b >= 64 && b <= 127) return 'a carrier-grade NAT address';
	return undefined;
}

/** The same for an IPv6 literal (brackets already removed), including IPv4-mapped ones. */
function privateIpv6(host: string): string | undefined {
	const address = host.toLowerCase();
	if (address === '::1') return 'a loopback address';
	if (address === '::') return 'an unspecified address';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (mapped) {
		const parts = ipv4Parts(mapped[1]);
		return parts ? privateIpv4(parts) : undefined;
	}
	// WHATWG URL writes a mapped IPv4 address in hex (::ffff:7f00:1).
	const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
	if (hexMapped) {
		const high = parseInt(hexMapped[1], 16);
		const low = parseInt(hexMapped[2], 16);
		return privateIpv4([high >> 8, high & 255, low >> 8, low & 255]);
	}
	if (/^f[cd][0-9a-f]{0,2}:/.test(address)) return 'a private (unique local) address';
	if (/^fe[89ab][0-9a-f]?:/.test(address)) return 'a link-local address';
	return undefined;
}

/**
 * Why Fiwano could never deliver to this webhook URL, or undefined when it might. Fiwano
 * delivers only to HTTPS URLs on the internet (channels.md: "absolute HTTPS URL reachable from
 * Fiwano"; openapi: "cannot target loopback"), so plain http://, localhost and loopback, private
 * or link-local IP literals are out. Host names are not resolved: a name may well be public.
 */
export function unreachableReason(webhookUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(webhookUrl);
	} catch {
		return 'it is not a valid URL';
	}
	if (url.protocol !== 'https:')
		return `it starts with ${url.protocol}// and Fiwano delivers only to https://`;
	const host = url.hostname.toLowerCase().replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost'))
		return `its host ${host} is this machine`;
	const v4 = ipv4Parts(host);
	const kind = v4
		? privateIpv4(v4)
		: host.startsWith('[')
			? privateIpv6(host.slice(1, -1))
			: undefined;
	return kind ? `its host ${host} is ${kind}` : undefined;
}

/**
 * For a typeVersion 2 automatic setup against the real Fiwano: the URL the trigger would wire
 * and why Fiwano can never deliver to it; undefined when it might, or when the rule does not
 * apply (Manual setup, typeVersion 1 with the 1.x behaviour, another base URL such as a sandbox
 * or staging). Makes no request.
 */
export async function unreachableWebhook(
	ctx: IHookFunctions,
	params: TriggerParams,
): Promise<{ url: string; reason: string } | undefined> {
	if (params.version < 2 || params.setup === 'manual') return undefined;
	const credentials = await triggerCredentials(ctx, params);
	if (!credentials || !isRealFiwano(baseUrlOf(credentials))) return undefined;
	const url = ctx.getNodeWebhookUrl('default') ?? '';
	const reason = unreachableReason(url);
	return reason ? { url, reason } : undefined;
}

/**
 * Refuses to wire channels to a URL Fiwano can never deliver to (see unreachableWebhook), before
 * any request, so no channel is changed and the workflow does not look active while it will
 * never receive anything.
 */
export async function refuseUnreachableWebhook(
	ctx: IHookFunctions,
	params: TriggerParams,
): Promise<void> {
	const unreachable = await unreachableWebhook(ctx, params);
	if (!unreachable) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Fiwano cannot reach this trigger’s webhook URL ${unreachable.url} (${unreachable.reason}): set n8n’s WEBHOOK_URL to its public HTTPS address, or use Manual setup`,
		{
			description:
				'No channel was changed. Set the WEBHOOK_URL environment variable of n8n to the public HTTPS address Fiwano can reach (for example https://n8n.example.com/), restart n8n and activate again. Or switch Webhook Setup to Manual and point the channel at a URL that forwards to n8n yourself.',
		},
	);
}
