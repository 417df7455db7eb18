import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadLexicon } from '../src/language/lexicon.js';
import { Engine } from '../src/search/engine.js';
import { COVERAGE_FEATURES, PASSAGE_FEATURES } from '../src/search/features.js';
import { DEFAULT_MODEL } from '../src/search/defaultModel.js';
import { validateModel, withPairs, type RankModel } from '../src/search/model.js';
import { loadArticles } from '../src/content/loadArticles.js';
import { FIXTURE_DIR, ROOT, SEED_DIR } from '../tests/support/content.js';
import { loadDevset, type DevQuestion } from '../tests/support/devset.js';
import { fitLogistic, fitRanker, type RankingExample } from './fit.js';
import { crossQuestions, reportGroup, reportHeldOut, type GroupReport } from './heldOut.js';
import { isRightPassage, isRightSentence, loadOffTopic, loadSquad, SPLIT, type SquadArticle } from './squad.js';

/**
 * `npm run train`: fits the relevance model on the SQuAD articles of SPLIT.fit, chooses the
 * "not covered" threshold on SPLIT.calibrate, writes src/search/model.json with its measurements,
 * and prints the reports on the fitting and calibration articles. Deterministic: the same data and
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
const devOffTopic = dev.questions.filter((q) => q.expect.length === 0).map((q) => q.q);
const log = (message: string): void => {
  process.stderr.write(`[train] ${message}\n`);
};
const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Ranking examples: every fitting question's candidates over the fitting articles loaded together. */
function rankingExamples(model: RankModel): RankingExample[] {
  const devEngine = Engine.build([...dev.seed, ...dev.second], { lexicon, model });
  const devExamples = dev.questions
    .filter((q) => q.expect.length > 0)
    .map((question) => {
      const { ranked } = devEngine.explain(question.q).result;
      return {
        rows: ranked.map((r) => r.features),
        right: ranked.map((r) => question.expect.includes(devEngine.passages[r.id]?.id ?? '')),
        weight: DEV_WEIGHT,
      };
    });
  const engine = build(fit, model);
  return [
    ...devExamples,
    ...fit.flatMap((s) =>
      s.questions.map((question) => {
        const { ranked } = engine.explain(question.q).result;
        return {
          rows: ranked.map((r) => r.features),
          right: ranked.map((r) => {
            const passage = engine.passages[r.id];
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

/** Coverage rows: (features, answerable?) for questions asked of content that does or does not cover them. */
function coverageRows(
  group: readonly SquadArticle[],
  offTopic: readonly string[],
  model: RankModel,
  withDev: boolean,
): { rows: number[][]; labels: boolean[]; weights: number[]; probabilities: number[] } {
  const rows: number[][] = [];
  const labels: boolean[] = [];
  const weights: number[] = [];
  const probabilities: number[] = [];
  const add = (engine: Engine, questions: readonly string[], label: boolean, weight = 1): void => {
    for (const q of questions) {
      const { plan, result } = engine.explain(q);
      if (plan.terms.length === 0 || result.ranked.length === 0) continue;
      rows.push(result.coverageFeatures);
      labels.push(label);
      weights.push(weight);
      probabilities.push(result.covered);
    }
  };
  if (withDev) {
    const seedQuestions = devOf('mexico-us-cartel-sovereignty').map((q) => q.q);
    const secondQuestions = devOf('orkney-battery-ferry-winter').map((q) => q.q);
    const both = Engine.build([...dev.seed, ...dev.second], { lexicon, model });
    add(both, [...seedQuestions, ...secondQuestions], true, DEV_WEIGHT);
    add(both, devOffTopic, false, DEV_WEIGHT);
    for (const [articles, own, other] of [
      [dev.seed, seedQuestions, secondQuestions],
      [dev.second, secondQuestions, seedQuestions],
    ] as const) {
      const alone = Engine.build(articles, { lexicon, model });
      add(alone, own, true, DEV_WEIGHT);
      add(alone, [...other, ...devOffTopic, ...offTopic], false, DEV_WEIGHT);
    }
  }
  add(
    build(group, model),
    group.flatMap((s) => s.questions.map((q) => q.q)),
    true,
  );
  add(build(group, model), offTopic, false);
  for (const alone of group) {
    const engine = build([alone], model);
    add(
      engine,
      alone.questions.map((q) => q.q),
      true,
    );
    add(engine, crossQuestions(group, alone), false);
    add(engine, offTopic, false);
  }
  return { rows, labels, weights, probabilities };
}

function withWeights(
  model: RankModel,
  changes: Partial<Pick<RankModel, 'ranking' | 'sentence' | 'covered'>>,
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
  process.exit(0);
}

let model = DEFAULT_MODEL;
const offTopicFit = loadOffTopic('fit');

// 1. The answer-type weight for picking a passage's best sentence, by grid on the fitting articles.
log('sentence answer-type weight');
let bestSentence = { weight: model.sentence.answerType, accuracy: -1 };
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

// 3. The coverage model on the fitting articles: their own questions against the others' and hand-written off-topic ones.
log('coverage');
const fitted = coverageRows(fit, offTopicFit, model, true);
const [bias = 0, ...coverageWeights] = fitLogistic(fitted.rows.map(withPairs), fitted.labels, fitted.weights).map((w) =>
  round(w),
);
model = withWeights(model, {
  covered: { features: COVERAGE_FEATURES, weights: coverageWeights, bias, threshold: 0.5 },
});

// 4. The threshold on the calibration articles: refuse at most 1 % of answerable questions, and so as many off-topic ones as that allows.
log('threshold');
const calibration = coverageRows(calibrate, offTopicFit, model, false);
const answerable = calibration.probabilities.filter((_, i) => calibration.labels[i]).sort((a, b) => a - b);
const threshold = round(Math.max(0.001, (answerable[Math.floor(answerable.length * 0.01)] ?? 0.5) - 1e-4), 4);
model = withWeights(model, { covered: { ...model.covered, threshold } });
const offTopicProbabilities = calibration.probabilities.filter((_, i) => !calibration.labels[i]);
const calibrated = {
  answerableRefused: round(answerable.filter((p) => p < threshold).length / answerable.length),
  offTopicRefused: round(offTopicProbabilities.filter((p) => p < threshold).length / offTopicProbabilities.length),
};
log(
  `  threshold ${threshold}: calibration answerable refused ${calibrated.answerableRefused}, off-topic refused ${calibrated.offTopicRefused}`,
);

const fitReport = reportGroup(SPLIT.fit, offTopicFit, lexicon, model);
const calibrationReport = reportGroup(SPLIT.calibrate, offTopicFit, lexicon, model);
const final: RankModel = {
  ...model,
  provenance: {
    data: 'SQuAD v1.1 train, first 11 articles (bench/data/squad, CC BY-SA 4.0), hand-written off-topic questions (bench/data/offtopic-fit.json) and the development set (tests/fixtures/devset.json)',
    fittedOn: [...SPLIT.fit, 'tests/fixtures/devset.json'],
    thresholdChosenOn: SPLIT.calibrate,
    reportedOn: SPLIT.heldOut,
    sentenceAnswerTypeAccuracyOnFit: round(bestSentence.accuracy),
    calibration: calibrated,
    fit: summary(fitReport),
    calibrate: summary(calibrationReport),
  },
};
writeFileSync(path.join(ROOT, 'src/search/model.json'), `${JSON.stringify(final, null, 2)}\n`);
log('wrote src/search/model.json');
printReport('Fitting articles', fitReport);
printReport('Calibration articles', calibrationReport);
