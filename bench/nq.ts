import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../src/content/article.js';
import { Engine } from '../src/search/engine.js';
import type { Lexicon } from '../src/search/lexicon.js';
import type { RankModel } from '../src/search/model.js';
import type { Reader } from '../src/search/reader.js';
import { ROOT } from '../tests/support/content.js';
import { factoidKind } from '../src/search/shortAnswer.js';
import { answerF1, isRightPassage, type SquadQuestion } from './squad.js';

/**
 * Natural Questions development data (bench/data/nq, see its README): real search queries, typed
 * before the searcher saw any page. QED: 1,355 questions with their answering Wikipedia paragraph
 * and short-answer spans; CLAPNQ: 300 answerable questions with their passage and its
 * answer-bearing sentences, and 300 unanswerable ones with a same-topic passage that does not
 * answer them.
 *
 * Split by title, fixed before any tuning: u = the first 4 bytes of sha256("nq-split-v1\n" +
 * title) over 2³²; fit u < 0.50, calibrate 0.50 ≤ u < 0.75, held-out u ≥ 0.75 (one function for
 * both sets, so a title in both lands in the same part).
 *
 * Pseudo-articles ("pools"): within one set and part, titles in hash order, all paragraphs of a
 * title together, a new pool once one holds ≥ 50 paragraphs (about a SQuAD article; a last pool
 * under 25 joins the one before), each pool one article with each Wikipedia title a `##` section.
 * Refusals and off-topic answers move with the pool size (idf, and the chances to match), so it is
 * fixed here.
 */
export const NQ_POOL_PARAGRAPHS = 50;

/** The three parts of the split. */
export type NqPart = 'fit' | 'calibrate' | 'heldOut';

/** An NQ question, judged as SQuAD's are (`isRightPassage`): for CLAPNQ its "answers" are the selected sentences. */
export interface NqQuestion extends SquadQuestion {
  title: string;
  set: 'qed' | 'clapnq';
  answerable: boolean;
}

const DIR = path.join(ROOT, 'bench/data/nq');

/** Where a title falls in [0, 1): the split's hash. */
export function splitPoint(title: string): number {
  return (
    createHash('sha256')
      .update(`nq-split-v1\n${title.normalize('NFC').trim()}`)
      .digest()
      .readUInt32BE(0) /
    2 ** 32
  );
}

/** The part a title belongs to. */
export function nqPartOf(title: string): NqPart {
  const u = splitPoint(title);
  return u < 0.5 ? 'fit' : u < 0.75 ? 'calibrate' : 'heldOut';
}

const ATTACH_LEFT = /^(?:[,.;:!?%)\]}]|'s|'S|n't|'re|'ve|'ll|'d|'m|''|\.\.\.)$/;
const ATTACH_RIGHT = /^(?:[([{$]|``)$/;

/** NQ's text is tokenized ("Röntgen , of Germany", "`` season ''"): joined back as it was written. */
export function detokenize(text: string): string {
  const tokens = text.replace(/\s+/g, ' ').trim().split(' ');
  let out = '';
  let glue = false;
  tokens.forEach((raw, i) => {
    const hyphen = raw === '-' && i > 0 && i + 1 < tokens.length;
    const token = raw === '``' || raw === "''" ? '"' : raw === '--' ? '–' : raw;
    out += out === '' || ATTACH_LEFT.test(raw) || hyphen || glue ? token : ` ${token}`;
    glue = ATTACH_RIGHT.test(raw) || hyphen;
  });
  return out;
}

const jsonl = <T>(file: string): T[] =>
  readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

/** One NQ set: its paragraphs by title, and its questions. */
export interface NqSet {
  name: 'qed' | 'clapnq';
  paragraphs: Map<string, string[]>;
  questions: NqQuestion[];
}

/** QED and CLAPNQ, detokenized. */
export function loadNq(): NqSet[] {
  const qedParagraphs = new Map<string, Set<string>>();
  const qed = jsonl<{
    title_text: string;
    question_text: string;
    paragraph_text: string;
    original_nq_answers: Array<Array<{ string: string }>>;
  }>('qed-dev.jsonl').map((row): NqQuestion => {
    const context = detokenize(row.paragraph_text);
    qedParagraphs.set(row.title_text, (qedParagraphs.get(row.title_text) ?? new Set()).add(context));
    return {
      q: row.question_text,
      slug: '',
      title: row.title_text,
      context,
      answers: [...new Set(row.original_nq_answers.flat().map((span) => detokenize(span.string)))],
      set: 'qed',
      answerable: true,
    };
  });
  const clapParagraphs = new Map<string, Set<string>>();
  const clapnq: NqQuestion[] = [];
  for (const [file, answerable] of [
    ['clapnq-dev-answerable.jsonl', true],
    ['clapnq-dev-unanswerable.jsonl', false],
  ] as const)
    for (const row of jsonl<{
      input: string;
      passages: Array<{ title: string; text: string }>;
      output: Array<{ selected_sentences?: string[] }>;
    }>(file)) {
      const passage = row.passages[0] ?? { title: '', text: '' };
      const context = detokenize(passage.text);
      clapParagraphs.set(passage.title, (clapParagraphs.get(passage.title) ?? new Set()).add(context));
      clapnq.push({
        q: row.input,
        slug: '',
        title: passage.title,
        context,
        answers: answerable ? [...new Set(row.output.flatMap((o) => o.selected_sentences ?? []).map(detokenize))] : [],
        set: 'clapnq',
        answerable,
      });
    }
  const listed = (map: Map<string, Set<string>>): Map<string, string[]> =>
    new Map([...map].map(([title, texts]) => [title, [...texts]]));
  return [
    { name: 'qed', paragraphs: listed(qedParagraphs), questions: qed },
    { name: 'clapnq', paragraphs: listed(clapParagraphs), questions: clapnq },
  ];
}

/** The pools of one set's part: each an article of `##` sections, one per Wikipedia title, and the titles it holds. */
export function nqPools(set: NqSet, part: NqPart): Array<{ article: Article; titles: Set<string> }> {
  const titles = [...set.paragraphs.keys()]
    .filter((title) => nqPartOf(title) === part)
    .sort((a, b) => splitPoint(a) - splitPoint(b));
  const groups: Array<{ titles: string[]; paragraphs: number }> = [];
  let current = { titles: [] as string[], paragraphs: 0 };
  for (const title of titles) {
    current.titles.push(title);
    current.paragraphs += set.paragraphs.get(title)?.length ?? 0;
    if (current.paragraphs >= NQ_POOL_PARAGRAPHS) {
      groups.push(current);
      current = { titles: [], paragraphs: 0 };
    }
  }
  const last = groups.at(-1);
  if (current.paragraphs > 0 && last && current.paragraphs < NQ_POOL_PARAGRAPHS / 2)
    last.titles.push(...current.titles);
  else if (current.paragraphs > 0) groups.push(current);
  return groups.map((group, k) => {
    const slug = `${set.name}-${part}-pool-${k + 1}`;
    const article: Article = {
      slug,
      file: `${slug}.md`,
      origin: 'data',
      title: `Reference pool ${k + 1}`,
      url: null,
      published: null,
      author: null,
      caption: null,
      sources: [],
      lead: [],
      insights: [],
      sections: group.titles.map((title) => ({ heading: title, paragraphs: set.paragraphs.get(title) ?? [] })),
    };
    return { article, titles: new Set(group.titles) };
  });
}

/** One question asked of its pool: the decision's probability, whether the first passage is right, and what the bot did. */
export interface NqOutcome {
  question: NqQuestion;
  /** `answerable`: its own pool's question; `offTopic`: another pool's QED question of the part, asked of this pool. */
  kind: 'answerable' | 'unanswerable' | 'offTopic';
  probability: number;
  right: boolean;
  confident: boolean;
  refused: boolean;
  /** The short answer shown with the first passage, if any (only confident answers get one). */
  short: string | null;
}

/**
 * Each pool of a part alone: its own questions, and for QED the other pools' questions of the part
 * as off-topic ones.
 */
export function nqOutcomes(
  sets: readonly NqSet[],
  part: NqPart,
  resources: { lexicon: Lexicon; reader: Reader; model?: RankModel },
): NqOutcome[] {
  const outcomes: NqOutcome[] = [];
  for (const set of sets) {
    const pools = nqPools(set, part);
    const questions = set.questions.filter((q) => nqPartOf(q.title) === part);
    for (const pool of pools) {
      const engine = Engine.build([pool.article], resources);
      const ask = (question: NqQuestion, kind: NqOutcome['kind']): NqOutcome => {
        const response = engine.search(question.q, { limit: 1 });
        const first = response.hits[0];
        const probability = engine.explain(question.q).result.confidence;
        const right =
          kind === 'answerable' &&
          first !== undefined &&
          isRightPassage(question, { text: first.passage.text, answer: first.answer });
        return {
          question,
          kind,
          probability,
          right,
          confident: first !== undefined && response.confidence === 'high',
          refused: !first,
          short: first?.short ?? null,
        };
      };
      for (const question of questions.filter((q) => pool.titles.has(q.title)))
        outcomes.push(ask(question, question.answerable ? 'answerable' : 'unanswerable'));
      if (set.name === 'qed')
        for (const question of questions.filter((q) => !pool.titles.has(q.title)))
          outcomes.push(ask(question, 'offTopic'));
    }
  }
  return outcomes;
}

/** Short answers on a set's factoid questions, in all and per kind: shown, and right when shown (token F1 ≥ 0.5 with a gold span). */
export function nqShortAnswers(
  outcomes: readonly NqOutcome[],
): Record<string, { questions: number; shown: number; rightWhenShown: number }> {
  const share = (n: number, of: number): number => Math.round((n / Math.max(1, of)) * 10_000) / 10_000;
  const tally = new Map<string, { questions: number; shown: number; right: number }>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'answerable' || outcome.question.set !== 'qed') continue;
    const kind = factoidKind(outcome.question.q);
    if (kind === null) continue;
    for (const key of ['all', kind]) {
      const row = tally.get(key) ?? { questions: 0, shown: 0, right: 0 };
      tally.set(key, row);
      row.questions++;
      if (outcome.short === null) continue;
      row.shown++;
      if (answerF1(outcome.short, outcome.question.answers) >= 0.5) row.right++;
    }
  }
  return Object.fromEntries(
    [...tally].map(([kind, row]) => [
      kind,
      { questions: row.questions, shown: share(row.shown, row.questions), rightWhenShown: share(row.right, row.shown) },
    ]),
  );
}

/** What the table reports of a set's outcomes. */
export interface NqSummary {
  answerable: number;
  confident: number;
  confidentRight: number;
  answerableRefused: number;
  unanswerable: number;
  unanswerableConfident: number;
  offTopic: number;
  offTopicConfident: number;
}

/** The shares of a set's outcomes (0–1, four decimals). */
export function nqSummary(outcomes: readonly NqOutcome[]): NqSummary {
  const share = (n: number, of: number): number => Math.round((n / Math.max(1, of)) * 10_000) / 10_000;
  const answerable = outcomes.filter((o) => o.kind === 'answerable');
  const confident = answerable.filter((o) => o.confident);
  const unanswerable = outcomes.filter((o) => o.kind === 'unanswerable');
  const offTopic = outcomes.filter((o) => o.kind === 'offTopic');
  return {
    answerable: answerable.length,
    confident: share(confident.length, answerable.length),
    confidentRight: share(confident.filter((o) => o.right).length, confident.length),
    answerableRefused: share(answerable.filter((o) => o.refused).length, answerable.length),
    unanswerable: unanswerable.length,
    unanswerableConfident: share(unanswerable.filter((o) => o.confident).length, unanswerable.length),
    offTopic: offTopic.length,
    offTopicConfident: share(offTopic.filter((o) => o.confident).length, offTopic.length),
  };
}
