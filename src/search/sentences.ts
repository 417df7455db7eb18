/**
 * Abbreviations that end with a period without ending a sentence. General English titles,
 * months, units and Latin shorthands; dotted acronyms such as "U.S." and single initials are
 * recognised by shape, not listed.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set(
  (
    'mr mrs ms dr prof sr jr st mt ft gen sen rep gov pres lt col capt cmdr sgt adm maj rev hon supt ' +
    'insp det atty inc ltd co corp bros dept univ assn est approx vs v etc eg ie cf al fig figs no ' +
    'nos vol vols pp ch sec ed eds jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed ' +
    'thu thur thurs fri sat sun ave blvd rd hwy km kg lb lbs oz min hr hrs mph ca'
  ).split(' '),
);

/**
 * Capitalised words that begin a new sentence after an abbreviation that can also end one
 * ("… with the U.S. The move …"). After an abbreviation, only these start a new sentence, so
 * "U.S. Defense Secretary" and "Dr. Smith" stay whole.
 */
const SENTENCE_STARTERS: ReadonlySet<string> = new Set(
  (
    'the this that these those it its he she they we i you there a an but and or so yet in on at as ' +
    'for if when while after before since however meanwhile still his her their our my some many most ' +
    'both each all no one such what why how who'
  ).split(' '),
);

/**
 * The text on one line with single spaces, and the very same string when it already is, so
 * slices of it share the article's memory instead of copying it.
 */
export function flattenWhitespace(text: string): string {
  return /\s\s|[^\S ]/.test(text) || /^\s/.test(text) || text.endsWith(' ') ? text.replace(/\s+/g, ' ').trim() : text;
}

/**
 * A run of sentence-final marks with any closing quotes or brackets, then white space. It is
 * tried only where a run starts (the look-behind) and takes the run whole (the look-ahead and
 * back-reference, an atomic group), so a run of 100,000 "!" is read once, not once per mark.
 */
const BOUNDARY = /(?<![.!?…])(?=([.!?…]+))\1["'”’)\]]*\s+/g;

/**
 * Where sentences end in `text`, which is left as it is (line breaks, Markdown): for each, the
 * index just after its final mark and closing quotes, and where the next sentence starts. Unlike
 * natural's splitter it keeps "The U.S. economy", "Dr. Smith", "e.g. rice", "3.5 million" and
 * words such as "largest." at a sentence end right. The text after the last end is the last sentence.
 *
 * @example
 * sentenceEnds('The U.S. economy grew. Dr. Lee said so.') // => [{ end: 22, next: 23 }]
 */
export function sentenceEnds(text: string): Array<{ end: number; next: number }> {
  const ends: Array<{ end: number; next: number }> = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const next = match.index + match[0].length;
    if (next >= text.length) break;
    if (!endsSentence(text.slice(start, match.index + 1), text.slice(next))) continue;
    ends.push({ end: match.index + match[0].trimEnd().length, next });
    start = next;
  }
  return ends;
}

/**
 * Splits a paragraph into sentences (see {@link sentenceEnds}), on one line with single spaces.
 *
 * @example
 * splitSentences('The U.S. economy grew. Dr. Lee said so.')
 * // => ['The U.S. economy grew.', 'Dr. Lee said so.']
 */
export function splitSentences(paragraph: string): string[] {
  const text = flattenWhitespace(paragraph);
  if (text === '') return [];
  const sentences: string[] = [];
  let start = 0;
  for (const { end, next } of sentenceEnds(text)) {
    sentences.push(text.slice(start, end).trim());
    start = next;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

/** Whether a period-ended `before` closes a sentence, given the text that follows it. */
function endsSentence(before: string, after: string): boolean {
  const next = /^["'“‘([]*(\S+)/.exec(after)?.[1] ?? '';
  if (!/^[\p{Lu}\p{N}]/u.test(next)) return false;
  if (!before.endsWith('.')) return true;
  const lastWord = /(\S+)\.$/.exec(before.slice(-64))?.[1] ?? '';
  const bare = lastWord.replace(/^["'“‘([]+/, '');
  const isAbbreviation =
    ABBREVIATIONS.has(bare.toLowerCase().replace(/\./g, '')) ||
    /^(?:\p{L}\.)+\p{L}$/u.test(bare) ||
    /^\p{Lu}$/u.test(bare);
  if (!isAbbreviation) return true;
  return SENTENCE_STARTERS.has(next.replace(/[^\p{L}]/gu, '').toLowerCase());
}

/**
 * Groups sentences into windows of at most `maxLength` characters, so a long paragraph becomes
 * several passages that each read as whole sentences. Each window starts with the last `overlap`
 * sentences of the one before (when it has more than that), so every sentence is also shown with
 * its neighbour. Returns each window as the indexes of its first and last sentence; a sentence
 * longer than the limit makes a window of its own (see {@link fitSentences}).
 *
 * @example
 * windowSentences(['One two.', 'Three four.', 'Five six.'], 20, 1) // => [[0, 1], [1, 2]]
 */
export function windowSentences(sentences: readonly string[], maxLength: number, overlap = 0): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    let length = sentences[first]?.length ?? 0;
    while (last + 1 < sentences.length && length + 1 + (sentences[last + 1]?.length ?? 0) <= maxLength) {
      last += 1;
      length += 1 + (sentences[last]?.length ?? 0);
    }
    windows.push([first, last]);
    if (last + 1 >= sentences.length) break;
    // Step back `overlap` sentences, but always move forward.
    first = Math.max(first + 1, last + 1 - overlap);
  }
  return windows;
}

/** The sentences with any longer than `maxLength` cut at word boundaries into pieces that fit. */
export function fitSentences(sentences: readonly string[], maxLength: number): string[] {
  return sentences.flatMap((sentence) => cutLongSentence(sentence, maxLength));
}

function cutLongSentence(sentence: string, maxLength: number): string[] {
  if (sentence.length <= maxLength) return [sentence];
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxLength) {
    const cut = rest.lastIndexOf(' ', maxLength);
    const at = cut > maxLength / 2 ? cut : maxLength;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/**
 * Where each sentence sits in `text`, as [start, end) pairs: the sentences are slices of it, in order.
 *
 * @example
 * sentenceSpans('One. Two.', ['One.', 'Two.']) // => [0, 4, 5, 9]
 * @throws {Error} when a sentence is not found in order in `text`.
 */
export function sentenceSpans(text: string, sentences: readonly string[]): number[] {
  const spans: number[] = [];
  let cursor = 0;
  for (const sentence of sentences) {
    const start = text.indexOf(sentence, cursor);
    if (start === -1) throw new Error(`a sentence is not part of its text: "${sentence.slice(0, 60)}"`);
    spans.push(start, start + sentence.length);
    cursor = start + sentence.length;
  }
  return spans;
}
