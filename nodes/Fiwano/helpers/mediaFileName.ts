/**
 * The extension of a downloaded file's MIME type, where people expect a particular one (the
 * MIME registry's first choice for audio/ogg is oga, for audio/mpeg mpga).
 */
const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'audio/ogg': 'ogg',
	'audio/opus': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'video/quicktime': 'mov',
	'application/pdf': 'pdf',
};

function isControlCharacter(c: string): boolean {
	const code = c.charCodeAt(0);
	return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * The last part of a file name someone else chose, without control characters: a sender's
 * `../../x` or `C:\x\y.bat` must not become a path when a later node writes the file.
 * Empty when nothing usable is left.
 */
export function safeFileName(name: unknown): string {
	if (typeof name !== 'string') return '';
	const last = name.split(/[\\/]/).pop() ?? '';
	const clean = [...last]
		.filter((c) => !isControlCharacter(c))
		.join('')
		.trim();
	return clean === '.' || clean === '..' ? '' : clean;
}

/**
 * The name of a downloaded file nobody named: `base` (an ID, anything but letters, digits, `.`,
 * `_` and `-` replaced by `_`) and the extension of its MIME type, or `fallbackExtension` for a
 * type not listed above. Used by Download Media and by the trigger's media download.
 */
export function mediaFileName(base: string, mimeType: string, fallbackExtension?: string): string {
	const name = base.replace(/[^A-Za-z0-9._-]+/g, '_');
	const extension = mediaExtension(mimeType, fallbackExtension);
	return extension ? `${name}.${extension}` : name;
}

/** The extension a file of this MIME type gets: the usual one, else `fallback`. */
export function mediaExtension(mimeType: string, fallback?: string): string | undefined {
	return EXTENSIONS[mimeType.toLowerCase()] ?? fallback;
}
