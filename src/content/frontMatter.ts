/** The keys an article's front matter may hold; anything else is a typo worth reporting. */
const FRONT_MATTER_KEYS = ['title', 'url', 'published', 'author', 'caption', 'sources'] as const;
type Key = (typeof FRONT_MATTER_KEYS)[number];

/** Front matter values as written, each with the line it came from. */
export interface FrontMatter {
  values: Partial<Record<Exclude<Key, 'sources'>, { value: string; line: number }>>;
  sources: Array<{ value: string; line: number }>;
  /** Line number (1-based) of the first body line. */
  bodyStart: number;
}

/** A front-matter problem at a 1-based line of the file. */
export interface FrontMatterError {
  line: number;
  message: string;
}

/**
 * Reads the `---` block at the top of an article: `key: value` lines and a `sources:` list of
 * `- url` items. Deliberately a small subset of YAML, so every mistake can be pointed at by
 * line instead of being silently reinterpreted.
 */
export function parseFrontMatter(lines: readonly string[]): { frontMatter: FrontMatter; errors: FrontMatterError[] } {
  const frontMatter: FrontMatter = { values: {}, sources: [], bodyStart: 1 };
  const errors: FrontMatterError[] = [];
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1 || lines[first]?.trim() !== '---') {
    errors.push({
      line: first === -1 ? 1 : first + 1,
      message: 'expected front matter: a "---" line, then "title: …", then "---"',
    });
    return { frontMatter, errors };
  }
  const close = lines.findIndex((line, i) => i > first && line.trim() === '---');
  if (close === -1) {
    errors.push({ line: first + 1, message: 'front matter is not closed: add a "---" line after it' });
    return { frontMatter, errors };
  }

  let listKey: Key | null = null;
  const seen = new Set<Key>();
  for (let i = first + 1; i < close; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$|^-\s+(.*)$/s.exec(line);
    if (item) {
      if (listKey !== 'sources') {
        errors.push({ line: lineNo, message: 'list item outside a list: only "sources:" takes "- url" items' });
        continue;
      }
      frontMatter.sources.push({ value: unquote(item[1] ?? item[2] ?? ''), line: lineNo });
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/s.exec(line);
    if (!pair) {
      errors.push({
        line: lineNo,
        message: `malformed front matter line: expected "key: value", got "${line.trim().slice(0, 60)}"`,
      });
      continue;
    }
    const key = (pair[1] ?? '').toLowerCase();
    const value = unquote(pair[2] ?? '');
    if (!isKey(key)) {
      errors.push({
        line: lineNo,
        message: `unknown front matter key "${key}" (expected one of: ${FRONT_MATTER_KEYS.join(', ')})`,
      });
      listKey = null;
      continue;
    }
    if (seen.has(key)) errors.push({ line: lineNo, message: `"${key}" is given twice` });
    seen.add(key);
    listKey = key;
    if (key === 'sources') {
      const inline = /^\[(.*)\]$/.exec(value);
      if (inline) {
        for (const url of (inline[1] ?? '').split(','))
          if (url.trim() !== '') frontMatter.sources.push({ value: unquote(url), line: lineNo });
      } else if (value !== '') {
        frontMatter.sources.push({ value, line: lineNo });
      }
    } else {
      frontMatter.values[key] = { value, line: lineNo };
    }
  }
  frontMatter.bodyStart = close + 2;
  return { frontMatter, errors };
}

function isKey(key: string): key is Key {
  return (FRONT_MATTER_KEYS as readonly string[]).includes(key);
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(trimmed);
  return quoted ? (quoted[1] ?? quoted[2] ?? '') : trimmed;
}
