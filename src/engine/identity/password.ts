// What a new password must be. GB/T 22239-2019 (等保 2.0, 8.1.4.1 身份鉴别) asks that identification
// information "具有复杂度要求并定期更换": here at least 8 characters, letters and digits both, not
// containing the username, and not the old password again.
export type PasswordRule = 'too_short' | 'too_long' | 'needs_letter_and_digit' | 'contains_username' | 'same_as_old';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

export function passwordProblems(password: string, username: string, old?: string): PasswordRule[] {
  const out: PasswordRule[] = [];
  if ([...password].length < PASSWORD_MIN) out.push('too_short');
  if (password.length > PASSWORD_MAX) out.push('too_long');
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) out.push('needs_letter_and_digit');
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) out.push('contains_username');
  if (old !== undefined && password === old) out.push('same_as_old');
  return out;
}

export const PASSWORD_RULE_TEXT: Record<PasswordRule, { zh: string; en: string }> = {
  too_short: { zh: `密码至少 ${PASSWORD_MIN} 位`, en: `at least ${PASSWORD_MIN} characters` },
  too_long: { zh: `密码不超过 ${PASSWORD_MAX} 位`, en: `at most ${PASSWORD_MAX} characters` },
  needs_letter_and_digit: { zh: '密码须同时包含字母和数字', en: 'letters and digits both' },
  contains_username: { zh: '密码不能包含用户名', en: 'must not contain the username' },
  same_as_old: { zh: '新密码不能与原密码相同', en: 'must differ from the current password' },
};
