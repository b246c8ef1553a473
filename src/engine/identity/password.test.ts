import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password';

describe('a new password', () => {
  it('is accepted with 8 characters, letters and digits', () => {
    expect(passwordProblems('qiao2026x', 'doctor')).toEqual([]);
  });
  it('is refused too short, without a digit or a letter, containing the username, or unchanged', () => {
    expect(passwordProblems('ab12', 'doctor')).toEqual(['too_short']);
    expect(passwordProblems('abcdefghij', 'doctor')).toEqual(['needs_letter_and_digit']);
    expect(passwordProblems('1234567890', 'doctor')).toEqual(['needs_letter_and_digit']);
    expect(passwordProblems('Doctor2026', 'doctor')).toEqual(['contains_username']);
    expect(passwordProblems('same2026x', 'doctor', 'same2026x')).toEqual(['same_as_old']);
  });
  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('密码1a', 'doctor')).toEqual(['too_short']);
  });
});
