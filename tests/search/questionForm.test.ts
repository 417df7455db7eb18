import { describe, expect, it } from 'vitest';
import { questionForm } from '../../src/search/questionForm.js';

describe('questionForm', () => {
  it('tells requests for instructions and personal help from questions about something', () => {
    expect(questionForm('how do I reset my router?')).toEqual({ instructions: true, personal: true });
    expect(questionForm('How to bake bread')).toEqual({ instructions: true, personal: false });
    expect(questionForm('How do we know the cartels were designated?')).toEqual({
      instructions: true,
      personal: false,
    });
    expect(questionForm('How many groups were designated?')).toEqual({ instructions: false, personal: false });
    expect(questionForm('what did Mexico say about it?')).toEqual({ instructions: false, personal: false });
  });
});
