/** How a question is put, apart from what it is about: evidence for the "covered or not" decision. */
export interface QuestionForm {
  /** It asks for instructions ("how do I…", "how to…"): news and reference text rarely gives them. */
  instructions: boolean;
  /** It speaks of the asker ("my router", "should I"): a request for personal help, rarely what an article answers. */
  personal: boolean;
}

const INSTRUCTIONS =
  /^\s*(?:how (?:do|can|could|should|would|to|might) (?:i|you|one|we)\b|how to\b|steps? to\b|(?:what(?:'s| is) the )?best way to\b|tips? (?:for|on)\b)/i;
const PERSONAL = /\b(?:i|i'm|im|i've|ive|me|my|mine|myself)\b/i;

/**
 * How a question is put. These are inputs to the learned coverage model, never rules on their own:
 * "How do we know the cartels were designated?" is an instructions-shaped question the content
 * answers, and the model sees that its words are all there.
 *
 * @example
 * questionForm('how do I reset my router?') // => { instructions: true, personal: true }
 */
export function questionForm(question: string): QuestionForm {
  return { instructions: INSTRUCTIONS.test(question), personal: PERSONAL.test(question) };
}
