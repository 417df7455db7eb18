import type { ArticleDraft } from './draft.js';

/**
 * A plain-text article as a draft: its first line is the title, blank lines separate paragraphs,
 * and the lines of one paragraph are joined.
 *
 * @example
 * textToDraft('Harbour Bridge Reopens\n\nThe bridge reopened on Monday.\n').lead
 * // => [{ kind: 'paragraph', text: 'The bridge reopened on Monday.' }]
 */
export function textToDraft(text: string): ArticleDraft {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  const paragraphs: string[] = [];
  let open: string[] = [];
  for (const line of lines.slice(first + 1)) {
    if (line.trim() === '') {
      if (open.length > 0) paragraphs.push(open.join(' '));
      open = [];
    } else open.push(line.trim());
  }
  if (open.length > 0) paragraphs.push(open.join(' '));
  return {
    title: first === -1 ? '' : (lines[first] ?? '').trim(),
    url: null,
    published: null,
    author: null,
    caption: null,
    sources: [],
    lead: paragraphs.map((paragraph) => ({ kind: 'paragraph', text: paragraph })),
    sections: [],
  };
}
