import { createRequire } from 'node:module';
import type model from 'wink-eng-lite-web-model';
import type winkNLP from 'wink-nlp';
import type { ItemCustomEntity, ItemEntity, ItemToken } from 'wink-nlp';
import type { Reader, Span, SpanKind } from '../search/reader.js';

// wink and its model are CommonJS: required when the reader is first needed, not when this module loads.
const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/unbound-method -- wink's `its` helpers are plain functions made to be handed to `out()`. */

/** wink's entity types, as the kinds of span the engine knows; the others (URLs, emails, emoji…) are no answers. */
const ENTITY_KINDS: Readonly<Record<string, SpanKind>> = {
  DATE: 'date',
  TIME: 'time',
  DURATION: 'duration',
  CARDINAL: 'number',
  ORDINAL: 'ordinal',
  MONEY: 'money',
  PERCENT: 'percent',
};

/** Parts of speech that do not make a phrase a name: "the", "of", "'s", "-". */
const GLUE = new Set(['DET', 'ADP', 'PART', 'PUNCT', 'CCONJ']);

/**
 * Noun phrases, as wink patterns (it has no chunker of its own): an optional determiner, number
 * and adjectives before one to three nouns; "X of (the) Y"; runs of up to six proper nouns; titles
 * wink splits from their period ("Rev . William Corby"); names joined by "of", "&", "'s", "-" and
 * the particles of names ("de la"). Each pattern stays under wink's 512 expansions, and each joining
 * word has a pattern of its own (a group mixing such literals does not match).
 */
function nounPhrasePatterns(): string[] {
  const nouns = (n: number): string => Array(n).fill('[NOUN|PROPN]').join(' ');
  const names = (n: number): string => Array(n).fill('[PROPN]').join(' ');
  const patterns: string[] = [];
  for (let h = 1; h <= 3; h++) {
    patterns.push(`[|DET] [|NUM|CARDINAL|ORDINAL] [|NUM] [|ADJ] [|ADJ] ${nouns(h)}`);
    for (let tail = 1; tail <= 3; tail++) patterns.push(`[|DET] [|ADJ] ${nouns(h)} [of] [|DET] ${nouns(tail)}`);
  }
  for (let h = 1; h <= 6; h++) patterns.push(`[|DET] ${names(h)}`);
  for (let h = 1; h <= 4; h++) {
    patterns.push(`[|DET] [Rev|Fr|Dr|Mr|Mrs|Ms|St|Sen|Gen|Gov|Prof|Sr|Jr] [.] ${names(h)}`);
    for (let tail = 1; tail <= 4; tail++)
      for (const glue of ['of', '&', "'s", '-', 'de', 'du', 'von', 'van'])
        patterns.push(`[|DET] ${names(h)} [${glue}] [|DET] ${names(tail)}`);
  }
  return patterns;
}

let loaded: Reader | null = null;

/** A reader whose model loads when it first reads, or ahead of that with `load()`. */
export interface LazyReader extends Reader {
  load(): void;
}

/**
 * The reader of candidate answers, wink-nlp with its English lite web model (MIT): its entities
 * (dates, times, durations, numbers, ordinals, money, percentages) and noun phrases found with the
 * patterns above, a phrase of proper nouns counting as a name. The model loads when the reader
 * first reads, or when `load()` is called, once per process (about 0.25 s of the main thread), so
 * start-up does not wait for it. Chosen over compromise on the fitting articles: it found an exact
 * answer among its spans for 69 % of factoid questions against compromise's 76 %, but picked a
 * right one more often (38 % against 36 % exact) at about a fortieth of the time (0.2–0.3 ms a
 * sentence pair against 8–10 ms). The engine keeps what it read of the last sentences.
 *
 * @example
 * const reader = loadReader();
 * reader.spans('Six groups were designated on 20 February 2025.')
 * // => [{ start: 0, end: 3, kind: 'number' }, { start: 30, end: 46, kind: 'date' }, …]
 */
export function loadReader(): LazyReader {
  return {
    spans: (text) => (loaded ??= winkReader()).spans(text),
    load: () => void (loaded ??= winkReader()),
  };
}

function winkReader(): Reader {
  const nlp = (require('wink-nlp') as typeof winkNLP)(require('wink-eng-lite-web-model') as typeof model, [
    'sbd',
    'pos',
    'ner',
    'cer',
  ]);
  const its = nlp.its;
  nlp.learnCustomEntities([{ name: 'phrase', patterns: nounPhrasePatterns() }]);
  const read = (text: string): Span[] => {
    const doc = nlp.readDoc(text);
    const offsets: Array<[number, number]> = [];
    let at = 0;
    doc.tokens().each((token: ItemToken) => {
      at += token.out(its.precedingSpaces).length;
      const value = token.out();
      offsets.push([at, at + value.length]);
      at += value.length;
    });
    const spans: Span[] = [];
    const add = (first: number, last: number, kind: SpanKind): void => {
      const start = offsets[first]?.[0];
      const end = offsets[last]?.[1];
      if (start !== undefined && end !== undefined && end > start) spans.push({ start, end, kind });
    };
    doc.entities().each((entity: ItemEntity) => {
      const kind = ENTITY_KINDS[entity.out(its.type)];
      const [first = 0, last = 0] = entity.out(its.span) as number[];
      if (kind) add(first, last, kind);
    });
    doc.customEntities().each((entity: ItemCustomEntity) => {
      const [first = 0, last = 0] = entity.out(its.span) as number[];
      const tags: string[] = [];
      entity.tokens().each((token: ItemToken) => tags.push(token.out(its.pos)));
      const content = tags.filter((tag) => !GLUE.has(tag));
      const name = content.length > 0 && content.every((tag) => tag === 'PROPN');
      add(first, last, name ? 'name' : 'noun');
      // The name inside a longer phrase: "owner Ray Kroc" → "Ray Kroc".
      if (!name)
        for (let i = 0; i < tags.length; i++) {
          if (tags[i] !== 'PROPN') continue;
          let j = i;
          while (tags[j + 1] === 'PROPN') j++;
          add(first + i, first + j, 'name');
          i = j;
        }
    });
    return spans;
  };
  // The first document wink reads takes it 0.1 s more than the others: read one now, not with a question.
  read('Six groups were named in Washington on 20 February 2025.');
  return { spans: read };
}
