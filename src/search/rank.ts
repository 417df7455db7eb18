import {
  COVERAGE_FEATURES,
  matchPassage,
  PASSAGE_FEATURES,
  share,
  type QuestionMatcher,
  type TermSource,
} from './features.js';
import { dot, sigmoid, withPairs, type RankModel } from './model.js';

/** A BM25 candidate from the index. */
export interface Candidate {
  id: number;
  bm25: number;
}

/** What ranking needs to know of a passage besides its terms. */
export interface PassageInfo {
  /** Its article's passages run from `first` to `last`. */
  first: number;
  last: number;
  lead: boolean;
  /** Share of the question's idf found in its article's title. */
  title: number;
}

/** A candidate after re-ranking: final score, best sentence, and which question words it holds. */
export interface Ranked {
  id: number;
  score: number;
  bestSentence: number;
  /** Per planned term, whether the passage holds it (or an expansion of it). */
  matchedTerms: boolean[];
  features: number[];
}

/** The ranked passages, and whether the content covers the question at all. */
export interface RankResult {
  ranked: Ranked[];
  /** Probability that the content answers the question, from the coverage model; 0 with no candidate. */
  covered: number;
  /** The coverage model's input, for training and for explaining a decision. */
  coverageFeatures: number[];
}

/**
 * Re-ranks BM25 candidates with the learned model, then decides from the best one whether the
 * content covers the question. BM25 alone favours passages that repeat one word; a question is
 * usually answered by one sentence holding most of its words, close together.
 */
export function rankCandidates(
  matcher: QuestionMatcher,
  candidates: readonly Candidate[],
  store: TermSource,
  infoOf: (id: number) => PassageInfo,
  model: RankModel,
  reach: number,
): RankResult {
  const { plan } = matcher;
  const idf = plan.terms.map((term) => term.idf);
  const specificity = plan.terms.map((term) => term.specificity);
  const n = plan.terms.length;
  const top = Math.max(...candidates.map((c) => c.bm25), Number.EPSILON);
  const ranked: Ranked[] = candidates.map((candidate, rank) => {
    const info = infoOf(candidate.id);
    const match = matchPassage(matcher, store, candidate.id, candidate.id, reach, true);
    const types = store.sentenceTypes(candidate.id);
    let bestSentence = 0;
    let bestSentenceScore = -1;
    let sentence = 0;
    let window = 0;
    let typed = 0;
    for (let i = 0; i < types.length; i++) {
      const row = match.sentences[i];
      const coverage = row ? share(row, idf, plan.totalIdf) : 0;
      const isTyped = ((types[i] ?? 0) & matcher.answerFlag) !== 0 ? 1 : 0;
      const score = coverage + model.sentence.answerType * isTyped;
      if (score > bestSentenceScore) {
        bestSentence = i;
        bestSentenceScore = score;
        sentence = coverage;
        typed = isTyped;
      }
      const next = match.sentences[i + 1];
      if (row || next) {
        const both = new Float64Array(n);
        for (let t = 0; t < n; t++) both[t] = Math.max(row?.[t] ?? 0, next?.[t] ?? 0);
        window = Math.max(window, share(both, idf, plan.totalIdf));
      }
    }
    const coverage = share(match.words, idf, plan.totalIdf);
    const features = [
      candidate.bm25 / top,
      1 / (1 + rank),
      coverage,
      sentence,
      Math.max(window, sentence),
      n > 1 ? match.pairs.reduce((a, b) => a + b, 0) / (n - 1) : 0,
      typed,
      share(match.text, idf, plan.totalIdf) - share(match.exact, idf, plan.totalIdf),
      info.title,
      info.lead ? 1 : 0,
      match.words.reduce((count, w) => count + (w > 0 ? 1 : 0), 0) / Math.max(1, n),
      share(match.words, specificity, plan.totalSpecificity),
    ];
    return {
      id: candidate.id,
      score: dot(model.ranking.weights, features),
      bestSentence,
      matchedTerms: Array.from(match.words, (w) => w > 0),
      features,
    };
  });
  ranked.sort((a, b) => b.score - a.score || a.id - b.id);
  const best = ranked[0];
  if (!best) return { ranked, covered: 0, coverageFeatures: COVERAGE_FEATURES.map(() => 0) };
  const coverageFeatures = coverageFeaturesOf(matcher, store, best, infoOf(best.id), reach);
  // Text that matches none of the question's words cannot answer it, whatever its title says.
  const evidence = coverageFeatures[COVERAGE_FEATURES.indexOf('evidence')] ?? 0;
  const covered =
    evidence > 0 ? sigmoid(model.covered.bias + dot(model.covered.weights, withPairs(coverageFeatures))) : 0;
  return { ranked, covered, coverageFeatures };
}

/** The coverage model's input for a question and its best passage (see COVERAGE_FEATURES). */
function coverageFeaturesOf(
  matcher: QuestionMatcher,
  store: TermSource,
  best: Ranked,
  info: PassageInfo,
  reach: number,
): number[] {
  const { plan } = matcher;
  const specificity = plan.terms.map((term) => term.specificity);
  const total = plan.totalSpecificity;
  const passage = matchPassage(matcher, store, best.id, best.id, reach, true);
  const sentence = passage.sentences[best.bestSentence];
  const article = matchPassage(matcher, store, info.first, info.last, reach, false);
  let missing = 0;
  let missingMax = 0;
  let unmatchedMax = 0;
  let missingName = 0;
  plan.terms.forEach((term, t) => {
    if (term.alternatives.length === 0) {
      missing += term.specificity;
      missingMax = Math.max(missingMax, term.specificity);
      if (term.name) missingName = 1;
    }
    if ((passage.text[t] ?? 0) === 0) unmatchedMax = Math.max(unmatchedMax, term.specificity);
  });
  const features: Record<(typeof COVERAGE_FEATURES)[number], number> = {
    score: best.score,
    passage: share(passage.text, specificity, total),
    sentence: sentence ? share(sentence, specificity, total) : 0,
    exact: share(passage.exact, specificity, total),
    article: share(article.text, specificity, total),
    missing: total > 0 ? missing / total : 0,
    missingMax,
    unmatchedMax,
    missingName,
    coverage: best.features[PASSAGE_FEATURES.indexOf('coverage')] ?? 0,
    length: Math.min(plan.terms.length, 6) / 6,
    instructions: matcher.form.instructions ? 1 : 0,
    personal: matcher.form.personal ? 1 : 0,
    typeMismatch:
      matcher.answerFlag !== 0 && (best.features[PASSAGE_FEATURES.indexOf('answerType')] ?? 0) === 0 ? 1 : 0,
    evidence: Math.min(1, share(passage.text, specificity, 3)),
    proximity: best.features[PASSAGE_FEATURES.indexOf('proximity')] ?? 0,
  };
  return COVERAGE_FEATURES.map((name) => features[name]);
}
