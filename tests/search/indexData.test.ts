import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { indexFromData, indexToData } from '../../src/search/indexData.js';

const OPTIONS = { fields: ['title', 'text'] };
const DOCS = [
  { id: 0, title: 'Harbour bridge', text: 'The bridge reopened after repairs to its steel cables' },
  { id: 1, title: 'Ferry timetable', text: 'The ferry leaves the harbour at nine' },
  { id: 2, title: '', text: 'Cables and ferries and bridges' },
];

describe('MiniSearch index as typed arrays', () => {
  it('loads back into an index that searches exactly like the original, across several blocks', async () => {
    const original = new MiniSearch(OPTIONS);
    original.addAll(DOCS);
    const data = indexToData(original as MiniSearch<unknown>, 8);
    expect(data.blocks.length).toBeGreaterThan(2);
    let pauses = 0;
    const loaded = await indexFromData(data, OPTIONS, () => {
      pauses++;
      return Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(0);
    // The same content; the radix tree lists terms in the order they were inserted.
    const sorted = (index: MiniSearch) => {
      const json = index.toJSON();
      return { ...json, index: [...json.index].sort(([a], [b]) => a.localeCompare(b)) };
    };
    expect(sorted(loaded)).toEqual(sorted(original));
    for (const query of ['harbour', 'cables bridge', 'ferry nine', 'nothing'])
      expect(loaded.search(query)).toEqual(original.search(query));
  });

  it('refuses an index whose documents are not numbered 0, 1, 2… in order', () => {
    const index = new MiniSearch(OPTIONS);
    index.addAll([{ ...DOCS[0], id: 5 }]);
    expect(() => indexToData(index as MiniSearch<unknown>)).toThrow('needs documents numbered 0, 1, 2…');
  });
});
