import { ANSWER_TYPE_FLAG, type AnswerType } from './answerType.js';
import type { QueryPlan } from './plan.js';
import type { QuestionForm } from './questionForm.js';

/**
 * What the learned model reads of one candidate passage, each roughly from 0 to 1. The names are
 * the model file's contract: `npm run train` fits one weight per name, and the engine refuses a
 * model whose names differ.
 */
export const PASSAGE_FEATURES = [
  /** BM25 score over the best candidate's. */
  'bm25',
  /** 1 / (1 + BM25 rank). */
  'bm25Rank',
  /** Share of the question's idf the passage holds (text or heading). */
  'coverage',
  /** Share of the question's idf its best sentence holds. */
  'sentence',
  /** Share of the question's idf its best two neighbouring sentences hold. */
  'window',
  /** Share of the question's neighbouring word pairs found near each other in one sentence. */
  'proximity',
  /** The best sentence holds the kind of fact asked for (a number, a date, a name). */
  'answerType',
  /** Share of the question's idf matched in the text only through an expansion (typo, related word, completion). */
  'expanded',
  /** Share of the question's idf found in the article's title. */
  'title',
  /** The passage is its article's lead. */
  'lead',
  /** Share of the question's words matched, unweighted. */
  'matched',
  /** Share of the question's specificity the passage holds. */
  'specificity',
] as const;

/**
 * What the graded decision reads of a question and its best passage, to estimate the probability
 * that the best passage answers it (see `rank.ts`). Specificity weighs each question word by how rare
 * it is in everyday English, so a missing name counts for much and a missing everyday word for little.
 */
export const DECISION_FEATURES = [
  /** The ranking model's score of the best passage. */
  'score',
  /** Share of the question's specificity the best passage holds. */
  'passage',
  /** … its best sentence holds. */
  'sentence',
  /** … exactly (no expansion), in the best passage. */
  'exact',
  /** … the best passage's whole article holds. */
  'article',
  /** Share of the question's specificity in words the content has nothing like. */
  'missing',
  /** Highest specificity of a word the content has nothing like. */
  'missingMax',
  /** Highest specificity of a word the best passage lacks. */
  'unmatchedMax',
  /** A name in the question (a capitalised word inside it) that the content has nothing like. */
  'missingName',
  /** Share of the question's idf the best passage holds. */
  'coverage',
  /** Number of question words, over 6 (at most 1). */
  'length',
  /** The question asks for instructions ("how do I…"). */
  'instructions',
  /** The question speaks of the asker ("my", "I"). */
  'personal',
  /** The question asks for a kind of fact (a number, a date, a name) that the best sentence lacks. */
  'typeMismatch',
  /**
   * Specificity the best passage holds, summed rather than shared (over 3, at most 1): one everyday
   * word is little evidence however short the question.
   */
  'evidence',
  /** The best passage's proximity feature: the question's words stand together in it. */
  'proximity',
  /** Share of the question's idf the best passage's text holds through the words themselves (no expansion). */
  'exactIdf',
  /** Share of the question's idf the best passage's best sentence holds. */
  'bestSentence',
  /** The ranking's own confidence: the softmax probability of the best candidate among the candidates. */
  'top',
  /** The softmax probability of the candidates from the best one's paragraph (windows of one paragraph agree). */
  'paragraph',
  /** How far the best candidate's score is ahead of the first candidate from another paragraph (at most 4, over 4). */
  'margin',
  /** How far the best candidate's score is ahead of the second, whatever it is (at most 4, over 4). */
  'runnerUp',
  /**
   * How far the best candidate's score stands above the candidates' mean, in standard deviations (at
   * most 5, over 5); 0 with one candidate. Fewer candidates reach less: with n, at most √(n − 1).
   */
  'standout',
  /** The softmax probability of the candidates from the best one's section (its heading). */
  'sameSection',
  /** The softmax probability of the candidates from the best one's article. */
  'sameArticle',
  /** Share of the question's rare words (specificity ≥ 1/2) the best passage holds; 1 with none. */
  'rareHeld',
  /** Rare words of the question the best passage lacks (at most 3, over 3). */
  'rareMissing',
  /** Highest idf of a question word the best passage lacks, over the question's highest idf. */
  'unmatchedIdf',
  /**
   * Share of the specificity of the question's words beyond its topic (words that are not in the
   * best passage's article title or heading) that the best passage's text holds; 1 with none. A
   * question names its topic and asks something of it: a passage on the topic answers only if it
   * holds the rest.
   */
  'beyondTopic',
  /** … that the best passage's best sentence holds. */
  'beyondTopicSentence',
  /** … by idf rather than specificity. */
  'beyondTopicIdf',
  /** The question has no word beyond its topic. */
  'topicOnly',
  /** Share of the question's words that are in the best passage's article title or heading. */
  'topicShare',
] as const;

export type PassageFeature = (typeof PASSAGE_FEATURES)[number];
export type DecisionFeature = (typeof DECISION_FEATURES)[number];

/** The terms of one segment's passages, as matching reads them (see `Segment`). */
export interface SegmentTerms {
  /** The number by which passages hold `term` (its place in the segment's table + 1), if they do. */
  idOf(term: string): number | undefined;
  /**
   * Calls `visit` with every term number of passages `first` to `last` (inclusive, numbered in the
   * segment), in text order, with the index of its sentence within its passage (-1 for the heading)
   * and its position within that sentence.
   */
  forEachTerm(first: number, last: number, visit: (term: number, sentence: number, position: number) => void): void;
}

/** What ranking reads of the passages' terms, by the engine's passage numbers. */
export interface TermSource {
  /** How passages `first` to `last` (one passage, or one article's) match the question. */
  match(matcher: QuestionMatcher, first: number, last: number, reach: number, perSentence: boolean): PassageMatch;
  /** The terms of sentence `sentence` of passage `id` (-1 for its heading). */
  sentenceTerms(id: number, sentence: number): ReadonlySet<string>;
  /** The answer-type flags of each sentence of passage `id`. */
  sentenceTypes(id: number): Uint8Array;
}

/** One hit of a term in the question: which question word it stands for, the weight of the match, and whether it is the word itself. */
interface Hit {
  t: number;
  weight: number;
  exact: boolean;
}

/** One question's terms prepared for matching against the term numbers of a segment's passages. */
export interface QuestionMatcher {
  plan: QueryPlan;
  /** Term number → the question words it stands for, in `terms`' numbering; made once per segment. */
  wantedIn(terms: SegmentTerms): Map<number, Hit[]>;
  answerFlag: number;
  form: QuestionForm;
}

/** Prepares a plan for matching. */
export function questionMatcher(plan: QueryPlan, answerType: AnswerType | null, form: QuestionForm): QuestionMatcher {
  const made = new WeakMap<SegmentTerms, Map<number, Hit[]>>();
  return {
    plan,
    wantedIn(terms) {
      let wanted = made.get(terms);
      if (wanted) return wanted;
      wanted = new Map();
      plan.terms.forEach((term, t) => {
        for (const alt of term.alternatives) {
          const id = terms.idOf(alt.term);
          if (id === undefined) continue;
          const list = wanted?.get(id) ?? [];
          list.push({ t, weight: alt.weight, exact: alt.kind === 'exact' });
          wanted?.set(id, list);
        }
      });
      made.set(terms, wanted);
      return wanted;
    },
    answerFlag: answerType === null ? 0 : ANSWER_TYPE_FLAG[answerType],
    form,
  };
}

/** How one passage matches a question: per question word, and per sentence. */
export interface PassageMatch {
  /** Best match weight per question word, in the text or heading. */
  words: Float64Array;
  /** … in the text only: a word of a heading or title alone says the text covers it no more than "Gun" in a headline does. */
  text: Float64Array;
  /** … in the text, through the word itself only. */
  exact: Float64Array;
  /** … in the heading only. */
  heading: Float64Array;
  /** Per sentence, best match weight per question word. */
  sentences: Float64Array[];
  /** Per question word (from the second), whether it stands within reach of the word before it in some sentence. */
  pairs: Uint8Array;
}

/** Matches one passage (or, with `last`, a run of passages as one) of a segment against a question. */
export function matchPassage(
  matcher: QuestionMatcher,
  store: SegmentTerms,
  first: number,
  last: number,
  reach: number,
  perSentence: boolean,
): PassageMatch {
  const n = matcher.plan.terms.length;
  const words = new Float64Array(n);
  const text = new Float64Array(n);
  const exact = new Float64Array(n);
  const heading = new Float64Array(n);
  const sentences: Float64Array[] = [];
  const pairs = new Uint8Array(n);
  // Position of the last occurrence of each question word in the current sentence.
  const lastSeen = new Int32Array(n).fill(-1_000_000);
  let currentSentence = -2;
  const wanted = matcher.wantedIn(store);
  store.forEachTerm(first, last, (term, sentence, position) => {
    if (sentence !== currentSentence) {
      currentSentence = sentence;
      lastSeen.fill(-1_000_000);
    }
    const hits = wanted.get(term);
    if (!hits) return;
    for (const { t, weight, exact: isExact } of hits) {
      if (weight > (words[t] ?? 0)) words[t] = weight;
      if (sentence < 0) {
        if (weight > (heading[t] ?? 0)) heading[t] = weight;
        continue;
      }
      if (weight > (text[t] ?? 0)) text[t] = weight;
      if (isExact && weight > (exact[t] ?? 0)) exact[t] = weight;
      if (perSentence) {
        const row = (sentences[sentence] ??= new Float64Array(n));
        if (weight > (row[t] ?? 0)) row[t] = weight;
        if (t > 0 && position - (lastSeen[t - 1] ?? 0) <= reach) pairs[t] = 1;
        if (t + 1 < n && position - (lastSeen[t + 1] ?? 0) <= reach) pairs[t + 1] = 1;
        lastSeen[t] = position;
      }
    }
  });
  return { words, text, exact, heading, sentences, pairs };
}

/** Σ weight × value over question words, as a share of the values' total. */
export function share(weights: ArrayLike<number>, values: readonly number[], total: number): number {
  if (total <= 0) return 0;
  let sum = 0;
  for (let t = 0; t < values.length; t++) sum += (weights[t] ?? 0) * (values[t] ?? 0);
  return sum / total;
}
