// Pure parser for policy files: text in, a validated Policy (or every problem, each with its field path) out.
// Reading the file is the caller's business (src/modules/settlement/policies.ts).
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PolicySchema, type Policy } from './schema';

export interface PolicyIssue {
  /** Dotted field path, e.g. "schemes.resident.benefits.two_disease.ratios.grassroots.bp"; "" for the file itself. */
  path: string;
  message: string;
}

export class PolicyError extends Error {
  constructor(
    readonly filename: string,
    readonly issues: PolicyIssue[],
  ) {
    super(`${filename}: invalid policy\n${issues.map((i) => `  ${i.path || '(file)'}: ${i.message}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** `.yaml`/`.yml` files are YAML, `.json` files JSON. The policy id must equal the file's base name. */
export function loadPolicy(text: string, filename: string): Policy {
  const base = filename.replace(/^.*[\\/]/, '');
  const ext = /\.([^.]+)$/.exec(base)?.[1]?.toLowerCase();
  let data: unknown;
  try {
    if (ext === 'yaml' || ext === 'yml') data = parseYaml(text);
    else if (ext === 'json') data = JSON.parse(text);
    else throw new PolicyError(filename, [{ path: '', message: 'policy files end in .yaml, .yml or .json' }]);
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    const message = err instanceof YAMLParseError || err instanceof SyntaxError ? err.message : String(err);
    throw new PolicyError(filename, [{ path: '', message: `cannot parse: ${message}` }]);
  }
  const result = PolicySchema.safeParse(data, { error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined) });
  const issues: PolicyIssue[] = result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const stem = base.replace(/\.[^.]+$/, '');
  if (result.success && result.data.id !== stem) issues.push({ path: 'id', message: `is "${result.data.id}" but the file is named "${base}"; they must match` });
  if (issues.length > 0 || !result.success) throw new PolicyError(filename, issues);
  return result.data;
}
