import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

describe('createLogger', () => {
  it('writes JSON lines with level, event and fields, above the threshold only', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.info('content.reload', { user: 'mod', articles: 2 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      event: 'content.reload',
      user: 'mod',
      articles: 2,
    });
  });

  it('never writes a secret, even inside an error', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret.token';
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      format: 'pretty',
      write: (line) => lines.push(line),
      secrets: [token],
    });
    logger.error('login.failed', { error: new Error(`invalid token ${token}`), token });
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).toContain('[redacted]');
  });
});
