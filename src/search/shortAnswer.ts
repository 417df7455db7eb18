import { analyzeTerms, wordTerm } from './analyze.js';
import { dot, sigmoid } from './linear.js';
import type { Lexicon } from './lexicon.js';
import type { Reader, SpanKind } from './reader.js';

/** What a factoid question asks for. */
export type QuestionKind = 'person' | 'date' | 'place' | 'number' | 'thing';

/** The wording of each kind of factoid question; the earliest cue in a question decides. */
const CUES: ReadonlyArray<readonly [QuestionKind, RegExp]> = [
  ['person', /\b(?:who|whom|whose)\b/i],
  [
    'date',
    /\b(?:when|(?:what|which|in what|in which)\s+(?:year|date|day|month|decade|century|time of year|season))\b/i,
  ],
  ['place', /\bwhere\b/i],
  [
    'number',
    /\b(?:how (?:many|much|long|old|far|big|large|tall|high|deep|wide|fast|often|heavy)|what (?:number|percentage|percent|proportion|share|amount|price|fraction|sum|total))\b/i,
  ],
  ['thing', /\bwhich\b/i],
];

/**
 * "Who is/was <a name>?": a question asking what someone is. Its words are separated by spaces, so
 * a run of capitals can be read one way only (with the spaces optional, "PRESIDENT" could be split
 * into words in 2⁸ ways, and a question of capitals took seconds).
 */
const WHO_IS_NAME = /^[Ww]ho(?:'s|\s+(?:is|was|are|were))\s+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*\s*\??$/u;

/**
 * The kind of short answer a question asks for, or `null` for a question whose answer is no single
 * phrase ("why…", "what did … say", "how does …").
 *
 * @example
 * factoidKind('How many groups were designated?') // => 'number'
 * factoidKind('What did Hegseth say about the cartels?') // => null
 */
export function factoidKind(question: string): QuestionKind | null {
  // "Who is Tom Homan?" asks for what someone is, which no name answers.
  if (WHO_IS_NAME.test(question.trim())) return null;
  let best: { kind: QuestionKind; at: number } | null = null;
  for (const [kind, cue] of CUES) {
    const at = cue.exec(question)?.index;
    if (at !== undefined && (best === null || at < best.at)) best = { kind, at };
  }
  return best?.kind ?? null;
}

/**
 * What the short-answer model reads of a candidate phrase. The names are the model file's contract:
 * `npm run train` fits one weight per name.
 */
export const SHORT_FEATURES = [
  /** It names what a who/where question asks for: a name. */
  'fitName',
  /** It is a date or time, for a when / what-year question. */
  'fitDate',
  /** It is an amount (a number, money, a percentage, a duration), for a how-many/much/long question. */
  'fitNumber',
  /** It is a name, for a which question. */
  'fitThingName',
  /** It is a common noun phrase, for a which question. */
  'fitThingNoun',
  /** It is an amount or a date, for a question that asks for neither. */
  'misfitNumber',
  /** It is a name, for a question that asks for an amount or a date. */
  'misfitName',
  /** It is only an ordinal ("sixth"), which rarely answers how many. */
  'ordinalOnly',
  /** It is only a common noun phrase (no name, no amount, no date). */
  'nounOnly',
  /** Its words are all in lower case, for a question asking for a person or place. */
  'lowercasePerson',
  /** Share of its words that are no ordinary English words (names mostly are not). */
  'unknownWords',
  /** It is a single abbreviation ("U.S", "R&B", "C.S.C"). */
  'abbreviation',
  /** The word before it is "by" (the doer of a passive: "replaced by …"). */
  'byBefore',
  /** It ends in a possessive ("Trump's"): it names whose something is, rarely what was asked. */
  'possessive',
  /** 1 / (1 + words between it and the nearest question word in its sentence). */
  'near',
  /** The same, averaged over every question word found in its sentence. */
  'nearAll',
  /** Share of the question's weight (idf) found within three words of it. */
  'window3',
  /** … within eight words of it. */
  'window8',
  /** It stands between two of the question's words. */
  'between',
  /** The word the question asks about ("which film", "who was the president") stands within three words of it. */
  'focus',
  /** It comes before every question word of its sentence (where a sentence's subject stands). */
  'before',
  /** Share of the question's words found in its sentence. */
  'sentenceMatch',
  /** It comes from the best sentence, not its neighbour. */
  'inBest',
  /** 1 / its number of words. */
  'short',
  /** It has five words or more. */
  'long',
  /** Share of its words that start with a capital. */
  'capitals',
  /** It comes after the first question word of its sentence. */
  'after',
  /** It holds another candidate (a longer phrase around a name or a number). */
  'outer',
  /** Another candidate holds it. */
  'inner',
] as const;

/** What the show-or-not model reads of a question's best candidate. */
export const SHOW_FEATURES = [
  /** The candidate's probability under the ranking (a softmax over the question's candidates). */
  'top',
  /** How far ahead of the second candidate it stands, in probability. */
  'margin',
  /** It fits the kind of answer asked for (one of the fit features). */
  'fits',
  /** The engine's confidence that its passage answers the question. */
  'passage',
  /** The question asks for a person, a date, a place, an amount, or which thing (one each). */
  'person',
  'date',
  'place',
  'number',
  'thing',
] as const;

/** The short-answer part of the model (see model.ts). */
export interface ShortModel {
  ranking: { features: readonly string[]; weights: number[] };
  show: { features: readonly string[]; weights: number[]; bias: number; threshold: number };
}

/** A phrase that may answer a question: its exact text in the passage, and its features. */
export interface ShortCandidate {
  text: string;
  features: number[];
}

/** A word of a sentence: where it is, its index term (`null` for a stop word), and what it looks like. */
interface Word {
  start: number;
  end: number;
  text: string;
  term: string | null;
  capital: boolean;
  /** An article, a preposition or a vague amount, never at the edge of an answer. */
  edge: boolean;
  /** Holds a letter (not a number alone). */
  lettered: boolean;
  /** Lower case, without a final period or apostrophe: how the dictionary is asked. */
  lower: string;
}

/** A sentence as the candidates are taken from it: its words, and the reader's spans as word ranges. */
interface Reading {
  words: Word[];
  spans: Array<{ first: number; last: number; kind: SpanKind }>;
}

const WORD = /[\p{L}\p{N}]+(?:['’.\-/][\p{L}\p{N}]+)*\.?/gu;
/** Words never at the edge of an answer: articles, prepositions, vague amounts. */
const EDGE = new Set(
  'the a an of in on at by for to from with about around approximately nearly almost over under some and or as its his her their this that these those'.split(
    ' ',
  ),
);
const AMOUNTS: ReadonlySet<SpanKind> = new Set(['number', 'money', 'percent', 'duration']);
const DATES: ReadonlySet<SpanKind> = new Set(['date', 'time']);

/** Sentences whose readings are kept: the questions a server asks return to the same few passages. */
const KEPT_SENTENCES = 5000;
/** Per reader, the readings of the sentences read last. */
const keptReadings = new WeakMap<Reader, Map<string, Reading>>();
/** Per lexicon, which words it knows as English, as far as asked. */
const englishWords = new WeakMap<object, Map<string, boolean>>();

/** A sentence's reading, kept for the sentences read last. */
function readingOf(sentence: string, reader: Reader): Reading {
  let kept = keptReadings.get(reader);
  if (!kept) keptReadings.set(reader, (kept = new Map<string, Reading>()));
  let reading = kept.get(sentence);
  if (reading) kept.delete(sentence);
  else {
    reading = read(sentence, reader);
    if (kept.size >= KEPT_SENTENCES) kept.delete(kept.keys().next().value ?? '');
  }
  kept.set(sentence, reading);
  return reading;
}

function read(sentence: string, reader: Reader): Reading {
  const words = [...sentence.matchAll(WORD)].map((match): Word => {
    const text = match[0];
    const lower = text.toLowerCase();
    return {
      start: match.index,
      end: match.index + text.length,
      text,
      // A final period ends the sentence, unless the word is an abbreviation ("U.S.").
      term: wordTerm(/^(?:\p{L}\.)+$/u.test(text) ? text : text.replace(/[’]/g, "'").replace(/\.$/, '')),
      capital: /^\p{Lu}/u.test(text),
      edge: EDGE.has(lower),
      lettered: /\p{L}/u.test(text),
      lower: lower.replace(/[.'’]+$/g, ''),
    };
  });
  const spans: Reading['spans'] = [];
  for (const span of reader.spans(sentence)) {
    const first = words.findIndex((word) => word.end > span.start);
    const last = words.findLastIndex((word) => word.start < span.end);
    if (first >= 0 && last >= first) spans.push({ first, last, kind: span.kind });
  }
  return { words, spans };
}

/**
 * The word a question asks about, as an index term: "which film" → film, "who was the president" →
 * presid; `null` when it names none.
 */
export function questionFocus(question: string): string | null {
  const word =
    /\b(?:which|what)\s+([\p{L}-]+)/iu.exec(question)?.[1] ??
    /\bwho(?:m)?\s+(?:is|was|are|were|became|becomes)\s+(?:the|a|an|his|her|their)\s+([\p{L}-]+)/iu.exec(question)?.[1];
  return word ? (analyzeTerms(word)[0] ?? null) : null;
}

/** Where a candidate stands: its sentence (0 the best one), its first and last word, the kinds the reader gave it. */
interface Place {
  sentence: number;
  first: number;
  last: number;
  kinds: Set<SpanKind>;
}

/**
 * The candidate answers of a factoid question in its best sentence and that sentence's neighbour:
 * the reader's spans, cut to whole words, without articles and prepositions at their edges, and
 * without the question's own words at their edges; a phrase made only of the question's words is
 * left out. Each is described by {@link SHORT_FEATURES}.
 */
export function shortCandidates(
  kind: QuestionKind,
  question: { terms: ReadonlyMap<string, number>; focus: string | null },
  sentences: readonly string[],
  reader: Reader,
  lexicon: Pick<Lexicon, 'isWord'>,
): ShortCandidate[] {
  const questionTerms = question.terms;
  let totalWeight = 0;
  for (const weight of questionTerms.values()) totalWeight += weight;
  let known = englishWords.get(lexicon);
  if (!known) englishWords.set(lexicon, (known = new Map<string, boolean>()));
  const knownWords = known;
  const english = (word: Word): boolean => {
    let is = knownWords.get(word.lower);
    if (is === undefined) {
      if (knownWords.size >= KEPT_SENTENCES * 10) knownWords.clear();
      knownWords.set(word.lower, (is = lexicon.isWord(word.lower)));
    }
    return is;
  };
  const edge = (word: Word | undefined): boolean =>
    word !== undefined && (word.edge || (word.term !== null && questionTerms.has(word.term)));
  const analysed = sentences.map((sentence) => {
    const { words, spans } = readingOf(sentence, reader);
    const matched: number[] = [];
    const matchedTerms = new Set<string>();
    words.forEach((word, i) => {
      if (word.term !== null && questionTerms.has(word.term)) {
        matched.push(i);
        matchedTerms.add(word.term);
      }
    });
    return {
      sentence,
      words,
      spans,
      matched,
      sentenceMatch: questionTerms.size > 0 ? matchedTerms.size / questionTerms.size : 0,
    };
  });
  const byText = new Map<string, Place>();
  analysed.forEach(({ sentence, words, spans }, s) => {
    for (const span of spans) {
      let { first, last } = span;
      while (first <= last && edge(words[first])) first++;
      while (last >= first && edge(words[last])) last--;
      if (last < first) continue;
      const text = sentence.slice(words[first]?.start, words[last]?.end).replace(/[.,;:]+$/, '');
      // A phrase of stop words alone ("I", "both") names nothing; a number is always a candidate.
      let content = false;
      for (let i = first; i <= last && !content; i++) content = words[i]?.term !== null;
      if (text === '' || !(content || /\p{N}/u.test(text))) continue;
      const known = byText.get(text);
      if (known) known.kinds.add(span.kind);
      else byText.set(text, { kinds: new Set([span.kind]), sentence: s, first, last });
    }
  });
  const places = [...byText.values()];
  const has = (kinds: Set<SpanKind>, of: ReadonlySet<SpanKind>): boolean => {
    for (const k of kinds) if (of.has(k)) return true;
    return false;
  };
  return [...byText].map(([text, { kinds, sentence, first, last }]) => {
    const { words, matched, sentenceMatch } = analysed[sentence] ?? { words: [], matched: [], sentenceMatch: 0 };
    const away = (i: number): number => (i < first ? first - i : i > last ? i - last : 0);
    const amount = has(kinds, AMOUNTS);
    const date = has(kinds, DATES);
    const name = kinds.has('name');
    const ordinal = kinds.has('ordinal') && !amount && !date && !name;
    const count = last - first + 1;
    let nearest = Infinity;
    let nearSum = 0;
    const found3 = new Set<string>();
    const found8 = new Set<string>();
    for (const i of matched) {
      const distance = away(i);
      nearest = Math.min(nearest, distance);
      nearSum += 1 / (1 + distance);
      const term = words[i]?.term;
      if (term && distance <= 3) found3.add(term);
      if (term && distance <= 8) found8.add(term);
    }
    const within = (found: Set<string>): number => {
      if (totalWeight <= 0) return 0;
      let sum = 0;
      for (const term of found) sum += questionTerms.get(term) ?? 0;
      return sum / totalWeight;
    };
    let focusNear = false;
    if (question.focus !== null)
      for (let i = Math.max(0, first - 3); i <= last + 3 && i < words.length && !focusNear; i++)
        focusNear = (i < first || i > last) && words[i]?.term === question.focus;
    let capitals = 0;
    let lettered = 0;
    let unknown = 0;
    for (let i = first; i <= last; i++) {
      const word = words[i];
      if (!word) continue;
      if (word.capital) capitals++;
      if (word.lettered) {
        lettered++;
        if (!english(word)) unknown++;
      }
    }
    const before = words[first - 1]?.text ?? '';
    let outer = false;
    let inner = false;
    for (const o of places) {
      if (o.sentence !== sentence || (o.first === first && o.last === last)) continue;
      if (o.first >= first && o.last <= last) outer = true;
      if (o.first <= first && o.last >= last) inner = true;
    }
    const features: Record<(typeof SHORT_FEATURES)[number], number> = {
      fitName: (kind === 'person' || kind === 'place') && name ? 1 : 0,
      fitDate: kind === 'date' && date ? 1 : 0,
      fitNumber: kind === 'number' && amount ? 1 : 0,
      fitThingName: kind === 'thing' && name ? 1 : 0,
      fitThingNoun: kind === 'thing' && !name && kinds.has('noun') ? 1 : 0,
      misfitNumber: kind !== 'number' && kind !== 'date' && (amount || date) && !name ? 1 : 0,
      misfitName: (kind === 'number' || kind === 'date') && name && !amount && !date ? 1 : 0,
      ordinalOnly: ordinal ? 1 : 0,
      nounOnly: !name && !amount && !date && !ordinal ? 1 : 0,
      lowercasePerson: (kind === 'person' || kind === 'place') && capitals === 0 ? 1 : 0,
      unknownWords: lettered > 0 ? unknown / lettered : 0,
      abbreviation: count === 1 && /^(?:\p{Lu}[.&]?){2,}$|^(?:\p{L}\.){2,}/u.test(text) ? 1 : 0,
      byBefore: before.toLowerCase() === 'by' ? 1 : 0,
      possessive: /['’]s$/.test(text) ? 1 : 0,
      near: matched.length > 0 ? 1 / (1 + nearest) : 0,
      nearAll: matched.length > 0 ? nearSum / matched.length : 0,
      window3: within(found3),
      window8: within(found8),
      between: matched.some((i) => i < first) && matched.some((i) => i > last) ? 1 : 0,
      focus: focusNear ? 1 : 0,
      before: matched.length > 0 && matched.every((i) => i > last) ? 1 : 0,
      sentenceMatch,
      inBest: sentence === 0 ? 1 : 0,
      short: 1 / count,
      long: count >= 5 ? 1 : 0,
      capitals: capitals / count,
      after: matched.length > 0 && first > (matched[0] ?? 0) ? 1 : 0,
      outer: outer ? 1 : 0,
      inner: inner ? 1 : 0,
    };
    return { text, features: SHORT_FEATURES.map((feature) => features[feature]) };
  });
}

/** The candidates' probabilities under the ranking: a softmax of their scores. */
export function candidateProbabilities(candidates: readonly ShortCandidate[], model: ShortModel): number[] {
  const scores = candidates.map((candidate) => dot(model.ranking.weights, candidate.features));
  const top = Math.max(...scores);
  const exps = scores.map((score) => Math.exp(score - top));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/** The show-or-not model's input for the best candidate (see {@link SHOW_FEATURES}). */
export function showFeatures(
  kind: QuestionKind,
  best: ShortCandidate,
  probabilities: readonly number[],
  passage: number,
): number[] {
  const [top = 0, second = 0] = [...probabilities].sort((a, b) => b - a);
  const fit = ['fitName', 'fitDate', 'fitNumber', 'fitThingName', 'fitThingNoun'].some(
    (name) => (best.features[SHORT_FEATURES.indexOf(name as (typeof SHORT_FEATURES)[number])] ?? 0) > 0,
  );
  const features: Record<(typeof SHOW_FEATURES)[number], number> = {
    top,
    margin: top - second,
    fits: fit ? 1 : 0,
    passage,
    person: kind === 'person' ? 1 : 0,
    date: kind === 'date' ? 1 : 0,
    place: kind === 'place' ? 1 : 0,
    number: kind === 'number' ? 1 : 0,
    thing: kind === 'thing' ? 1 : 0,
  };
  return SHOW_FEATURES.map((feature) => features[feature]);
}

/**
 * The short answer to a factoid question among its candidates (see {@link shortCandidates}): the
 * best-ranked phrase, when the show-or-not model is sure enough of it (a wrong short answer is worse
 * than none); else `null`. `passage` is the engine's confidence in the passage they come from.
 *
 * @example
 * shortAnswer('number', shortCandidates('number', terms, ['The U.S. designated six groups.'], reader), model, 0.95)
 * // => 'six'
 */
export function shortAnswer(
  kind: QuestionKind,
  candidates: readonly ShortCandidate[],
  model: ShortModel,
  passage: number,
): string | null {
  if (candidates.length === 0) return null;
  const probabilities = candidateProbabilities(candidates, model);
  const bestAt = probabilities.indexOf(Math.max(...probabilities));
  const best = candidates[bestAt] as ShortCandidate;
  const show = sigmoid(model.show.bias + dot(model.show.weights, showFeatures(kind, best, probabilities, passage)));
  return show >= model.show.threshold ? best.text : null;
}
