import type { Article } from '../content/article.js';
import { slugify } from '../content/normalize.js';
import { flattenWhitespace, splitSentences, windowSentences } from './sentences.js';

/** Longest passage, in characters: long paragraphs are split on sentence boundaries to fit. */
export const MAX_PASSAGE_LENGTH = 600;

/** One retrievable piece of an article: the lead, a key insight, or (part of) a paragraph. */
export interface Passage {
  /** Stable id, `<slug>#<section>-<n>`, e.g. `mexico#key-insights-2`. */
  id: string;
  article: Article;
  /** Section heading; `null` for the lead, "Key Insights" for insights. */
  section: string | null;
  kind: 'lead' | 'insight' | 'paragraph';
  /** Order of the passage within its article, from 0. */
  position: number;
  text: string;
  sentences: string[];
}

/**
 * Cuts an article into passages that follow its structure: the title with the lead, each key
 * insight, each paragraph (windows of whole sentences up to {@link MAX_PASSAGE_LENGTH}).
 *
 * @example
 * chunkArticle(article).map((p) => p.id)
 * // => ['mexico#lead-1', 'mexico#key-insights-1', …, 'mexico#the-road-ahead-2']
 */
export function chunkArticle(article: Article): Passage[] {
  const passages: Passage[] = [];
  const add = (section: string | null, kind: Passage['kind'], sectionKey: string, paragraphs: readonly string[]): void => {
    let n = 0;
    for (const paragraph of paragraphs) {
      // Text and sentences are slices of one string: no copy of the article's text is made.
      const flat = flattenWhitespace(paragraph);
      let cursor = 0;
      for (const sentences of windowSentences(splitSentences(flat), MAX_PASSAGE_LENGTH)) {
        const start = flat.indexOf(sentences[0] ?? '', cursor);
        cursor = start + sentences.reduce((length, sentence) => length + sentence.length, sentences.length - 1);
        n += 1;
        passages.push({
          id: `${article.slug}#${sectionKey}-${n}`,
          article,
          section,
          kind,
          position: passages.length,
          text: flat.slice(start, cursor),
          sentences,
        });
      }
    }
  };
  add(null, 'lead', 'lead', article.lead.length > 0 ? [article.lead.join(' ')] : []);
  add('Key Insights', 'insight', 'key-insights', article.insights);
  const used = new Map<string, number>();
  for (const section of article.sections) {
    const base = slugify(section.heading) || 'section';
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    add(section.heading, 'paragraph', count === 1 ? base : `${base}-${count}`, section.paragraphs);
  }
  return passages;
}
