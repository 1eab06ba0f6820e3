/**
 * Length and splitting of outgoing text the way Fiwano measures it.
 *
 * Fiwano checks text length with Python's `len()`, which counts Unicode code points: an emoji
 * such as 😀 (one surrogate pair in JavaScript) counts 1, a family emoji built with zero-width
 * joiners counts each of its code points. Parts are cut only between grapheme clusters, so a
 * surrogate pair, an emoji sequence, a flag or a letter with its combining accents is never
 * split across two messages.
 */

/** Per-channel maximum text length, in code points (capabilities.md). */
export const TEXT_LIMITS = { whatsapp: 4096, facebook: 2000, instagram: 1000 } as const;

/** The smallest limit of any channel: text up to this length fits everywhere. */
export const SMALLEST_TEXT_LIMIT = Math.min(...Object.values(TEXT_LIMITS));

/** Length as Fiwano (Python `len`) counts it: Unicode code points, not UTF-16 units. */
export function codePointLength(text: string): number {
	let length = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff) {
			// At the end of the text this is NaN, which is no low surrogate either.
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		length++;
	}
	return length;
}

interface GraphemeSegmenter {
	segment(input: string): Iterable<{ segment: string; index: number }>;
}
type SegmenterConstructor = new (
	locale?: string,
	options?: { granularity: 'grapheme' },
) => GraphemeSegmenter;

/** Intl.Segmenter where the runtime has it (Node.js with ICU, which n8n ships with). */
function intlSegmenter(): GraphemeSegmenter | undefined {
	const ctor = (Intl as typeof Intl & { Segmenter?: SegmenterConstructor }).Segmenter;
	// Stryker disable next-line ConditionalExpression: without the check, new on a non-function throws and the catch below answers the same
	if (typeof ctor !== 'function') return undefined;
	try {
		// Stryker disable next-line ObjectLiteral: grapheme is Intl.Segmenter's default granularity; named for the reader
		return new ctor(undefined, { granularity: 'grapheme' });
		// Stryker disable next-line BlockStatement: an empty catch returns undefined as well
	} catch {
		return undefined;
	}
}

const MARK = /^\p{M}$/u;

/** Code points that attach to the one before: marks, joiners, variation selectors, skin tones, tags. */
function isExtender(point: string): boolean {
	const cp = point.codePointAt(0) ?? 0;
	return (
		MARK.test(point) ||
		cp === 0x200c ||
		cp === 0x200d ||
		// Stryker disable next-line ConditionalExpression,EqualityOperator: variation selectors are marks (Mn), MARK already takes them
		(cp >= 0xfe00 && cp <= 0xfe0f) ||
		(cp >= 0x1f3fb && cp <= 0x1f3ff) ||
		(cp >= 0xe0020 && cp <= 0xe007f) ||
		// Stryker disable next-line ConditionalExpression,EqualityOperator: variation selectors are marks (Mn), MARK already takes them
		(cp >= 0xe0100 && cp <= 0xe01ef)
	);
}

function isRegionalIndicator(point: string | undefined): boolean {
	const cp = point?.codePointAt(0) ?? 0;
	return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/**
 * Grapheme clusters without Intl.Segmenter: a code point with its combining marks, variation
 * selectors, skin-tone modifiers and tag characters; zero-width-joiner sequences; flag pairs;
 * CR LF. Coarser than the Unicode rules, but it never cuts inside any of these.
 */
export function fallbackGraphemes(text: string): string[] {
	const points = Array.from(text);
	const clusters: string[] = [];
	let i = 0;
	while (i < points.length) {
		let cluster = points[i];
		let j = i + 1;
		if (cluster === '\r' && points[j] === '\n') {
			clusters.push('\r\n');
			i = j + 1;
			continue;
		}
		if (isRegionalIndicator(cluster) && isRegionalIndicator(points[j])) {
			cluster += points[j];
			j++;
		}
		for (;;) {
			if (j < points.length && isExtender(points[j])) {
				const joiner = points[j] === '\u200d';
				cluster += points[j];
				j++;
				if (joiner && j < points.length) {
					cluster += points[j];
					j++;
				}
				continue;
			}
			break;
		}
		clusters.push(cluster);
		i = j;
	}
	return clusters;
}

/** The text's grapheme clusters, in order. */
export function graphemes(text: string, useIntl = true): string[] {
	const segmenter = useIntl ? intlSegmenter() : undefined;
	if (!segmenter) return fallbackGraphemes(text);
	return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Whitespace where a line may wrap: `\s` without the no-break spaces (U+00A0, U+2007, U+202F). */
const WS = '[\\t\\n\\v\\f\\r \\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000]';
const WS_RUN = new RegExp(`${WS}*`, 'y');

/**
 * Boundaries tried from the most to the least natural: paragraph (blank line), line break,
 * end of sentence, any whitespace. `keep` is how much of the match stays in the part (a
 * sentence's punctuation); the whitespace after it is dropped between parts.
 */
const BOUNDARIES: Array<{ pattern: RegExp; keep: (match: RegExpExecArray) => number }> = [
	{ pattern: new RegExp(`[ \\t]*\\r?\\n[ \\t]*\\r?\\n`, 'g'), keep: () => 0 },
	{ pattern: new RegExp(`[ \\t]*\\r?\\n`, 'g'), keep: () => 0 },
	{
		// Latin punctuation ends a sentence before whitespace; CJK full stops need none.
		pattern: new RegExp(
			`([.!?\\u2026]+["'\\u201d\\u2019\\u00bb)\\]]*)${WS}|([\\u3002\\uff01\\uff1f]+[\\u300d\\u300f\\uff09"'\\u201d\\u2019]*)`,
			'g',
		),
		keep: (m) => (m[1] ?? m[2]).length,
	},
	{ pattern: new RegExp(`${WS}+`, 'g'), keep: () => 0 },
];

/** How far past the window a boundary's whitespace may reach and still be recognised. */
const LOOKAHEAD = 64;

const WS_CHAR = new RegExp(`^${WS}$`);

function skipWhitespace(text: string, from: number): number {
	WS_RUN.lastIndex = from;
	WS_RUN.exec(text);
	return WS_RUN.lastIndex;
}

/** Moves `end` back over whitespace, so a part never ends with the start of a blank run. */
function trimEnd(text: string, start: number, end: number): number {
	// Stryker disable next-line ConditionalExpression,EqualityOperator: the caller drops a cut that ends at or before start, so trimming past start changes no cut
	while (end > start && WS_CHAR.test(text[end - 1])) end--;
	return end;
}

/**
 * Splits text into parts of at most `limit` code points, in order, cutting at the last
 * paragraph break that fits, else the last line break, sentence end or whitespace, and only
 * as a last resort between two grapheme clusters. Whitespace at a cut is dropped; no part is
 * empty or blank. Text that fits is returned unchanged as one part.
 */
export function splitText(
	text: string,
	limit: number,
	options: { useIntl?: boolean } = {},
): string[] {
	if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Invalid text limit ${limit}`);
	if (codePointLength(text) <= limit) return [text];

	// Stryker disable next-line LogicalOperator: an undefined useIntl takes graphemes' default, true, anyway
	const clusters = graphemes(text, options.useIntl ?? true);
	// UTF-16 offset where each cluster starts (plus the end), and code points before it.
	const offsets: number[] = [0];
	const points: number[] = [0];
	for (const cluster of clusters) {
		offsets.push(offsets[offsets.length - 1] + cluster.length);
		points.push(points[points.length - 1] + codePointLength(cluster));
	}
	const clusterAt = new Map<number, number>();
	offsets.forEach((offset, index) => clusterAt.set(offset, index));

	const parts: string[] = [];
	let first = 0;
	// Stryker disable next-line EqualityOperator: one more round with first at the end finds only empty text and stops
	while (first < clusters.length) {
		const start = offsets[first];
		// The last cluster boundary that keeps the part within the limit.
		let last = first;
		// Stryker disable next-line ConditionalExpression,EqualityOperator: past the last cluster points[] is undefined and NaN <= limit stops the loop as well
		while (last < clusters.length && points[last + 1] - points[first] <= limit) last++;
		if (last === clusters.length) {
			if (text.slice(start).trim()) parts.push(text.slice(start));
			break;
		}
		const windowEnd = offsets[last];
		if (last > first && !text.slice(start, windowEnd).trim()) {
			// Only blanks up to the limit (a longer run of spaces, line breaks or no-break spaces):
			// Fiwano refuses a blank message, so the part starts at the next visible character.
			const visible = /\S/g;
			visible.lastIndex = start;
			const match = visible.exec(text);
			if (!match) break;
			while (offsets[first + 1] <= match.index) first++;
			continue;
		}
		let cut: { end: number; next: number } | undefined;
		const view = text.slice(0, windowEnd + LOOKAHEAD);
		for (const boundary of BOUNDARIES) {
			const pattern = new RegExp(boundary.pattern.source, 'g');
			pattern.lastIndex = start;
			let match: RegExpExecArray | null;
			while ((match = pattern.exec(view)) !== null) {
				const reach = match.index + boundary.keep(match);
				if (reach > windowEnd) break;
				const end = trimEnd(text, start, reach);
				const next = skipWhitespace(text, reach);
				if (
					// Stryker disable next-line ConditionalExpression,EqualityOperator: a cut at or before start leaves text.slice(start, end) empty, which the last check refuses
					end > start &&
					clusterAt.has(end) &&
					clusterAt.has(next) &&
					text.slice(start, end).trim()
				) {
					cut = { end, next };
				}
			}
			if (cut) break;
		}
		if (!cut) {
			if (last === first) {
				// One cluster longer than the limit (thousands of combining marks): cut it by code points.
				const codePoints = Array.from(clusters[first]);
				// Stryker disable next-line EqualityOperator: one more round makes an empty piece, which the blank check drops
				for (let i = 0; i < codePoints.length; i += limit) {
					const piece = codePoints.slice(i, i + limit).join('');
					if (piece.trim()) parts.push(piece);
				}
				first += 1;
				continue;
			}
			cut = { end: windowEnd, next: windowEnd };
		}
		parts.push(text.slice(start, cut.end));
		const nextCluster = clusterAt.get(cut.next);
		// Stryker disable next-line ConditionalExpression: unreachable, cut.next is always a cluster boundary; kept as a guard
		if (nextCluster === undefined) break;
		first = nextCluster;
		// Stryker disable next-line ConditionalExpression,MethodExpression: a blank rest also ends the next round without a part; this only skips that round
		if (!text.slice(offsets[first]).trim()) break;
	}
	return parts;
}
