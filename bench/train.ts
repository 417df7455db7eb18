import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadLexicon } from '../src/language/lexicon.js';
import { Engine } from '../src/search/engine.js';
import { DECISION_FEATURES, PASSAGE_FEATURES } from '../src/search/features.js';
import { DEFAULT_MODEL } from '../src/search/defaultModel.js';
import { loadReader } from '../src/language/reader.js';
import { dot, sigmoid, withPairs } from '../src/search/linear.js';
import {
  candidateProbabilities,
  SHORT_FEATURES,
  SHOW_FEATURES,
  showFeatures,
  type QuestionKind,
  type ShortCandidate,
} from '../src/search/shortAnswer.js';
import { validateModel, type RankModel } from '../src/search/model.js';
import { loadArticles } from '../src/content/loadArticles.js';
import { FIXTURE_DIR, ROOT, SEED_DIR } from '../tests/support/content.js';
import { loadDevset, type DevQuestion } from '../tests/support/devset.js';
import { fitLogistic, fitRanker, type RankingExample } from './fit.js';
import { calibrationTable, heldOutCalibration } from './calibration.js';
import { loadNq, nqPartOf, nqPools, type NqPart, type NqQuestion } from './nq.js';
import { crossQuestions, gradedReport, reportGroup, reportHeldOut, type GroupReport } from './heldOut.js';
import type { Passage } from '../src/search/chunk.js';
import {
  answerF1,
  isRightPassage,
  isRightSentence,
  loadOffTopic,
  loadSquad,
  SPLIT,
  type SquadArticle,
  type SquadQuestion,
} from './squad.js';

/**
 * `npm run train`: fits the relevance model on the SQuAD articles of SPLIT.fit and the fit part of
 * Natural Questions (bench/nq.ts), chooses the decision's thresholds on SPLIT.calibrate and NQ's
 * calibrate part, writes src/search/model.json with its measurements, and prints the reports on the
 * fitting and calibration articles. Deterministic: the same data and
 * code give the same model.
 *
 * `--held-out` fits nothing and prints the current model's report on the held-out articles; it is
 * for the final measurement only: choices made by looking at it would make it a fitting set.
 */
const lexicon = loadLexicon();
const squad = loadSquad();
const pick = (slugs: readonly string[]): SquadArticle[] =>
  slugs.map((slug) => squad.find((s) => s.article.slug === slug) as SquadArticle);
const fit = pick(SPLIT.fit);
const calibrate = pick(SPLIT.calibrate);
const build = (group: readonly SquadArticle[], model: RankModel): Engine =>
  Engine.build(
    group.map((s) => s.article),
    { lexicon, model },
  );

/**
 * The project's own development set (tests/fixtures/devset.json): news articles with a lead, key
 * insights and sections, and questions in chat style with typos, which SQuAD lacks. It joins the
 * fitting data, each question counting DEV_WEIGHT times; the separately written held-out set
 * (tests/fixtures/holdout) stays out, as a check.
 */
const dev = {
  seed: (await loadArticles(SEED_DIR)).articles,
  second: (await loadArticles(FIXTURE_DIR)).articles,
  questions: loadDevset(),
};
const DEV_WEIGHT = 2;
const devOf = (slug: string): DevQuestion[] =>
  dev.questions.filter((q) => q.expect.some((id) => id.startsWith(`${slug}#`)));
/** Natural Questions (bench/nq.ts): its fit part joins the fitting data, its calibrate part the thresholds'. */
const nq = loadNq();
const devOffTopic = dev.questions.filter((q) => q.expect.length === 0).map((q) => q.q);
const log = (message: string): void => {
  process.stderr.write(`[train] ${message}\n`);
};
const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Ranking examples: every fitting question's candidates over the fitting articles loaded together, and NQ's fit part. */
function rankingExamples(model: RankModel): RankingExample[] {
  const devEngine = Engine.build([...dev.seed, ...dev.second], { lexicon, model });
  const devExamples = dev.questions
    .filter((q) => q.expect.length > 0)
    .map((question) => {
      const { ranked } = devEngine.explain(question.q).result;
      return {
        rows: ranked.map((r) => r.features),
        right: ranked.map((r) => question.expect.includes(devEngine.passageAt(r.id).id)),
        weight: DEV_WEIGHT,
      };
    });
  // Natural Questions' fit part: each pool alone, asked its own answerable questions.
  const nqExamples = nq.flatMap((set) => {
    const questions = set.questions.filter((q) => q.answerable && nqPartOf(q.title) === 'fit');
    return nqPools(set, 'fit').flatMap((pool) => {
      const engine = Engine.build([pool.article], { lexicon, model });
      return questions
        .filter((q) => pool.titles.has(q.title))
        .map((question) => {
          const { ranked } = engine.explain(question.q).result;
          return {
            rows: ranked.map((r) => r.features),
            right: ranked.map((r) => isRightPassage(question, { text: engine.passageAt(r.id).text, answer: '' })),
          };
        });
    });
  });
  const engine = build(fit, model);
  return [
    ...devExamples,
    ...nqExamples,
    ...fit.flatMap((s) =>
      s.questions.map((question) => {
        const { ranked } = engine.explain(question.q).result;
        return {
          rows: ranked.map((r) => r.features),
          right: ranked.map((r) => {
            const passage = engine.passageAt(r.id);
            return passage ? isRightPassage(question, { text: passage.text, answer: '' }) : false;
          }),
        };
      }),
    ),
  ];
}

/** Share of fitting questions whose first passage is right and whose answer sentence holds the answer. */
function sentenceAccuracy(model: RankModel): number {
  const engine = build(fit, model);
  let right = 0;
  let total = 0;
  for (const question of fit.flatMap((s) => s.questions)) {
    const hit = engine.search(question.q, { limit: 1 }).hits[0];
    total++;
    if (hit && isRightSentence(question, { text: hit.passage.text, answer: hit.answer })) right++;
  }
  return right / total;
}

/**
 * Decision rows: every question asked of content, the decision model's features, whether its best
 * passage answers it (`right`), and whether the content answers it at all (`answerable`). Answerable
 * questions are asked of their articles together and of their own article alone; off-topic ones are
 * the other articles' questions asked of each article alone, and the hand-written ones.
 */
interface DecisionRows {
  rows: number[][];
  right: boolean[];
  answerable: boolean[];
  weights: number[];
  probabilities: number[];
  /**
   * Which kind of question each row is: SQuAD, Natural Questions (QED or CLAPNQ), or the project's
   * own development set. A CLAPNQ question that is not answerable meets a passage on its own topic;
   * the others that are not answerable are off-topic.
   */
  source: QuestionSource[];
}

type QuestionSource = 'squad' | 'qed' | 'clapnq' | 'dev';

/**
 * How much a Natural Questions row counts in the decision's fit, against a SQuAD row, and how much
 * more a CLAPNQ unanswerable one does. NQ's own questions are few (995 in the fit part, against
 * 2,628 SQuAD rows answerable; its other 8,200 rows are other pools' questions asked as off-topic)
 * and closer to how people ask; a same-topic unanswerable question is the rarest and hardest kind of
 * "no". Chosen on the calibration parts with a NumPy copy of this fit over sixteen candidate
 * features (bench/README.md, "Calibration"), eleven pairs from NQ ×1–10 and unanswerable ×1–20:
 * 5 × 8 gave the most confident answers on both sets with the targets held (SQuAD 56.58 %, QED
 * 46.84 %; 1 × 1: 37.41 % and 28.16 %). With the engine's final 33 features, 5 × 8 gives 57.33 %
 * and 50.0 %, 1 × 1 40.82 % and 38.22 %.
 */
const NQ_WEIGHT = 5;
const UNANSWERABLE_WEIGHT = 8;
/**
 * How much a question of the project's own development set counts in the decision's fit. Its 105
 * news questions in chat style are the nearest to what the bot is asked, and the 16,000 rows of SQuAD
 * and NQ outweighed them. Chosen on a copy of the fit (bench/README.md, "Calibration"): its rows
 * weighted 2 (as for ranking), 10 and 40 gave 37.5 %, 48.86 % and 60.2 % of its answerable questions
 * a confident answer, SQuAD's and QED's calibration shares staying within 4 points. Here each
 * question is also asked of each article alone (about 4.5 times the rows), so 10 weighs about as 40
 * did there.
 */
const DEV_DECISION_WEIGHT = 10;

function decisionRows(
  group: readonly SquadArticle[],
  offTopic: readonly string[],
  model: RankModel,
  withDev: boolean,
  nqPart: NqPart,
): DecisionRows {
  const out: DecisionRows = { rows: [], right: [], answerable: [], weights: [], probabilities: [], source: [] };
  let source: QuestionSource = 'dev';
  /** Asks `engine` each question; `isRight` judges its best passage, `null` for questions the content does not answer. */
  const add = <Q>(
    engine: Engine,
    questions: readonly Q[],
    text: (q: Q) => string,
    isRight: ((q: Q, passage: Passage) => boolean) | null,
    weight = 1,
  ): void => {
    for (const question of questions) {
      const { plan, result } = engine.explain(text(question));
      const best = result.ranked[0];
      if (plan.terms.length === 0 || !best) continue;
      out.rows.push(result.decisionFeatures);
      out.right.push(isRight !== null && isRight(question, engine.passageAt(best.id)));
      out.answerable.push(isRight !== null);
      out.weights.push(weight);
      out.probabilities.push(result.confidence);
      out.source.push(source);
    }
  };
  const asked = (q: string): string => q;
  const devRight = (q: DevQuestion, passage: Passage): boolean => q.expect.includes(passage.id);
  const squadRight = (q: SquadQuestion, passage: Passage): boolean =>
    isRightPassage(q, { text: passage.text, answer: '' });
  if (withDev) {
    const seedQuestions = devOf('mexico-us-cartel-sovereignty');
    const secondQuestions = devOf('orkney-battery-ferry-winter');
    const both = Engine.build([...dev.seed, ...dev.second], { lexicon, model });
    add(both, [...seedQuestions, ...secondQuestions], (q) => q.q, devRight, DEV_DECISION_WEIGHT);
    add(both, devOffTopic, asked, null, DEV_DECISION_WEIGHT);
    for (const [articles, own, other] of [
      [dev.seed, seedQuestions, secondQuestions],
      [dev.second, secondQuestions, seedQuestions],
    ] as const) {
      const alone = Engine.build(articles, { lexicon, model });
      add(alone, own, (q) => q.q, devRight, DEV_DECISION_WEIGHT);
      add(alone, [...other.map((q) => q.q), ...devOffTopic, ...offTopic], asked, null, DEV_DECISION_WEIGHT);
    }
  }
  source = 'squad';
  const together = build(group, model);
  add(
    together,
    group.flatMap((s) => s.questions),
    (q) => q.q,
    squadRight,
  );
  add(together, offTopic, asked, null);
  for (const alone of group) {
    const engine = build([alone], model);
    add(engine, alone.questions, (q) => q.q, squadRight);
    add(engine, crossQuestions(group, alone), asked, null);
    add(engine, offTopic, asked, null);
  }
  // Natural Questions of the same part (bench/nq.ts): each pool alone, its own questions (CLAPNQ's
  // unanswerable ones never right), and for QED the other pools' questions as off-topic ones.
  for (const set of nq) {
    source = set.name;
    const questions = set.questions.filter((q) => nqPartOf(q.title) === nqPart);
    for (const pool of nqPools(set, nqPart)) {
      const engine = Engine.build([pool.article], { lexicon, model });
      const own = questions.filter((q) => pool.titles.has(q.title));
      const text = (q: NqQuestion): string => q.q;
      add(
        engine,
        own.filter((q) => q.answerable),
        text,
        squadRight,
        NQ_WEIGHT,
      );
      add(
        engine,
        own.filter((q) => !q.answerable),
        text,
        null,
        NQ_WEIGHT * UNANSWERABLE_WEIGHT,
      );
      if (set.name === 'qed')
        add(
          engine,
          questions.filter((q) => !pool.titles.has(q.title)),
          text,
          null,
          NQ_WEIGHT,
        );
    }
  }
  return out;
}

/**
 * The decision's two thresholds, chosen on the calibration parts of SQuAD and Natural Questions,
 * each kind of question (SQuAD's, QED's, CLAPNQ's) held to the targets on its own, so that the
 * easier kind cannot carry the other: `refuse`, the highest that refuses at most `refused` of each
 * kind's answerable questions; `confident`, the lowest above it at which each kind's answers given
 * with confidence are right at least `right` of the time, at most `offTopic` of its off-topic
 * questions and `unanswerable` of CLAPNQ's same-topic unanswerable ones get one. The targets are the
 * issue's, tightened by a margin where one question weighs little: 90 % → 92 % right, 1 % → 0.8 %
 * off-topic. Refusal is the 1 %: NQ's calibration part has 348 and 83 answerable questions,
 * so one refusal is 0.29 and 1.2 points. CLAPNQ's unanswerable calibration questions are only 57
 * (58, one without a word to look up; one is 1.8 points), so theirs is the 10 % too. The project's development set (news
 * questions in chat style, also fitted on) only bounds `refuse`: none of its answerable questions
 * refused, as the issue asks of the bundled article's. Without it `refuse` was 0.020 and refused
 * one of them, and a paraphrase of the bundled article's tests; SQuAD's and QED's off-topic
 * calibration questions were refused 78 % and 54 % of the time, and 62 % and 34 % at 0.0066 (the
 * rest are answered hedged).
 */
const TARGETS = { refused: 0.01, right: 0.92, offTopic: 0.008, unanswerable: 0.1, devRefused: 0 };

/**
 * How the decision model is fitted: L2 1e-4 and 4,000 Adam steps gave the most confident answers at
 * the targets on the calibration articles (63.6 %, against 59.5–63.9 % for L2 1e-3 to 1e-5 and 1,500
 * to 8,000 steps), none of it looked at on the held-out ones.
 */
const DECISION_FIT = { l2: 1e-4, steps: 4000 };

/** The rows of each kind of question: its answerable ones, and the others (off-topic, or for CLAPNQ same-topic unanswerable). */
function byKind(rows: DecisionRows): Array<{ kind: QuestionSource; answerable: number[]; others: number[] }> {
  return [...new Set(rows.source)].map((kind) => {
    const at = rows.source.flatMap((source, i) => (source === kind ? [i] : []));
    return {
      kind,
      answerable: at.filter((i) => rows.answerable[i]),
      others: at.filter((i) => !rows.answerable[i]),
    };
  });
}

function thresholds(calibration: DecisionRows, targets = TARGETS): { refuse: number; confident: number } {
  const p = (i: number): number => calibration.probabilities[i] ?? 0;
  const kinds = byKind(calibration);
  // Questions whose probability is 0 (the text holds none of their words) are refused whatever the
  // threshold: they count against the target, and the threshold refuses no more than the target or
  // them, whichever is more.
  const refuse = Math.max(
    0.0001,
    Math.min(
      ...kinds.map(({ kind, answerable }) => {
        const sorted = answerable.map(p).sort((a, b) => a - b);
        const refusedAnyway = sorted.filter((q) => q === 0).length;
        const target = kind === 'dev' ? targets.devRefused : targets.refused;
        return sorted[Math.max(refusedAnyway, Math.floor(sorted.length * target))] ?? 0.5;
      }),
    ) - 1e-6,
  );
  const holds = (t: number): boolean =>
    kinds.every(({ kind, answerable, others }) => {
      if (kind === 'dev') return true;
      const given = answerable.filter((i) => p(i) >= t);
      const right = given.filter((i) => calibration.right[i]).length;
      const wrong = others.filter((i) => p(i) >= t).length / Math.max(1, others.length);
      return (
        given.length > 0 &&
        right / given.length >= targets.right &&
        wrong <= (kind === 'clapnq' ? targets.unanswerable : targets.offTopic)
      );
    });
  const candidates = [...new Set(calibration.probabilities)].filter((t) => t > refuse).sort((a, b) => a - b);
  return { refuse: round(refuse, 6), confident: round(candidates.find(holds) ?? 0.999, 6) };
}

/**
 * What the thresholds do on each kind of question: answerable refused, confident answers given and
 * right, the others (off-topic; for CLAPNQ same-topic unanswerable) answered with confidence and refused.
 */
function graded(rows: DecisionRows, refuse: number, confident: number): Record<string, Record<string, number>> {
  const p = (i: number): number => rows.probabilities[i] ?? 0;
  const share = (n: number, of: number): number => round(n / Math.max(1, of));
  return Object.fromEntries(
    byKind(rows).map(({ kind, answerable, others }) => {
      const high = answerable.filter((i) => p(i) >= confident);
      return [
        kind,
        {
          answerableRefused: share(answerable.filter((i) => p(i) < refuse).length, answerable.length),
          highConfidence: share(high.length, answerable.length),
          highConfidenceRight: share(high.filter((i) => rows.right[i]).length, high.length),
          [kind === 'clapnq' ? 'unanswerableHighConfidence' : 'offTopicHighConfidence']: share(
            others.filter((i) => p(i) >= confident).length,
            others.length,
          ),
          [kind === 'clapnq' ? 'unanswerableRefused' : 'offTopicRefused']: share(
            others.filter((i) => p(i) < refuse).length,
            others.length,
          ),
        },
      ];
    }),
  );
}

/**
 * One factoid question's short-answer candidates in its best passage (its articles loaded together),
 * which of them match a gold answer (token F1 ≥ 0.5), and the show-or-not features of the best one.
 */
interface ShortRow {
  kind: QuestionKind;
  /** The passage was answered with confidence: only then is a short answer ever shown. */
  confident: boolean;
  candidates: ShortCandidate[];
  right: boolean[];
  best: string;
  bestF1: number;
  bestRight: boolean;
  show: number[];
}

/** The short-answer rows of a group's factoid questions, under `model`. */
function shortRows(group: readonly SquadArticle[], model: RankModel): ShortRow[] {
  const engine = Engine.build(
    group.map((s) => s.article),
    { lexicon, model, reader },
  );
  const rows: ShortRow[] = [];
  for (const question of group.flatMap((s) => s.questions)) {
    const explained = engine.explain(question.q);
    const found = engine.shortCandidates(question.q, explained);
    if (!found) continue;
    const { kind, candidates } = found;
    const probabilities = candidates.length > 0 ? candidateProbabilities(candidates, model.short) : [];
    const at = probabilities.indexOf(Math.max(...probabilities));
    const best = candidates[at];
    const bestF1 = best ? answerF1(best.text, question.answers) : 0;
    rows.push({
      kind,
      confident: explained.result.confidence >= model.decision.confident,
      candidates,
      right: candidates.map((c) => answerF1(c.text, question.answers) >= SHORT_RIGHT_F1),
      best: best?.text ?? '',
      bestF1,
      bestRight: bestF1 >= SHORT_RIGHT_F1,
      show: best ? showFeatures(kind, best, probabilities, explained.result.confidence) : [],
    });
  }
  return rows;
}

/** A short answer is right when its token F1 with a gold answer is at least this: the measure. */
const SHORT_RIGHT_F1 = 0.5;
/**
 * Short answers shown must be right at least this often on the calibration articles: issue 17's
 * 80 %, tightened by a margin as TARGETS are. Issue 26 asks 85 % on the held-out articles, which
 * this gives (85.16 %); raising it here would show fewer.
 */
const SHORT_PRECISION = 0.83;

/** The lowest show threshold at which the short answers shown on `rows` are right at least SHORT_PRECISION of the time. */
function shortThreshold(rows: readonly ShortRow[]): number {
  const scored = rows.map((row) => ({
    p: sigmoid(model.short.show.bias + dot(model.short.show.weights, row.show)),
    right: row.bestRight,
  }));
  for (const t of [...new Set(scored.map((s) => s.p))].sort((a, b) => a - b)) {
    const shown = scored.filter((s) => s.p >= t);
    if (shown.length > 0 && shown.filter((s) => s.right).length / shown.length >= SHORT_PRECISION) return round(t, 6);
  }
  return 0.999;
}

/** Short answers on factoid questions, in all and per kind: how often one is shown, right (F1 ≥ 0.5) when shown, exact match and mean F1. */
function shortReport(
  rows: readonly ShortRow[],
  model: RankModel,
): Record<
  'all' | QuestionKind,
  { questions: number; shown: number; rightWhenShown: number; exact: number; f1: number }
> {
  const measure = (subset: readonly ShortRow[]) => {
    const shown = subset.filter(
      (row) =>
        row.confident &&
        row.candidates.length > 0 &&
        sigmoid(model.short.show.bias + dot(model.short.show.weights, row.show)) >= model.short.show.threshold,
    );
    return {
      questions: subset.length,
      shown: round(shown.length / Math.max(1, subset.length)),
      rightWhenShown: round(shown.filter((row) => row.bestRight).length / Math.max(1, shown.length)),
      exact: round(shown.filter((row) => row.bestF1 === 1).length / Math.max(1, shown.length)),
      f1: round(shown.reduce((sum, row) => sum + row.bestF1, 0) / Math.max(1, shown.length)),
    };
  };
  const kinds: QuestionKind[] = ['person', 'date', 'place', 'number', 'thing'];
  return {
    all: measure(rows),
    ...(Object.fromEntries(kinds.map((kind) => [kind, measure(rows.filter((row) => row.kind === kind))])) as Record<
      QuestionKind,
      ReturnType<typeof measure>
    >),
  };
}

function withWeights(
  model: RankModel,
  changes: Partial<Pick<RankModel, 'ranking' | 'sentence' | 'decision' | 'short'>>,
): RankModel {
  return validateModel({ ...model, ...changes });
}

function summary(report: GroupReport): Record<string, number> {
  const { project } = report;
  return {
    hit1: round(project.hit1),
    hit3: round(project.hit3),
    mrr: round(project.mrr),
    sentence: round(project.sentence),
    answerableRefused: round(project.refused),
    crossArticleRefused: round(report.crossArticleRefused),
    handWrittenRefused: round(report.handWrittenRefused),
  };
}

function printReport(title: string, report: GroupReport): void {
  const row = (name: string, q: GroupReport['project']): string =>
    `| ${name} | ${q.questions} | ${round(q.hit1, 3)} | ${round(q.hit3, 3)} | ${round(q.mrr, 3)} | ${round(q.sentence, 3)} | ${round(q.refused, 4)} |`;
  console.log(`\n### ${title}: ${report.articles.join(', ')}\n`);
  console.log(
    '| engine | questions | hit@1 | hit@3 | MRR | best sentence | answerable refused |\n| --- | --- | --- | --- | --- | --- | --- |',
  );
  console.log(row('project', report.project));
  console.log(row('MiniSearch (plain)', report.minisearch));
  console.log(row('MiniSearch (stemmed + fuzzy)', report.stemmedFuzzy));
  console.log(
    `\nOff-topic refused: cross-article ${round(report.crossArticleRefused, 4)} of ${report.crossArticleQuestions}; hand-written ${round(report.handWrittenRefused, 4)} of ${report.handWrittenQuestions}`,
  );
}

if (process.argv.includes('--held-out')) {
  printReport('Held out', reportHeldOut(lexicon));
  console.log('\nGraded answers, each article alone:\n');
  console.log(JSON.stringify(gradedReport(SPLIT.heldOut, loadOffTopic('report'), lexicon, loadReader()), null, 2));
  console.log('\nHeld-out parts of SQuAD and Natural Questions (bench/nq.ts), against the goals:\n');
  console.log(calibrationTable(heldOutCalibration({ lexicon, reader: loadReader() })).join('\n'));
  process.exit(0);
}

let model = DEFAULT_MODEL;
const offTopicFit = loadOffTopic('fit');

/**
 * `--short-answers` refits only the short answers (step 5) over the current model's passages and
 * decision, for work on them alone; the full run fits every step.
 */
const shortOnly = process.argv.includes('--short-answers');
const earlier = (model.provenance ?? {}) as {
  sentenceAnswerTypeAccuracyOnFit?: number;
  calibration?: ReturnType<typeof graded>;
};
let bestSentence = { weight: model.sentence.answerType, accuracy: earlier.sentenceAnswerTypeAccuracyOnFit ?? -1 };
let calibrated: ReturnType<typeof graded> = earlier.calibration ?? {};
if (!shortOnly) {
  // 1. The answer-type weight for picking a passage's best sentence, by grid on the fitting articles.
  log('sentence answer-type weight');
  bestSentence = { weight: model.sentence.answerType, accuracy: -1 };
  for (const weight of [0, 0.1, 0.2, 0.3, 0.5]) {
    const accuracy = sentenceAccuracy(withWeights(model, { sentence: { answerType: weight } }));
    log(`  answerType ${weight}: best sentence ${round(accuracy)}`);
    if (accuracy > bestSentence.accuracy) bestSentence = { weight, accuracy };
  }
  model = withWeights(model, { sentence: { answerType: bestSentence.weight } });

  // 2. Ranking weights, twice: the candidates' features depend on the model only through the best sentence.
  log('ranking');
  const examples = rankingExamples(model);
  const rankingWeights = fitRanker(examples, model.ranking.weights).map((w) => round(w));
  model = withWeights(model, { ranking: { features: PASSAGE_FEATURES, weights: rankingWeights } });

  // 3. The decision model on the fitting articles: does the best passage answer the question?
  log('decision');
  const fitted = decisionRows(fit, offTopicFit, model, true, 'fit');
  const [bias = 0, ...decisionWeights] = fitLogistic(
    fitted.rows.map(withPairs),
    fitted.right,
    fitted.weights,
    DECISION_FIT.l2,
    DECISION_FIT.steps,
  ).map((w) => round(w));
  model = withWeights(model, {
    decision: { features: DECISION_FEATURES, weights: decisionWeights, bias, refuse: 0.01, confident: 0.5 },
  });

  // 4. Its two thresholds on the calibration articles (see TARGETS).
  log('thresholds');
  const calibration = decisionRows(calibrate, offTopicFit, model, true, 'calibrate');
  model = withWeights(model, { decision: { ...model.decision, ...thresholds(calibration) } });
  calibrated = graded(calibration, model.decision.refuse, model.decision.confident);
  log(
    `  refuse below ${model.decision.refuse}, confident from ${model.decision.confident}: ${JSON.stringify(calibrated)}`,
  );
  // How many off-topic questions each refusal level refuses, and how many answers could be confident
  // at each level of rightness, for whoever revisits TARGETS.
  for (const refused of [0.001, 0.002, 0.005, 0.008]) {
    const t = thresholds(calibration, { ...TARGETS, refused });
    log(
      `  answerable refused ≤ ${refused}: refuse below ${t.refuse}, ${JSON.stringify(graded(calibration, t.refuse, t.confident))}`,
    );
  }
  for (const right of [0.88, 0.9, 0.92, 0.94]) {
    const t = thresholds(calibration, { ...TARGETS, right }).confident;
    log(`  right ≥ ${right}: confident from ${t}, ${JSON.stringify(graded(calibration, model.decision.refuse, t))}`);
  }
}

// 5. Short answers: the candidates' ranking on the fitting articles, then when to show the best one.
log('short answers');
const reader = loadReader();
const fitShort = shortRows(fit, model);
const shortWeights = fitRanker(
  fitShort
    .filter((row) => row.confident)
    .map((row) => ({ rows: row.candidates.map((c) => c.features), right: row.right })),
  SHORT_FEATURES.map(() => 0),
).map((w) => round(w));
model = withWeights(model, {
  short: { ...model.short, ranking: { features: SHORT_FEATURES, weights: shortWeights } },
});
const showRows = (rows: readonly ShortRow[]): ShortRow[] =>
  rows.filter((row) => row.confident && row.candidates.length > 0);
const shown = showRows(shortRows(fit, model));
const [showBias = 0, ...showWeights] = fitLogistic(
  shown.map((row) => row.show),
  shown.map((row) => row.bestRight),
).map((w) => round(w));
model = withWeights(model, {
  short: { ...model.short, show: { features: SHOW_FEATURES, weights: showWeights, bias: showBias, threshold: 0.5 } },
});
const shortCalibration = showRows(shortRows(calibrate, model));
const showThreshold = shortThreshold(shortCalibration);
model = withWeights(model, { short: { ...model.short, show: { ...model.short.show, threshold: showThreshold } } });
const shortCalibrated = shortReport(shortRows(calibrate, model), model);
log(`  show from ${showThreshold}: ${JSON.stringify(shortCalibrated.all)}`);

const fitReport = reportGroup(SPLIT.fit, offTopicFit, lexicon, model);
const calibrationReport = reportGroup(SPLIT.calibrate, offTopicFit, lexicon, model);
const final: RankModel = {
  ...model,
  provenance: {
    data: 'SQuAD v1.1 train, first 11 articles (bench/data/squad, CC BY-SA 4.0), Natural Questions dev: QED and CLAPNQ (bench/data/nq), hand-written off-topic questions (bench/data/offtopic-fit.json) and the development set (tests/fixtures/devset.json)',
    fittedOn: [...SPLIT.fit, 'NQ titles of the fit part (bench/nq.ts)', 'tests/fixtures/devset.json'],
    thresholdChosenOn: [...SPLIT.calibrate, 'NQ titles of the calibrate part'],
    reportedOn: [...SPLIT.heldOut, 'NQ titles of the held-out part'],
    sentenceAnswerTypeAccuracyOnFit: round(bestSentence.accuracy),
    calibration: calibrated,
    shortAnswersOnCalibration: shortCalibrated,
    fit: summary(fitReport),
    calibrate: summary(calibrationReport),
  },
};
writeFileSync(path.join(ROOT, 'src/search/model.json'), `${JSON.stringify(final, null, 2)}\n`);
log('wrote src/search/model.json');
printReport('Fitting articles', fitReport);
printReport('Calibration articles', calibrationReport);
