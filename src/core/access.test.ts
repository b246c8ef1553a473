import { describe, expect, it } from 'vitest';
import { ACCESS, SCOPE_RULES } from './access';
import { documentedTable, renderAccessTable } from './accessDoc';

describe('the access table', () => {
  it('is what docs/access.md shows (run `npm run docs:access` after changing it)', () => {
    expect(documentedTable()).toBe(renderAccessTable());
  });
  it('names a known scope rule for every grant, and every permission is held by someone', () => {
    for (const [permission, row] of Object.entries(ACCESS)) {
      expect(Object.keys(row.grants).length, permission).toBeGreaterThan(0);
      for (const rule of Object.values(row.grants)) expect(Object.keys(SCOPE_RULES)).toContain(rule);
    }
  });
});
