import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../src/content/article.js';
import { slugify } from '../src/content/normalize.js';
import { ROOT } from '../tests/support/content.js';

/** One SQuAD question: its text, the paragraph that answers it, and the answer spans. */
export interface SquadQuestion {
  q: string;
  /** The article the question was written for. */
  slug: string;
  /** The text of the paragraph that answers it. */
  context: string;
  answers: string[];
}

/** A SQuAD article as the bot would serve it (a plain story without headings), and its questions. */
export interface SquadArticle {
  article: Article;
  questions: SquadQuestion[];
}

interface SquadFile {
  data: Array<{
    title: string;
    paragraphs: Array<{ context: string; qas: Array<{ question: string; answers: Array<{ text: string }> }> }>;
  }>;
}

/** The 11 SQuAD articles of bench/data/squad, in file order. */
export function loadSquad(): SquadArticle[] {
  const file = JSON.parse(
    readFileSync(path.join(ROOT, 'bench/data/squad/squad-v1.1-train-11-articles.json'), 'utf8'),
  ) as SquadFile;
  return file.data.map(({ title, paragraphs }) => {
    const name = title.replace(/_/g, ' ');
    const slug = slugify(name);
    const url = `https://en.wikipedia.org/wiki/${encodeURIComponent(title)}`;
    const article: Article = {
      slug,
      file: `${slug}.md`,
      origin: 'data',
      title: name,
      url,
      published: null,
      author: null,
      caption: null,
      sources: [url],
      lead: paragraphs.map((p) => p.context.replace(/\s+/g, ' ').trim()),
      insights: [],
      sections: [],
    };
    const questions = paragraphs.flatMap((p) =>
      p.qas.map((qa) => ({
        q: qa.question,
        slug,
        context: p.context.replace(/\s+/g, ' ').trim(),
        answers: [...new Set(qa.answers.map((a) => a.text.trim()))],
      })),
    );
    return { article, questions };
  });
}

/**
 * The split of the SQuAD articles, fixed before any tuning: ranking and coverage weights are fitted
 * on `fit`, the "not covered" threshold is chosen on `calibrate`, and quality is reported on
 * `heldOut`, which no choice of weight, threshold or option looked at.
 */
export const SPLIT = {
  fit: ['university-of-notre-dame', 'beyonce', 'montana', 'genocide'],
  calibrate: ['antibiotics', 'frederic-chopin'],
  heldOut: [
    'sino-tibetan-relations-during-the-ming-dynasty',
    'ipod',
    'the-legend-of-zelda-twilight-princess',
    'spectre-2015-film',
    '2008-sichuan-earthquake',
  ],
} as const;

/** A ranked answer as quality is judged: the passage's text and the sentence given as the answer. */
export interface Judged {
  text: string;
  answer: string;
}

/**
 * Whether a passage is the right one for a question: it comes from the question's paragraph (it
 * is part of it, or holds all of it, as a lead of several short paragraphs does) and holds an
 * answer span. The same judge serves every engine compared, whatever its passages.
 */
export function isRightPassage(question: SquadQuestion, passage: Judged): boolean {
  const fromParagraph = question.context.includes(passage.text) || passage.text.includes(question.context);
  return fromParagraph && question.answers.some((answer) => passage.text.includes(answer));
}

/** Whether the answer sentence holds an answer span. */
export function isRightSentence(question: SquadQuestion, passage: Judged): boolean {
  return question.answers.some((answer) => passage.answer.includes(answer));
}

/** A text as SQuAD compares answers: lowercase, without punctuation and articles, in words. */
function answerWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** SQuAD's token F1 of a predicted answer against the best-matching gold answer; 1 is an exact match. */
export function answerF1(predicted: string, gold: readonly string[]): number {
  const words = answerWords(predicted);
  let best = 0;
  for (const answer of gold) {
    const expected = answerWords(answer);
    const left = new Map<string, number>();
    for (const word of expected) left.set(word, (left.get(word) ?? 0) + 1);
    let common = 0;
    for (const word of words) {
      const n = left.get(word) ?? 0;
      if (n > 0) {
        common++;
        left.set(word, n - 1);
      }
    }
    if (common === 0) continue;
    const precision = common / words.length;
    const recall = common / expected.length;
    best = Math.max(best, (2 * precision * recall) / (precision + recall));
  }
  return best;
}

/** Quality over some questions, as the issue states it. */
export interface SquadQuality {
  questions: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** The first passage's answer sentence holds the answer. */
  sentence: number;
  /** Answerable questions that got no answer at all. */
  refused: number;
}

/** Measures ranked answers (`null` = refused) on questions that the loaded content answers. */
export function measure(questions: readonly SquadQuestion[], answer: (q: string) => Judged[] | null): SquadQuality {
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  let sentence = 0;
  let refused = 0;
  for (const question of questions) {
    const hits = answer(question.q);
    if (hits === null || hits.length === 0) {
      refused++;
      continue;
    }
    const rank = hits.slice(0, 10).findIndex((hit) => isRightPassage(question, hit));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    if (hits[0] && isRightSentence(question, hits[0])) sentence++;
  }
  const n = Math.max(1, questions.length);
  return {
    questions: questions.length,
    hit1: hit1 / n,
    hit3: hit3 / n,
    mrr: mrr / n,
    sentence: sentence / n,
    refused: refused / n,
  };
}

/** Hand-written off-topic questions (bench/data): `fit` for fitting and calibrating, `report` only for reporting. */
export function loadOffTopic(set: 'fit' | 'report'): string[] {
  return JSON.parse(readFileSync(path.join(ROOT, `bench/data/offtopic-${set}.json`), 'utf8')) as string[];
}
