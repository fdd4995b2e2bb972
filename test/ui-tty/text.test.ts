import { describe, expect, it } from 'vitest';
import { clip, fit, formatCapacity, spread, wrap } from '../../ui-tty/text.ts';

describe('text helpers', () => {
  it('fit pads or cuts to the exact width, marking a cut with ~', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abc', 5, 'right')).toBe('  abc');
    expect(fit('abcdef', 4)).toBe('abc~');
    expect(fit('abc', 0)).toBe('');
    expect(clip('abc', 5)).toBe('abc');
    expect(clip('abcdef', 5)).toBe('abcd~');
  });

  it('wrap breaks at spaces, indents follow-on lines and cuts overlong words', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrap('the quick brown fox', 10, '  ')).toEqual(['the quick', '  brown', '  fox']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('', 5)).toEqual(['']);
  });

  it('formatCapacity prints three significant digits in decimal units, as drive labels do', () => {
    expect(formatCapacity(2_000_398_934_016)).toBe('2.00 TB');
    expect(formatCapacity(500_107_862_016)).toBe('500 GB');
    expect(formatCapacity(1_000_204_886_016)).toBe('1.00 TB');
    expect(formatCapacity(999_999_999)).toBe('1.00 GB');
    expect(formatCapacity(64 * 1024 * 1024)).toBe('67.1 MB');
    expect(formatCapacity(512)).toBe('512 B');
  });

  it('spread right-aligns and gives way on the left', () => {
    expect(spread('left', 'right', 12)).toBe('left   right');
    expect(spread('a long left side', 'right', 12)).toBe('a lon~ right');
  });
});
