/** The kind of fact a question asks for, when its wording says so. */
export type AnswerType = 'number' | 'date' | 'name';

/** Each kind of fact as a bit, so a sentence's kinds fit in one small number. */
export const ANSWER_TYPE_FLAG: Readonly<Record<AnswerType, number>> = { number: 1, date: 2, name: 4 };

const QUESTION_TYPES: ReadonlyArray<readonly [AnswerType, RegExp]> = [
  ['date', /\b(?:when|what (?:year|date|month|day)|which (?:year|date|month|day)|since when|how long ago)\b/i],
  [
    'number',
    /\b(?:how (?:many|much|long|big|large|far|fast|old|often|high|tall|heavy|wide|deep)|what (?:percentage|percent|share|proportion|number|amount|size|price|fraction))\b/i,
  ],
  [
    'name',
    /\b(?:who|whom|whose|where|which (?:company|firm|person|official|organi[sz]ation|group|country|city|agency|team|minister|place|town|region))\b/i,
  ],
];

const NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|half|quarter|percent)\b/i;
/** Month and day names, capitalised: "may" and "march" are also verbs. */
const CALENDAR =
  'January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const DATE = new RegExp(`\\b(?:${CALENDAR})\\b`);
const WHEN =
  /\b(?:(?:1[6-9]|20)\d\d|yesterday|today|tomorrow|(?:last|next|this) (?:week|month|year)|spring|summer|autumn|winter)\b/i;
/** A capitalised word after the first word of a sentence, other than a month or weekday. */
const NAME = new RegExp(`(?<=\\S\\s+["“'‘(]?)(?!(?:${CALENDAR})\\b)\\p{Lu}\\p{Ll}+`, 'u');

/**
 * The kind of fact a question asks for: "how many …" wants a number, "when …" a date, "who …"
 * a name. Question answering leans on this to pick the sentence that holds such a fact.
 *
 * @example
 * expectedAnswerType('How many groups were designated?') // => 'number'
 */
export function expectedAnswerType(question: string): AnswerType | null {
  for (const [type, pattern] of QUESTION_TYPES) if (pattern.test(question)) return type;
  return null;
}

/** The kinds of fact a sentence holds, as {@link ANSWER_TYPE_FLAG} bits. */
export function answerTypesOf(sentence: string): number {
  return (
    (NUMBER.test(sentence) ? ANSWER_TYPE_FLAG.number : 0) |
    (DATE.test(sentence) || WHEN.test(sentence) ? ANSWER_TYPE_FLAG.date : 0) |
    (NAME.test(sentence) ? ANSWER_TYPE_FLAG.name : 0)
  );
}
