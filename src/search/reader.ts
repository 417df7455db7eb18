/**
 * What kind of thing a span of text names, as the reader tells: a date or time, an amount of
 * something, a name (a run of proper nouns), or another noun phrase.
 */
export type SpanKind = 'date' | 'time' | 'duration' | 'number' | 'ordinal' | 'money' | 'percent' | 'name' | 'noun';

/** A span of a text that could be an answer: its character offsets (`end` exclusive) and its kind. */
export interface Span {
  start: number;
  end: number;
  kind: SpanKind;
}

/**
 * Reads the phrases of a sentence that could answer a question: entities, numbers, dates and noun
 * phrases. The engine takes one in; `src/language/reader.ts` is the real one (wink-nlp), so this
 * library runs no NLP model of its own.
 */
export interface Reader {
  /** The candidate spans of `text`, in any order; overlapping and nested spans are fine. */
  spans(text: string): Span[];
}
