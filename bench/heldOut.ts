import MiniSearch from 'minisearch';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import type { Lexicon } from '../src/search/lexicon.js';
import { Engine } from '../src/search/engine.js';
import type { RankModel } from '../src/search/model.js';
import {
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
  index.addAll(engine.passages.map((passage, id) => ({ id, text: passage.text })));
  return (q) =>
    index
      .search(q)
      .slice(0, 10)
      .map((result) => {
        const passage = engine.passages[result.id as number];
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
