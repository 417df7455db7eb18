/**
 * Folds the typographic variety of real text into one plain form, so that the same word
 * typed in Discord and written in an article compares equal: Unicode compatibility forms,
 * curly quotes and apostrophes, dashes, zero-width and control characters.
 *
 * @example
 * normalizeText('Mexico’s “plan”\u200b') // => 'Mexico\'s "plan"'
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC`´]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033«»]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ')
  );
}

/**
 * Turns a heading or file name into the short lowercase form used in passage ids and
 * article slugs: "Cooperation vs. Coercion: Mexico’s Approach" → "cooperation-vs-coercion-mexicos-approach".
 */
export function slugify(text: string): string {
  return normalizeText(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
