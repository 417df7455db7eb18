/**
 * Characters that change how text reads without being seen: bidirectional controls and marks
 * (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), the zero-width space, word joiners, the
 * byte-order mark and soft hyphens. The zero-width joiners (U+200C, U+200D) stay: emoji and some
 * scripts are written with them.
 */
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF\u00AD]/g;
/** Control characters (C0 but tab and line breaks, DEL, C1) and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * Text as it is seen: invisible characters removed and control characters turned into spaces,
 * nothing else changed. What every article's text goes through when it is read, so a title or a
 * passage can neither reorder what is shown (a right-to-left override) nor drive a terminal.
 *
 * @example
 * visibleText('Safe\u202Etxt.exe\u0007') // => 'Safetxt.exe '
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').replace(CONTROL, ' ');
}

/**
 * Folds the typographic variety of real text into one plain form, so that the same word
 * typed in Discord and written in an article compares equal: Unicode compatibility forms,
 * curly quotes and apostrophes, dashes, invisible and control characters.
 *
 * @example
 * normalizeText('Mexico’s “plan”\u200b') // => 'Mexico\'s "plan"'
 */
export function normalizeText(text: string): string {
  return visibleText(text.normalize('NFKC'))
    .replace(/[\u200C\u200D]/g, '')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}

/** Text that is a slug already: lowercase letters and digits in runs joined by single hyphens. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Turns a heading or file name into the short lowercase form used in passage ids and
 * article slugs: "Cooperation vs. Coercion: Mexico’s Approach" → "cooperation-vs-coercion-mexicos-approach".
 */
export function slugify(text: string): string {
  // Already a slug (most file names): the same text, without the folding's cost at 100,000 files.
  if (SLUG.test(text)) return text;
  return normalizeText(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
