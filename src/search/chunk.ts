import type { Article, ArticleInfo } from '../content/article.js';
import { slugify } from '../content/normalize.js';
import type { EngineOptions } from './options.js';
import { fitSentences, flattenWhitespace, sentenceSpans, splitSentences, windowSentences } from './sentences.js';

/** One retrievable piece of an article: the lead, a key insight, or (a window of) one paragraph. */
export interface Passage {
  /** Stable id, `<slug>#<section>-<n>`, e.g. `mexico#key-insights-2`; the same content always gets the same ids. */
  id: string;
  article: ArticleInfo;
  /** Section heading; `null` for the lead and the paragraphs before the first heading, "Key Insights" for insights. */
  section: string | null;
  /** `about` is an answer about the article itself (its date, sources…), made for one question. */
  kind: 'lead' | 'insight' | 'paragraph' | 'about';
  /** Order of the passage within all passages of its article, from 0. */
  position: number;
  /** Which paragraph of the article's text it comes from (0 = the first, insights not counted; -1 for an insight). */
  paragraph: number;
  text: string;
  sentences: string[];
}

/**
 * Cuts an article into passages that follow its paragraphs: the lead (the first paragraph, or the
 * first few when they are short), each key insight, and every other paragraph on its own, before
 * the first heading too. A paragraph longer than `maxLength` becomes overlapping windows of whole
 * sentences, each sharing `overlap` sentences with the next.
 *
 * @example
 * chunkArticle(article, DEFAULT_OPTIONS.passages).map((p) => p.id)
 * // => ['mexico#lead-1', 'mexico#key-insights-1', …, 'mexico#the-road-ahead-2']
 */
export function chunkArticle(article: Article, options: EngineOptions['passages']): Passage[] {
  const passages: Passage[] = [];
  let paragraphNo = 0;
  const add = (
    section: string | null,
    kind: Passage['kind'],
    sectionKey: string,
    paragraphs: readonly string[],
  ): void => {
    let n = 0;
    for (const paragraph of paragraphs) {
      // Text and sentences are slices of one string: no copy of the article's text is made.
      const flat = flattenWhitespace(paragraph);
      const sentences = fitSentences(splitSentences(flat), options.maxLength);
      const spans = sentenceSpans(flat, sentences);
      for (const [first, last] of windowSentences(sentences, options.maxLength, options.overlap)) {
        n += 1;
        passages.push({
          id: `${article.slug}#${sectionKey}-${n}`,
          article,
          section,
          kind,
          position: passages.length,
          paragraph: kind === 'insight' ? -1 : paragraphNo,
          text: flat.slice(spans[2 * first], spans[2 * last + 1]),
          sentences: sentences.slice(first, last + 1),
        });
      }
      if (kind !== 'insight') paragraphNo += 1;
    }
  };
  const leadCount = leadLength(article.lead, options);
  add(null, 'lead', 'lead', leadCount > 0 ? [article.lead.slice(0, leadCount).join(' ')] : []);
  // The lead's paragraphs count one each, so paragraph numbers follow the text as written.
  paragraphNo = leadCount;
  add('Key Insights', 'insight', 'key-insights', article.insights);
  add(null, 'paragraph', 'body', article.lead.slice(leadCount));
  const used = new Map<string, number>();
  for (const section of article.sections) {
    const base = slugify(section.heading) || 'section';
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    add(section.heading, 'paragraph', count === 1 ? base : `${base}-${count}`, section.paragraphs);
  }
  return passages;
}

/** How many of the first paragraphs make the lead: one, or more while the lead is still short. */
function leadLength(paragraphs: readonly string[], options: EngineOptions['passages']): number {
  let count = 0;
  let length = 0;
  while (
    count < paragraphs.length &&
    count < options.leadMaxParagraphs &&
    (count === 0 || length < options.leadMinLength)
  ) {
    length += (paragraphs[count] ?? '').length;
    count += 1;
  }
  return count;
}
