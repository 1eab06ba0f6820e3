import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { RedirectList } from '../helpers/types';
import { fiwanoApiRequest } from '../transport';

/** Registered OAuth redirect URIs for the Redirect URI → Delete picker, searchable by pattern or ID. */
export async function searchRedirects(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { redirects } = (await fiwanoApiRequest.call(this, 'GET', '/redirects')) as RedirectList;
	const needle = (filter ?? '').toLowerCase();
	return {
		results: (redirects ?? [])
			.filter(
				(r) =>
					!needle ||
					r.uri_pattern.toLowerCase().includes(needle) ||
					r.id.toLowerCase().includes(needle),
			)
			.map((r) => ({ name: r.uri_pattern, value: r.id })),
	};
}
