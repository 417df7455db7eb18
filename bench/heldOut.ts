import MiniSearch from 'minisearch';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import type { Lexicon } from '../src/search/lexicon.js';
import type { Reader } from '../src/search/reader.js';
import { factoidKind } from '../src/search/shortAnswer.js';
import { Engine } from '../src/search/engine.js';
import type { RankModel } from '../src/search/model.js';
import {
  answerF1,
  isRightPassage,
  loadOffTopic,
  loadSquad,
  measure,
  SPLIT,
  type Judged,
  type SquadArticle,
  type SquadQuality,
  type SquadQuestion,
} from './squad.js';

/** A question answerer under test: ranked passages, or `null` when it refuses. */
export type Answerer = (question: string) => Judged[] | null;

/** The project's engine as an answerer. */
export function engineAnswerer(engine: Engine): Answerer {
  return (q) => {
    const response = engine.search(q, { limit: 10 });
    return response.hits.length === 0
      ? null
      : response.hits.map((hit) => ({ text: hit.passage.text, answer: hit.answer }));
  };
}

/**
 * MiniSearch over the engine's passages, answering with each passage's first sentence: with its
 * defaults ("plain"), or with Porter stemming and fuzzy and prefix matching ("stemmed+fuzzy").
 */
export function miniSearchAnswerer(engine: Engine, variant: 'plain' | 'stemmed'): Answerer {
  const stemmed = variant === 'stemmed';
  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    ...(stemmed
      ? {
          processTerm: (term: string) => PorterStemmer.stem(term.toLowerCase()),
          searchOptions: { fuzzy: 0.2, prefix: true },
        }
      : {}),
  });
  const passages = [...engine.passages()];
  index.addAll(passages.map((passage, id) => ({ id, text: passage.text })));
  return (q) =>
    index
      .search(q)
      .slice(0, 10)
      .map((result) => {
        const passage = passages[result.id as number];
        return { text: passage?.text ?? '', answer: passage?.sentences[0] ?? '' };
      });
}

/** Share of questions refused. */
export function refusedShare(questions: readonly string[], answer: Answerer): number {
  return questions.filter((q) => answer(q) === null).length / Math.max(1, questions.length);
}

/** Questions of the other articles of a group, for asking one article alone. */
export function crossQuestions(group: readonly SquadArticle[], alone: SquadArticle): string[] {
  return group.filter((other) => other !== alone).flatMap((other) => other.questions.map((q) => q.q));
}

/** Everything reported for one model on a group of articles. */
export interface GroupReport {
  articles: string[];
  project: SquadQuality;
  minisearch: SquadQuality;
  stemmedFuzzy: SquadQuality;
  /** Each article alone, asked the other articles' questions. */
  crossArticleRefused: number;
  crossArticleQuestions: number;
  /** Hand-written off-topic questions: asked of the articles together and of each alone. */
  handWrittenRefused: number;
  handWrittenQuestions: number;
}

/** Reports a model's quality on a group of SQuAD articles (by slug) with a set of off-topic questions. */
export function reportGroup(
  slugs: readonly string[],
  offTopic: readonly string[],
  lexicon: Lexicon,
  model?: RankModel,
): GroupReport {
  const squad = loadSquad();
  const group = slugs.map((slug) => squad.find((s) => s.article.slug === slug) as SquadArticle);
  const build = (articles: SquadArticle[]): Engine =>
    Engine.build(
      articles.map((s) => s.article),
      { lexicon, ...(model ? { model } : {}) },
    );
  const together = build(group);
  const questions: SquadQuestion[] = group.flatMap((s) => s.questions);
  let crossRefused = 0;
  let crossCount = 0;
  let handRefused = refusedShare(offTopic, engineAnswerer(together)) * offTopic.length;
  let handCount = offTopic.length;
  for (const alone of group) {
    const answer = engineAnswerer(build([alone]));
    const cross = crossQuestions(group, alone);
    crossRefused += refusedShare(cross, answer) * cross.length;
    crossCount += cross.length;
    handRefused += refusedShare(offTopic, answer) * offTopic.length;
    handCount += offTopic.length;
  }
  return {
    articles: [...slugs],
    project: measure(questions, engineAnswerer(together)),
    minisearch: measure(questions, miniSearchAnswerer(together, 'plain')),
    stemmedFuzzy: measure(questions, miniSearchAnswerer(together, 'stemmed')),
    crossArticleRefused: crossRefused / crossCount,
    crossArticleQuestions: crossCount,
    handWrittenRefused: handRefused / handCount,
    handWrittenQuestions: handCount,
  };
}

/** The held-out report: the articles and off-topic questions no choice was made on. */
export function reportHeldOut(lexicon: Lexicon, model?: RankModel): GroupReport {
  return reportGroup(SPLIT.heldOut, loadOffTopic('report'), lexicon, model);
}

/** How the graded answers fare on a group of articles, each loaded alone, as the targets are stated. */
export interface GradedReport {
  articles: string[];
  answerable: number;
  /** Answerable questions refused as not covered. */
  answerableRefused: number;
  /** Answerable questions answered with high confidence. */
  highConfidence: number;
  /** High-confidence answers whose first passage is right. */
  highConfidenceRight: number;
  offTopic: number;
  /** The other articles' and the hand-written off-topic questions answered with high confidence. */
  offTopicHighConfidence: number;
  /** … refused as not covered. */
  offTopicRefused: number;
  /** Short answers on the factoid questions, in all and per kind of question. */
  short: Record<string, { questions: number; shown: number; rightWhenShown: number; exact: number; f1: number }>;
}

/**
 * The graded answers on a group of SQuAD articles, each loaded alone: its own questions (answerable),
 * the other articles' questions and the hand-written off-topic ones. A short answer counts as right
 * when its token F1 with a gold answer is at least 0.5; `exact` and `f1` are over the ones shown.
 */
export function gradedReport(
  slugs: readonly string[],
  offTopic: readonly string[],
  lexicon: Lexicon,
  reader: Reader,
  model?: RankModel,
): GradedReport {
  const squad = loadSquad();
  const group = slugs.map((slug) => squad.find((s) => s.article.slug === slug) as SquadArticle);
  let answerable = 0;
  let refused = 0;
  let high = 0;
  let highRight = 0;
  let off = 0;
  let offHigh = 0;
  let offRefused = 0;
  const short = new Map<string, { questions: number; shown: number; right: number; exact: number; f1: number }>();
  const tally = (kind: string) => {
    let row = short.get(kind);
    if (!row) short.set(kind, (row = { questions: 0, shown: 0, right: 0, exact: 0, f1: 0 }));
    return row;
  };
  for (const alone of group) {
    const engine = Engine.build([alone.article], { lexicon, reader, ...(model ? { model } : {}) });
    for (const question of alone.questions) {
      answerable++;
      const response = engine.search(question.q, { limit: 1 });
      const first = response.hits[0];
      if (!first) refused++;
      const confident = first !== undefined && response.confidence !== 'low';
      if (confident) {
        high++;
        if (isRightPassage(question, { text: first.passage.text, answer: first.answer })) highRight++;
      }
      const kind = factoidKind(question.q);
      if (kind === null) continue;
      for (const row of [tally('all'), tally(kind)]) {
        row.questions++;
        if (!first?.short) continue;
        const f1 = answerF1(first.short, question.answers);
        row.shown++;
        row.f1 += f1;
        if (f1 >= 0.5) row.right++;
        if (f1 === 1) row.exact++;
      }
    }
    for (const q of [...crossQuestions(group, alone), ...offTopic]) {
      off++;
      const response = engine.search(q, { limit: 1 });
      if (response.hits.length === 0) offRefused++;
      else if (response.confidence !== 'low') offHigh++;
    }
  }
  const share = (n: number, of: number): number => Math.round((n / Math.max(1, of)) * 10_000) / 10_000;
  return {
    articles: [...slugs],
    answerable,
    answerableRefused: share(refused, answerable),
    highConfidence: share(high, answerable),
    highConfidenceRight: share(highRight, high),
    offTopic: off,
    offTopicHighConfidence: share(offHigh, off),
    offTopicRefused: share(offRefused, off),
    short: Object.fromEntries(
      [...short].map(([kind, row]) => [
        kind,
        {
          questions: row.questions,
          shown: share(row.shown, row.questions),
          rightWhenShown: share(row.right, row.shown),
          exact: share(row.exact, row.shown),
          f1: share(row.f1, row.shown),
        },
      ]),
    ),
  };
}
