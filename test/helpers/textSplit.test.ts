import {
	codePointLength,
	fallbackGraphemes,
	graphemes,
	splitText,
	TEXT_LIMITS,
} from '../../nodes/Fiwano/helpers/textSplit';

/** Every part fits, none is blank, and nothing but whitespace at the cuts is lost. */
function expectFaithfulSplit(text: string, parts: string[], limit: number): void {
	for (const part of parts) {
		expect(codePointLength(part)).toBeLessThanOrEqual(limit);
		expect(part.trim()).not.toBe('');
	}
	expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
}

describe('codePointLength (Python len)', () => {
	it.each([
		['', 0],
		['abc', 3],
		['😀', 1],
		['a😀b', 3],
		['👨‍👩‍👧', 5],
		['🇩🇪', 2],
		['e\u0301', 2],
		['€', 1],
	])('%j has %i code points', (text, length) => {
		expect(codePointLength(text)).toBe(length);
	});

	it('counts a lone surrogate as one code point, as Python does', () => {
		expect(codePointLength('a\ud83d')).toBe(2);
	});
});

describe('graphemes', () => {
	it.each([true, false])(
		'keeps emoji sequences, flags and combining marks whole (Intl: %s)',
		(useIntl) => {
			const text = 'a👨‍👩‍👧🇩🇪e\u0301👍🏽b\r\nc';
			expect(graphemes(text, useIntl)).toEqual([
				'a',
				'👨‍👩‍👧',
				'🇩🇪',
				'e\u0301',
				'👍🏽',
				'b',
				'\r\n',
				'c',
			]);
		},
	);

	it('the fallback keeps keycaps and tag sequences whole', () => {
		expect(fallbackGraphemes('1️⃣🏴󠁧󠁢󠁳󠁣󠁴󠁿x')).toEqual(['1️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'x']);
	});
});

describe('splitText', () => {
	it('returns text within the limit unchanged, whitespace included', () => {
		expect(splitText('  Hello  ', 9)).toEqual(['  Hello  ']);
		// Blank text that fits too: it is returned as it is, not dropped.
		expect(splitText('  ', 2)).toEqual(['  ']);
		expect(splitText('', 1)).toEqual(['']);
	});

	it('cuts at the last paragraph break that fits', () => {
		const text = 'First paragraph here.\n\nSecond one. It goes on.\n\nThird.';
		expect(splitText(text, 48)).toEqual([
			'First paragraph here.\n\nSecond one. It goes on.',
			'Third.',
		]);
	});

	it('prefers a paragraph break to a later sentence end', () => {
		const text = 'Para one.\n\nPara two has. Two sentences here';
		// The window of 32 holds a paragraph break and a later sentence end: the paragraph wins.
		expect(splitText(text, 32)).toEqual(['Para one.', 'Para two has. Two sentences here']);
	});

	it('falls back to a line break, then a sentence end, then a space', () => {
		expect(splitText('line one\nline two is long', 20)).toEqual(['line one', 'line two is long']);
		expect(splitText('One. Two! Three? Four', 18)).toEqual(['One. Two! Three?', 'Four']);
		expect(splitText('alpha beta gamma delta', 12)).toEqual(['alpha beta', 'gamma delta']);
	});

	it('keeps closing quotes with their sentence', () => {
		expect(splitText('He said "stop." Then left the room', 18)).toEqual([
			'He said "stop."',
			'Then left the room',
		]);
	});

	it('ends a CJK sentence at a full-width stop, which needs no space after it', () => {
		expect(splitText('こんにちは。お元気ですか？はい', 7)).toEqual([
			'こんにちは。',
			'お元気ですか？',
			'はい',
		]);
	});

	it('does not cut at a no-break space', () => {
		expect(splitText('ab 10\u00a0km', 7)).toEqual(['ab', '10\u00a0km']);
	});

	it('cuts a word with no boundary between graphemes at the limit', () => {
		expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});

	it.each([true, false])(
		'never cuts a surrogate pair or an emoji sequence (Intl: %s)',
		(useIntl) => {
			// 'ab😀' is 3 code points; a naive UTF-16 cut at 3 would split the pair.
			expect(splitText('ab😀cd', 3, { useIntl })).toEqual(['ab😀', 'cd']);
			// The family emoji is 5 code points: it moves whole to the next part.
			const family = '👨‍👩‍👧';
			expect(splitText(`abc${family}`, 6, { useIntl })).toEqual(['abc', family]);
			const parts = splitText('🇩🇪🇫🇷🇮🇹', 3, { useIntl });
			expect(parts).toEqual(['🇩🇪', '🇫🇷', '🇮🇹']);
		},
	);

	it('measures the limit in code points: 1000 emoji fit Instagram, 1001 do not', () => {
		const thousand = '😀'.repeat(1000);
		expect(splitText(thousand, TEXT_LIMITS.instagram)).toEqual([thousand]);
		const parts = splitText(`${thousand}😀`, TEXT_LIMITS.instagram);
		expect(parts).toEqual([thousand, '😀']);
	});

	it('cuts one grapheme longer than the limit by code points as a last resort', () => {
		const text = `e${'\u0301'.repeat(9)}`;
		expect(splitText(text, 4)).toEqual([
			`e${'\u0301'.repeat(3)}`,
			'\u0301'.repeat(4),
			'\u0301\u0301',
		]);
		// The blank after it is not sent on its own.
		expect(splitText(`${text} `, 4)).toEqual([
			`e${'\u0301'.repeat(3)}`,
			'\u0301'.repeat(4),
			'\u0301\u0301',
		]);
	});

	it.each(Object.entries(TEXT_LIMITS))(
		'splits long %s text into parts within %i in order',
		(_type, limit) => {
			const sentences = Array.from(
				{ length: 400 },
				(_, i) => `Sentence number ${i + 1} says hello 👋.`,
			);
			const text = sentences.join(' ');
			const parts = splitText(text, limit);
			expect(parts.length).toBeGreaterThan(1);
			expectFaithfulSplit(text, parts, limit);
			for (const part of parts) expect(part).toMatch(/^Sentence number \d+ .*👋\.$/u);
			const numbers = parts.flatMap((p) =>
				Array.from(p.matchAll(/number (\d+)/g), (m) => Number(m[1])),
			);
			expect(numbers).toEqual(sentences.map((_, i) => i + 1));
		},
	);

	it('drops whitespace at the cut and leaves no blank part', () => {
		const parts = splitText(`${'a'.repeat(10)}     \n\n\n   ${'b'.repeat(10)}   `, 12);
		expect(parts).toEqual(['a'.repeat(10), 'b'.repeat(10)]);
		expect(splitText('one\n\n\n\ntwo three', 9)).toEqual(['one', 'two three']);
		expect(splitText('one two\n\n\n\nthree', 12)).toEqual(['one two', 'three']);
	});

	it('never sends a blank part for a run of blanks longer than the limit', () => {
		expect(splitText(`${' '.repeat(20)}hello world`, 10)).toEqual(['hello', 'world']);
		expect(splitText(`${'\n'.repeat(12)}hello world`, 10)).toEqual(['hello', 'world']);
		// No-break spaces are no place to cut, but a part of nothing else is still blank.
		expect(splitText(`${'\u00a0'.repeat(12)}hello`, 5)).toEqual(['hello']);
		const text = `abc${'\u00a0'.repeat(12)}def`;
		const parts = splitText(text, 5);
		expect(parts).toEqual(['abc\u00a0\u00a0', 'def']);
		for (const part of parts) expect(part.trim()).not.toBe('');
	});
});

describe('grapheme edges', () => {
	it.each([
		['a lone high surrogate before a letter', 'a\ud83db', 3],
		['a lone low surrogate', '\ude00a', 2],
		['a lone low surrogate after a letter', 'a\ude00', 2],
		['the first surrogate pair', '\ud800\udc00', 1],
		['the last surrogate pair', '\udbff\udfff', 1],
		['a high surrogate before the BMP after the low ones', '\ud83d\ue000', 2],
		['a high surrogate before one under the low ones', '\ud83d\udbff', 2],
		['the code unit under the high surrogates', '\ud7ff\udc00', 2],
		['the code unit over the high surrogates', '\udc00\udc00', 2],
	])('counts %s as Python does', (_name, text, length) => {
		expect(codePointLength(text)).toBe(length);
	});

	it.each([
		['200C', true],
		['200B', false],
		['200E', false],
		['1F3FB', true],
		['1F3FF', true],
		['1F3FA', false],
		['1F400', false],
		['E0020', true],
		['E007F', true],
		['E001F', false],
		['E0080', false],
		['FDFF', false],
		['FE10', false],
		['E00FF', false],
		['E01F0', false],
	])('the fallback attaches U+%s to the code point before: %s', (hex, attached) => {
		const point = String.fromCodePoint(parseInt(hex, 16));
		expect(fallbackGraphemes(`x${point}y`)).toEqual(
			attached ? [`x${point}`, 'y'] : ['x', point, 'y'],
		);
	});

	it('the fallback pairs regional indicators at both ends of their range, and nothing else', () => {
		const a = String.fromCodePoint(0x1f1e6);
		const z = String.fromCodePoint(0x1f1ff);
		expect(fallbackGraphemes(`${a}${z}${z}`)).toEqual([`${a}${z}`, z]);
		const below = String.fromCodePoint(0x1f1e5);
		const above = String.fromCodePoint(0x1f200);
		expect(fallbackGraphemes(`${below}${a}`)).toEqual([below, a]);
		expect(fallbackGraphemes(`${a}${above}`)).toEqual([a, above]);
	});

	it('the fallback keeps a joiner at the end and a lone carriage return', () => {
		expect(fallbackGraphemes('a\u200d')).toEqual(['a\u200d']);
		expect(fallbackGraphemes('a\u200db\u200dc')).toEqual(['a\u200db\u200dc']);
		expect(fallbackGraphemes('\ra\r')).toEqual(['\r', 'a', '\r']);
		expect(fallbackGraphemes('a\nb')).toEqual(['a', '\n', 'b']);
		expect(fallbackGraphemes('')).toEqual([]);
	});

	// Hangul jamo: Intl joins a leading consonant and a vowel, the coarser fallback does not.
	const JAMO = '\u1100\u1161';

	it('uses Intl.Segmenter unless told not to', () => {
		expect(graphemes(JAMO)).toEqual([JAMO]);
		expect(graphemes(JAMO, false)).toEqual(['\u1100', '\u1161']);
		expect(splitText(`${JAMO}${JAMO}`, 3)).toEqual([JAMO, JAMO]);
		expect(splitText(`${JAMO}${JAMO}`, 3, { useIntl: false })).toEqual([`${JAMO}\u1100`, '\u1161']);
	});

	describe('on a runtime without a working Intl.Segmenter', () => {
		const original = Object.getOwnPropertyDescriptor(Intl, 'Segmenter');
		afterEach(() => {
			if (original) Object.defineProperty(Intl, 'Segmenter', original);
		});

		it('falls back when there is none', () => {
			Object.defineProperty(Intl, 'Segmenter', { value: undefined, configurable: true });
			expect(graphemes(JAMO)).toEqual(['\u1100', '\u1161']);
		});

		it('falls back when it refuses grapheme granularity', () => {
			const refusing = function Segmenter() {
				throw new RangeError('granularity not supported');
			};
			Object.defineProperty(Intl, 'Segmenter', { value: refusing, configurable: true });
			expect(graphemes(JAMO)).toEqual(['\u1100', '\u1161']);
		});
	});
});

describe('splitText limits', () => {
	it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (limit) => {
		expect(() => splitText('abc', limit)).toThrow(new RangeError(`Invalid text limit ${limit}`));
	});

	it('takes a limit of one code point', () => {
		expect(splitText('ab', 1)).toEqual(['a', 'b']);
	});
});

describe('splitText cut points', () => {
	it('sends nothing for blank text longer than the limit', () => {
		expect(splitText(' '.repeat(20), 10)).toEqual([]);
	});

	it('takes whitespace that starts right at the limit as the cut', () => {
		expect(splitText('abcd efgh', 4)).toEqual(['abcd', 'efgh']);
	});

	it('does not cut before the first character or after only no-break spaces', () => {
		expect(splitText('  abcdef', 5)).toEqual(['  abc', 'def']);
		expect(splitText('\u00a0\u00a0 abcdefg', 5)).toEqual(['\u00a0\u00a0 ab', 'cdefg']);
	});

	it('does not cut at whitespace inside a grapheme cluster', () => {
		// A space carrying a combining accent, and a prepended sign that takes the space with it.
		expect(splitText('abc \u0301de', 5)).toEqual(['abc \u0301', 'de']);
		expect(splitText('ab\u0600 cd', 4)).toEqual(['ab\u0600 ', 'cd']);
	});

	it('drops a blank piece of a cluster cut by code points', () => {
		expect(splitText('a \u0301b', 1)).toEqual(['a', '\u0301', 'b']);
	});

	it('looks for a boundary only a little past the window', () => {
		// The blank line after the long run of spaces is too far away to count as a paragraph
		// break inside the window: the earlier one is the cut.
		expect(splitText(`aa\n\nbb${' '.repeat(100)}\n\ncc`, 10)).toEqual(['aa', 'bb', 'cc']);
	});
});
