import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import type { AboutKind } from '../../src/search/about.js';
import { FIXTURE_DIR, HOLDOUT_DIR, ROOT, SEED_DIR } from '../../tests/support/content.js';
import {
  loadDevset,
  loadHoldout,
  engineAnswers,
  measureQuality,
  type DevQuestion,
  type Judged,
} from '../../tests/support/devset.js';
import { buildEngine } from '../../tests/support/engine.js';
import { gradedReport, reportHeldOut } from '../heldOut.js';
import { loadOffTopic, SPLIT } from '../squad.js';

/*
 * Answer quality: the SQuAD articles held out from fitting (the project's engine against plain and
 * stemmed+fuzzy MiniSearch over the same passages, and off-topic refusal; then the graded answers
 * and short answers with each article alone), the project's own
 * question sets about the bundled and test articles, and questions about the article itself.
 */
/** The project's engine over some articles, as the own question sets judge it. */
function projectAnswers(articles: readonly Article[]): (question: string) => Judged {
  return engineAnswers(buildEngine(articles));
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
const seed = (await loadArticles(SEED_DIR)).articles;
const second = (await loadArticles(FIXTURE_DIR)).articles;
const third = (await loadArticles(HOLDOUT_DIR)).articles;
const sets: Array<[string, Article[], DevQuestion[]]> = [
  ['dev: seed article', seed, loadDevset('mexico-us-cartel-sovereignty')],
  ['dev: second article', second, loadDevset('orkney-battery-ferry-winter')],
  ['dev: both articles', [...seed, ...second], loadDevset()],
  ['held-out: seed article', seed, loadHoldout('mexico-us-cartel-sovereignty')],
  ['held-out: third article', third, loadHoldout('llyn-maelor-bronze-age-village')],
];
const own = sets.map(([set, articles, questions]) => {
  const q = measureQuality(projectAnswers(articles), questions);
  return {
    set,
    questions: questions.length,
    hit1: round(q.hit1),
    hit3: round(q.hit3),
    mrr: round(q.mrr),
    answerAccuracy: round(q.answerAccuracy),
    answerableRefused: round(q.answerableRefused),
    confident: round(q.confident),
    offTopicAbstention: round(q.offTopicAbstention),
  };
});

const aboutQuestions = JSON.parse(readFileSync(path.join(ROOT, 'bench/data/about-questions.json'), 'utf8')) as Array<{
  q: string;
  kind: AboutKind;
}>;
const seedEngine = buildEngine(seed);
const aboutAnswered = aboutQuestions.filter(({ q, kind }) => seedEngine.search(q).about === kind).length;

const lexicon = loadLexicon();
const squad = reportHeldOut(lexicon);
const graded = gradedReport(SPLIT.heldOut, loadOffTopic('report'), lexicon, loadReader());
console.log(
  JSON.stringify({ squad, graded, own, about: { questions: aboutQuestions.length, answered: aboutAnswered } }),
);
