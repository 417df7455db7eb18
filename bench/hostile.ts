import { ARTICLE_LIMITS } from '../src/content/limits.js';
import { seededRandom } from './corpus.js';

/**
 * Worst cases at the limits, for the property tests and the hostile-input bench: what an attacker
 * would send as a question, a web page or an article file to make the bot work hardest per byte.
 * Deterministic for a seed.
 */

/** Characters that cost the most per character somewhere: expanding under NFKC, combining, punctuation runs, Markdown. */
export const HOSTILE_UNITS = [
  '\u3316', // ㌖: six characters under NFKC
  '\uFDFA', // eighteen characters under NFKC
  'a\u0301\u0301\u0301', // combining marks
  '!',
  '.',
  '*_~`|',
  '[a](https://x.example)',
  '@everyone ',
  '<@123> ',
  '#',
  ' \n',
  'U.S. ',
  'word ',
  '\u202E',
  'ミ',
] as const;

/** `unit` repeated to exactly `length` characters. */
export function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** `count` distinct made-up words: every one a new term for the index. */
export function distinctWords(count: number, seed = 23): string[] {
  const random = seededRandom(seed);
  const letters = 'bcdfghjklmnpqrstvwxz';
  const words = new Set<string>();
  while (words.size < count) {
    let word = '';
    for (let i = 0; i < 7; i++) word += letters[Math.floor(random() * letters.length)] ?? 'b';
    words.add(word);
  }
  return [...words];
}

/** Words joined by spaces up to `length` characters, whole words only. */
function wordsUpTo(words: readonly string[], length: number): string {
  let text = '';
  for (const word of words) {
    if (text.length + word.length + 1 > length) break;
    text += text === '' ? word : ` ${word}`;
  }
  return text;
}

/**
 * The costliest article a moderator could upload, at every limit of {@link ARTICLE_LIMITS} (it
 * passes `parseArticle`): the longest title of distinct words (indexed with each passage), as many
 * sections as the block limit allows under the longest headings, and sentences sized so that each
 * paragraph becomes overlapping windows sharing a sentence (its text indexed twice), all of distinct
 * words, filling the byte limit.
 *
 * @example
 * parseArticle('worst.md', worstArticle(), 'worst').article !== null // => true
 */
export function worstArticle(limits: typeof ARTICLE_LIMITS = ARTICLE_LIMITS, seed = 23): string {
  const words = distinctWords(Math.ceil(limits.bytes / 4), seed);
  let next = 0;
  const take = (length: number): string => {
    const text = wordsUpTo(words.slice(next, next + length), length);
    next += text.split(' ').length;
    return text;
  };
  const lines = ['---', `title: "${take(limits.titleChars)}"`, '---', '', take(400), ''];
  let bytes = lines.join('\n').length;
  // Two sentences of ~480 characters fit one 1,000-character window; three make two windows sharing one.
  const paragraph = (): string => `${take(480)}. ${take(480)}. ${take(480)}.`;
  for (let blocks = 1; blocks + 2 <= limits.blocks; blocks += 2) {
    const section = ['', `## ${take(limits.headingChars)}`, '', paragraph()].join('\n');
    if (bytes + section.length + 1 > limits.bytes) break;
    lines.push(section);
    bytes += section.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The costliest web page whose article is still accepted: as many elements as the page limits
 * allow (each a few characters of text, so the article stays under its byte limit), nested as deep
 * as they go and far deeper, and a run of 20,000 "!" (a splitter that backtracks chokes on it).
 */
export function worstPage(elements: number, depth: number): string {
  const nested = `${'<div>'.repeat(depth)}${'Deep text here! '.repeat(20)}${'</div>'.repeat(depth)}`;
  const spans = Math.max(0, elements - 40);
  const body = `<p>${'<span>a! </span>'.repeat(spans)}</p>`;
  return `<!doctype html><html><head><title>${'Headline words '.repeat(40)}</title></head><body><article><h1>Worst page</h1>${nested}${body}<p>${'!'.repeat(20_000)}</p></article></body></html>`;
}
