/**
 * The API path of a channel, `/channels/{id}`, followed by further segments such as
 * `templates`, `{template_id}`. Every segment is URL-encoded, so an ID (often mapped from an
 * expression) that holds `/`, `?` or `#` stays one segment instead of reaching another endpoint.
 */
export function channelPath(channelId: string, ...segments: string[]): string {
	return `/channels/${[channelId, ...segments].map((segment) => encodeURIComponent(segment)).join('/')}`;
}
