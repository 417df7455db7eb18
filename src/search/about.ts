import { hostOf, type ArticleInfo } from '../content/article.js';
import { analyze } from './analyze.js';

/** What a question about the article itself asks for. */
export type AboutKind = 'summary' | 'published' | 'sources' | 'headline' | 'caption' | 'author';

/** A question about the article itself, and the words left once its phrasing is removed (to tell which article). */
export interface AboutQuestion {
  kind: AboutKind;
  /** Index terms of the rest of the question: "when was the ferry article published" → ['ferri']. */
  rest: string[];
}

/**
 * The article itself, named with a determiner ("this story", "the ferry article"): "a report",
 * "the full report" or "pieces" may well be content.
 */
const ARTICLE_NOUN =
  /\b(?:the|this|that|your|today's)\s+(?:[\w'-]+\s+){0,2}?(?:article|story|piece|post|write-?up|news item|blog post|essay|column)\b/i;

/**
 * Phrasings of each kind. `strong` ones mean the article itself whenever the question names it
 * (or asks nothing else); `weak` ones only when the question asks nothing else ("when?" alone,
 * "who wrote it?"). A trigger followed by "of <something else>" ("the sources of fentanyl") is
 * about the content, not the article.
 */
const PHRASINGS: ReadonlyArray<{ kind: AboutKind; strong: RegExp; weak?: RegExp }> = [
  {
    kind: 'summary',
    strong:
      /\b(?:summ?ar(?:y|i[sz]e[ds]?)|tl;? ?dr|tldr|gist|synopsis|overview|recap|main (?:points?|ideas?|message)|key (?:points?|takeaways?)|takeaways?|nutshell)\b/i,
    weak: /\b(?:about|cover|covers|discuss|discusses|say)\s*(?:exactly|really|anyway|in short|briefly)?\s*[?.!]*\s*$/i,
  },
  {
    kind: 'published',
    strong: /\b(?:publish(?:ed|ing)?|publication|posted|dated|come out|came out|put out)\b|\bdate\b/i,
    weak: /\b(?:when|how (?:old|recent|new|fresh)|written|released|from when|what (?:day|year))\b/i,
  },
  {
    kind: 'sources',
    strong: /\b(?:sources?|references|citations|cited|cites|links)\b/i,
    weak: /\bwhere\b.*\b(?:come|came|from|get|got)\b|\bhow do (?:you|we|i) know\b/i,
  },
  { kind: 'headline', strong: /\b(?:headlines?|heading)\b/i, weak: /\b(?:title|titled|called|named)\b/i },
  {
    kind: 'caption',
    strong: /\b(?:caption(?:ed)?|pictured)\b/i,
    weak: /\b(?:pic|picture|photo(?:graph)?|image|illustration)s?\b/i,
  },
  {
    kind: 'author',
    strong: /\b(?:author(?:ed)?|byline|writer|journalist|reporter)s?\b/i,
    weak: /\bwho (?:wrote|writes|made|published)\b/i,
  },
];

/** Words that only phrase a question about the article: removed to find which article is meant. */
const PHRASING_WORDS = new Set(
  [
    'article articles story stories piece post report writeup write-up blog essay feature column news',
    'item summary summarize summarise summarized tl dr tldr gist synopsis overview recap main point',
    'points idea ideas message key takeaway takeaways nutshell about cover covers discuss discusses',
    'sumarize publish published publishing publication posted dated date come came put out when old',
    'recent new fresh written write wrote released day year source sources reference references citation',
    'citations cited cites link links where get got headline headlines heading title titled called named',
    'caption captioned pictured pic picture photo photograph image illustration author authored byline',
    'writer journalist reporter writes made brief briefly short exactly really anyway quick quickly one',
    'sentence line words',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Whether a question asks about the article itself (its gist, date, sources, headline, picture or
 * author) rather than about what it reports, and which.
 *
 * @example
 * aboutQuestion('when was this published?') // => { kind: 'published', rest: [] }
 * aboutQuestion('When was the iPod released?') // => null: a question about the content
 */
export function aboutQuestion(question: string): AboutQuestion | null {
  const rest = analyze(question, { question: true })
    .filter((token) => !PHRASING_WORDS.has(token.word))
    .map((token) => token.term);
  const namesArticle = ARTICLE_NOUN.test(question);
  const strong = PHRASINGS.find(
    (phrasing) => triggers(phrasing.strong, question) && (namesArticle || rest.length === 0),
  );
  if (strong) return { kind: strong.kind, rest };
  if (rest.length > 0) return null;
  const weak = PHRASINGS.find(
    ({ kind, weak }) =>
      weak !== undefined &&
      triggers(weak, question) &&
      (kind !== 'summary' || namesArticle || /\b(?:it|this|that)\b/i.test(question)),
  );
  return weak ? { kind: weak.kind, rest } : null;
}

/** Whether `pattern` matches somewhere not followed by "of/on/for/about <something other than the article>". */
function triggers(pattern: RegExp, question: string): boolean {
  const global = new RegExp(pattern.source, 'gi');
  for (const match of question.matchAll(global)) {
    const after = question.slice(match.index + match[0].length);
    const of = /^\s+(?:of|on|for|about|in)\s+(.*)$/i.exec(after);
    if (
      !of ||
      ARTICLE_NOUN.test((of[1] ?? '').split(/\s+/).slice(0, 2).join(' ')) ||
      /^(?:it|this|that)\b/i.test(of[1] ?? '')
    )
      return true;
  }
  return false;
}

/** One answer about one article: the sentence that answers, and the text that supports it. */
export interface AboutAnswer {
  article: ArticleInfo;
  answer: string;
  text: string;
}

/** How many key insights a summary lists. */
const SUMMARY_INSIGHTS = 5;

/**
 * Answers a question about an article from its front matter, lead and key insights (or, for an
 * article that lists none, its most central sentences: `picked`). Says honestly what is known when
 * the article lacks what was asked (no date, no author, no caption).
 */
export function answerAbout(
  kind: AboutKind,
  article: ArticleInfo,
  lead: { text: string; sentences: readonly string[] },
  picked: () => readonly string[],
): AboutAnswer {
  const title = `“${article.title}”`;
  const hosts = article.sources.map(hostOf);
  const sourcesLine =
    hosts.length === 0
      ? `${title} lists no sources.`
      : `${title} is based on ${hosts.length} source${hosts.length === 1 ? '' : 's'}: ${[...new Set(hosts)].join(', ')}.`;
  const dateLine = article.published
    ? `It was published on ${formatDate(article.published)}.`
    : 'It gives no publication date.';
  switch (kind) {
    case 'summary': {
      const insights = article.insights.slice(0, SUMMARY_INSIGHTS);
      const answer = lead.sentences[0] ?? lead.text;
      if (insights.length > 0) return { article, answer, text: `${lead.text} Key insights: ${insights.join(' ')}` };
      // Without insights, the article's most central sentences are the summary.
      const central = picked();
      return central.length > 0
        ? { article, answer: central[0] ?? answer, text: `Picked from the article: ${central.join(' ')}` }
        : { article, answer, text: lead.text };
    }
    case 'published': {
      const answer = article.published
        ? `${title} was published on ${formatDate(article.published)}.`
        : `${title} gives no publication date.`;
      return { article, answer, text: `${answer} ${sourcesLine}` };
    }
    case 'sources':
      return { article, answer: sourcesLine, text: `${sourcesLine} ${dateLine}` };
    case 'headline': {
      const answer = `The headline is ${title}.`;
      return { article, answer, text: `${answer} ${dateLine}` };
    }
    case 'caption': {
      const answer = article.caption
        ? `The picture's caption: “${article.caption}”`
        : `${title} has no picture caption.`;
      return { article, answer, text: answer };
    }
    case 'author': {
      const answer = article.author
        ? `${title} was written by ${article.author}.`
        : `${title} doesn't name its author.`;
      return {
        article,
        answer,
        text: article.author ? `${answer} ${dateLine}` : `${answer} ${dateLine} ${sourcesLine}`,
      };
    }
  }
}

/** "2025-02-20" → "20 February 2025". */
function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
