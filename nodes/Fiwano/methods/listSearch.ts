import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { ChannelList, Template } from '../helpers/types';
import { channelLabel, TYPE_LABEL } from '../helpers/channelLabel';
import { fiwanoApiRequest } from '../transport';
import { listTemplates } from '../transport/lookups';

/** Case-insensitive search over whichever fields the API filled in (it sends null for absent ones). */
function matches(filter: string | undefined, ...values: Array<string | null | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
}

/** Channels for the channel picker, searchable by name, type, number, username or ID. */
export async function searchChannels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { channels } = (await fiwanoApiRequest.call(this, 'GET', '/channels')) as ChannelList;
	const results: INodeListSearchItems[] = (channels ?? [])
		.filter((c) =>
			matches(
				filter,
				c.name,
				c.channel_type,
				TYPE_LABEL[c.channel_type],
				c.phone_number,
				c.ig_username,
				c.page_id,
				c.id,
			),
		)
		.sort(
			(a, b) =>
				Number(b.is_active) - Number(a.is_active) || (a.name ?? '').localeCompare(b.name ?? ''),
		)
		.map((c) => ({ name: channelLabel(c), value: c.id }));
	return { results };
}

function currentChannelId(ctx: ILoadOptionsFunctions): string | undefined {
	const value = ctx.getCurrentNodeParameter('channelId', { extractValue: true }) as unknown;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function templatesOfCurrentChannel(
	ctx: ILoadOptionsFunctions,
	status?: string,
): Promise<Template[]> {
	const channelId = currentChannelId(ctx);
	if (!channelId) return [];
	const qs: Record<string, string> = { sync: 'false' };
	if (status) qs.status = status;
	const { templates } = await listTemplates(ctx, channelId, qs);
	return templates ?? [];
}

/** All templates of the selected WhatsApp channel ("name (language) · STATUS"), value = template ID. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const templates = await templatesOfCurrentChannel(this);
	return {
		results: templates
			.filter((t) => matches(filter, t.name, t.language, t.status))
			.map((t) => ({ name: `${t.name} (${t.language}) · ${t.status}`, value: t.id })),
	};
}

/**
 * The selected channel's APPROVED templates for Send Template, as "name (language)". The value
 * is `name|language`: a name alone is not unique, since each language is its own template.
 * Opening the list syncs Fiwano with Meta, so a template approved a minute ago shows up (and
 * becomes sendable); searching while typing uses Fiwano's cached copy and stays fast.
 */
export async function searchApprovedTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const channelId = currentChannelId(this);
	if (!channelId) return { results: [] };
	const { templates } = await listTemplates(this, channelId, {
		sync: filter ? 'false' : 'true',
		status: 'APPROVED',
	});
	return {
		results: (templates ?? [])
			.filter((t) => t.status === 'APPROVED' && matches(filter, t.name, t.language))
			.sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language))
			.map((t) => ({ name: `${t.name} (${t.language})`, value: `${t.name}|${t.language}` })),
	};
}
