/**
 * Past forms of common English irregular verbs and their base form, so "led" matches "leading"
 * and "built" matches "build": the Porter stemmer only strips regular endings. Forms that are
 * also common words of another meaning ("left", "saw", "lay", "bit", "ground") are left out.
 * Each verb is written "base past-forms…", verbs separated by commas.
 */
const VERBS = (
  'arise arose arisen, awake awoke awoken, bear bore borne, beat beaten, become became, ' +
  'begin began begun, bend bent, bind bound, bite bitten, blow blew blown, break broke broken, ' +
  'breed bred, bring brought, build built, burn burnt, buy bought, catch caught, ' +
  'choose chose chosen, come came, creep crept, deal dealt, dig dug, draw drew drawn, dream dreamt, ' +
  'drink drank drunk, drive drove driven, eat ate eaten, fall fell fallen, feed fed, feel felt, ' +
  'fight fought, find found, flee fled, fly flew flown, forbid forbade forbidden, ' +
  'forget forgot forgotten, forgive forgave forgiven, freeze froze frozen, give gave given, ' +
  'go went gone, grow grew grown, hang hung, hear heard, hide hid hidden, hold held, keep kept, ' +
  'know knew known, lead led, lend lent, light lit, lose lost, mean meant, meet met, ' +
  'mistake mistook mistaken, overcome overcame, overtake overtook overtaken, pay paid, ' +
  'prove proven, ride rode ridden, ring rang rung, rise rose risen, run ran, say said, seek sought, ' +
  'sell sold, send sent, shake shook shaken, shine shone, shoot shot, show shown, ' +
  'shrink shrank shrunk, sing sang sung, sink sank sunk, sit sat, sleep slept, slide slid, ' +
  'speak spoke spoken, speed sped, spend spent, spin spun, spring sprang sprung, stand stood, ' +
  'steal stole stolen, stick stuck, sting stung, strike struck, strive strove striven, ' +
  'swear swore sworn, sweep swept, swim swam swum, swing swung, take took taken, teach taught, ' +
  'tear tore torn, tell told, think thought, throw threw thrown, undergo underwent undergone, ' +
  'understand understood, undertake undertook undertaken, wake woke woken, wear wore worn, ' +
  'weep wept, win won, withdraw withdrew withdrawn, write wrote written'
).split(', ');

/** Irregular past form → base form: "led" → "lead". */
export const IRREGULAR_PAST: ReadonlyMap<string, string> = new Map(
  VERBS.flatMap((verb) => {
    const [base = '', ...forms] = verb.split(' ');
    return forms.map((form) => [form, base] as const);
  }),
);
