import { DECISION_FEATURES, PASSAGE_FEATURES, share, type QuestionMatcher, type TermSource } from './features.js';
import { dot, sigmoid, withPairs } from './linear.js';
import type { RankModel } from './model.js';

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
  /** Per planned term, whether its article's title holds it. */
  titleTerms: readonly boolean[];
  /** Which paragraph of its article it comes from (windows of one long paragraph share it). */
  paragraph: number;
  /** Its section's heading (`null` for the lead and the text before the first heading). */
  section: string | null;
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

/** The ranked passages, and how likely the best one answers the question. */
export interface RankResult {
  ranked: Ranked[];
  /** Probability that the best passage answers the question, from the decision model; 0 with no candidate. */
  confidence: number;
  /** The decision model's input, for training and for explaining a decision. */
  decisionFeatures: number[];
}

/**
 * Re-ranks BM25 candidates with the learned model, then estimates from the best one (and how far
 * it stands ahead of the others) how likely it answers the question. BM25 alone favours passages
 * that repeat one word; a question is usually answered by one sentence holding most of its words,
 * close together.
 */
export function rankCandidates(
  matcher: QuestionMatcher,
  candidates: readonly Candidate[],
  store: TermSource,
  infoOf: (id: number) => PassageInfo,
  model: RankModel,
  reach: number,
  precedes: (a: number, b: number) => boolean,
): RankResult {
  const { plan } = matcher;
  const idf = plan.terms.map((term) => term.idf);
  const specificity = plan.terms.map((term) => term.specificity);
  const n = plan.terms.length;
  const top = Math.max(...candidates.map((c) => c.bm25), Number.EPSILON);
  const infos = new Map(candidates.map((candidate) => [candidate.id, infoOf(candidate.id)]));
  const known = (id: number): PassageInfo => infos.get(id) ?? infoOf(id);
  const ranked: Ranked[] = candidates.map((candidate, rank) => {
    const info = known(candidate.id);
    const match = store.match(matcher, candidate.id, candidate.id, reach, true);
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
  // Equal scores in the canonical order, so the same content ranks alike however it was indexed.
  ranked.sort((a, b) => b.score - a.score || (precedes(a.id, b.id) ? -1 : precedes(b.id, a.id) ? 1 : 0));
  const best = ranked[0];
  if (!best) return { ranked, confidence: 0, decisionFeatures: DECISION_FEATURES.map(() => 0) };
  const decisionFeatures = decisionFeaturesOf(matcher, store, ranked, known, reach);
  // Text that matches none of the question's words cannot answer it, whatever its title says ("what
  // about guns?" or "when were the gun laws passed?" under a headline with "Gun Laws"), unless its
  // section's heading names what the question asks about and its best sentence (with no question
  // word in the text, its first) holds the kind of fact asked for: under the heading "Safe Haven
  // (film)", "The film is set in Southport" says where Safe Haven takes place without naming it. The
  // model then weighs it like any other; its text-matching features are all 0.
  const evidence = decisionFeatures[DECISION_FEATURES.indexOf('evidence')] ?? 0;
  const underHeading = (): boolean =>
    matcher.answerFlag !== 0 &&
    best.features[PASSAGE_FEATURES.indexOf('answerType')] === 1 &&
    !known(best.id).lead &&
    store.match(matcher, best.id, best.id, reach, false).heading.some((weight) => weight > 0);
  const confidence =
    evidence > 0 || underHeading()
      ? sigmoid(model.decision.bias + dot(model.decision.weights, withPairs(decisionFeatures)))
      : 0;
  return { ranked, confidence, decisionFeatures };
}

/** Greatest difference of ranking scores the `margin` and `runnerUp` features tell apart. */
const MARGIN_SPAN = 4;
/**
 * Most standard deviations above the candidates' mean the `standout` feature tells apart. Set, not
 * tuned: with the usual 20 to 50 candidates, a best score 5 deviations out is far past any other.
 */
const STANDOUT_SPAN = 5;
/**
 * A question word at least this specific is a rare one (`rareHeld`, `rareMissing`): the middle of the
 * specificity scale (0 everyday, 1 never seen in everyday text), set, not tuned.
 */
const RARE = 0.5;
/** Most rare words missing the `rareMissing` feature tells apart: a question rarely has more than three. */
const RARE_MISSING_SPAN = 3;
/**
 * Share of their words two best sentences must share (over the shorter one's) to say the same
 * thing: a key insight restating a sentence of its article shares nearly all of them, two
 * sentences on one topic rarely half.
 */
const AGREEING_SENTENCES = 0.6;
/** Candidates whose best sentence is compared with the best one's. */
const COMPARED = 10;

/** How many of the smaller set's members the other holds, as a share of the smaller set. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const term of small) if (large.has(term)) shared++;
  return shared / small.size;
}

/** The decision model's input for a question and its ranked candidates (see DECISION_FEATURES). */
function decisionFeaturesOf(
  matcher: QuestionMatcher,
  store: TermSource,
  ranked: readonly Ranked[],
  infoOf: (id: number) => PassageInfo,
  reach: number,
): number[] {
  const best = ranked[0] as Ranked;
  const info = infoOf(best.id);
  const { plan } = matcher;
  const specificity = plan.terms.map((term) => term.specificity);
  const idf = plan.terms.map((term) => term.idf);
  const total = plan.totalSpecificity;
  const passage = store.match(matcher, best.id, best.id, reach, true);
  const sentence = passage.sentences[best.bestSentence];
  const article = store.match(matcher, info.first, info.last, reach, false);
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
  // The ranking model was fitted as a softmax over the candidates: its probabilities say how sure it is.
  const top = best.score;
  const exps = ranked.map((r) => Math.exp(r.score - top));
  const mass = exps.reduce((sum, e) => sum + e, 0);
  // Candidates agree with the best one when they come from its paragraph, or when their best
  // sentence says what its best sentence says (a key insight restating a paragraph of its article).
  // Only the first few are compared word by word: the others weigh next to nothing in the softmax.
  const said = store.sentenceTerms(best.id, best.bestSentence);
  const sameParagraph = ranked.map((r, i) => {
    const other = infoOf(r.id);
    if (other.first === info.first && other.paragraph === info.paragraph) return true;
    return i < COMPARED && overlap(said, store.sentenceTerms(r.id, r.bestSentence)) >= AGREEING_SENTENCES;
  });
  const rival = ranked.find((_, i) => !sameParagraph[i]);
  const softmaxOf = (agrees: (r: Ranked) => boolean): number =>
    ranked.reduce((sum, r, i) => sum + (agrees(r) ? (exps[i] ?? 0) : 0), 0) / mass;
  const mean = ranked.reduce((sum, r) => sum + r.score, 0) / ranked.length;
  const deviation = Math.sqrt(ranked.reduce((sum, r) => sum + (r.score - mean) ** 2, 0) / ranked.length);
  const second = ranked[1];
  // Rare words, and the words beyond the question's topic (those not in the best passage's title or heading).
  let rare = 0;
  let rareHeld = 0;
  let unmatchedIdf = 0;
  const beyond = { count: 0, specificity: 0, idf: 0, text: 0, sentence: 0, textIdf: 0 };
  plan.terms.forEach((term, t) => {
    const held = (passage.words[t] ?? 0) > 0;
    if (term.specificity >= RARE) {
      rare++;
      if (held) rareHeld++;
    }
    if (!held) unmatchedIdf = Math.max(unmatchedIdf, term.idf);
    if (info.titleTerms[t] || (passage.heading[t] ?? 0) > 0) return;
    const inText = (passage.text[t] ?? 0) > 0;
    beyond.count++;
    beyond.specificity += term.specificity;
    beyond.idf += term.idf;
    if (inText) {
      beyond.text += term.specificity;
      beyond.textIdf += term.idf;
    }
    if ((sentence?.[t] ?? 0) > 0) beyond.sentence += term.specificity;
  });
  const highestIdf = Math.max(...idf);
  const features: Record<(typeof DECISION_FEATURES)[number], number> = {
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
    exactIdf: share(passage.exact, idf, plan.totalIdf),
    bestSentence: best.features[PASSAGE_FEATURES.indexOf('sentence')] ?? 0,
    top: 1 / mass,
    paragraph: exps.reduce((sum, e, i) => sum + (sameParagraph[i] ? e : 0), 0) / mass,
    margin: rival ? Math.min(MARGIN_SPAN, top - rival.score) / MARGIN_SPAN : 1,
    runnerUp: second ? Math.min(MARGIN_SPAN, top - second.score) / MARGIN_SPAN : 1,
    // 0 with one candidate, or when they tie (their mean may round a hair above the best).
    standout:
      deviation > 1e-9 * Math.max(1, Math.abs(top))
        ? Math.max(0, Math.min(STANDOUT_SPAN, (top - mean) / deviation)) / STANDOUT_SPAN
        : 0,
    sameSection: softmaxOf((r) => {
      const other = infoOf(r.id);
      return other.first === info.first && other.section === info.section;
    }),
    sameArticle: softmaxOf((r) => infoOf(r.id).first === info.first),
    rareHeld: rare > 0 ? rareHeld / rare : 1,
    rareMissing: Math.min(RARE_MISSING_SPAN, rare - rareHeld) / RARE_MISSING_SPAN,
    unmatchedIdf: highestIdf > 0 ? unmatchedIdf / highestIdf : 0,
    beyondTopic: beyond.specificity > 0 ? beyond.text / beyond.specificity : 1,
    beyondTopicSentence: beyond.specificity > 0 ? beyond.sentence / beyond.specificity : 1,
    beyondTopicIdf: beyond.idf > 0 ? beyond.textIdf / beyond.idf : 1,
    topicOnly: beyond.count === 0 ? 1 : 0,
    topicShare: plan.terms.length > 0 ? 1 - beyond.count / plan.terms.length : 0,
  };
  return DECISION_FEATURES.map((name) => features[name]);
}
