// Puts a problem+json answer's `errors[].field` (e.g. `body.diseases.0.basis.readings`) next to the
// form field it names. Field paths of the forms mirror the request bodies, so the mapping is the path
// itself; a path with no field of its own lands on the nearest field that holds it. Whatever cannot
// be placed (a 409's rule, a field the form does not show) is returned for an alert above the form.
import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';
import { ruleText } from './i18n/problems.ts';
import { errorLines } from './notify.ts';

type Path = Array<string | number>;

/** Stored-unit names of the server's reading checks → the field names of the request. */
const FIELD_ALIASES: Record<string, string> = {
  fastingGlucoseTenths: 'fastingGlucose',
  hba1cTenths: 'hba1c',
};

/** When an error names a list item as a whole, show it on this field of the item. */
const ITEM_FIELD: Record<string, string> = {
  diseases: 'code',
  prescription: 'drugCode',
  readings: 'date',
};

/** When an error names an object with no field of its own, show it on this field inside it. */
const CHILD_FIELD: Record<string, string> = {
  basis: 'type',
  consent: 'signerName',
};

export function toFieldPath(field: string): Path {
  const parts = field.split('.').filter(Boolean);
  if (parts[0] === 'body' || parts[0] === 'querystring' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : (FIELD_ALIASES[p] ?? p)));
}

/** A rule the UI knows in both languages, else the server's own message where readable (never English in zh-CN). */
export function ruleMessage(rule: string, message: string): string {
  return ruleText(rule, message);
}

const keyOf = (path: Path) => JSON.stringify(path);

/** The fields showing the server's errors, per form: a field with no rules of its own keeps them until edited. */
const serverPlaced = new WeakMap<FormInstance, Set<string>>();

export interface PlacedErrors {
  /** Messages shown next to fields. */
  placed: number;
  /** Lines for an alert: errors with no field on the form, or the whole error when it is not a problem with fields. */
  unplaced: string[];
}

export function applyServerErrors(form: FormInstance, error: unknown, extraPaths: Path[] = []): PlacedErrors {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return { placed: 0, unplaced: errorLines(error) };
  const registered = new Set([...form.getFieldsError().map((f) => keyOf(f.name as Path)), ...extraPaths.map(keyOf)]);
  const byField = new Map<string, { name: Path; errors: string[] }>();
  const unplaced: string[] = [];
  for (const e of error.problem.errors) {
    const text = ruleMessage(e.rule, e.message);
    const path = e.field ? toFieldPath(e.field) : [];
    let target: Path | null = null;
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    if (registered.has(keyOf(path))) target = path;
    else if (typeof last === 'number' && typeof parent === 'string' && ITEM_FIELD[parent]) {
      const item = [...path, ITEM_FIELD[parent]];
      if (registered.has(keyOf(item))) target = item;
    } else if (typeof last === 'string' && CHILD_FIELD[last]) {
      const child = [...path, CHILD_FIELD[last]];
      if (registered.has(keyOf(child))) target = child;
    }
    for (let n = path.length; target === null && n > 0; n--) {
      const prefix = path.slice(0, n);
      if (registered.has(keyOf(prefix))) target = prefix;
    }
    if (!target) {
      if (!unplaced.includes(text)) unplaced.push(text);
      continue;
    }
    const k = keyOf(target);
    const entry = byField.get(k) ?? { name: target, errors: [] };
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(k, entry);
  }
  form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
  serverPlaced.set(form, new Set(byField.keys()));
  return { placed: byField.size, unplaced };
}

/** Lines for a failed action outside a form: the rule of a 409 in the user's language, with the server's detail. */
export function actionErrorLines(error: unknown): string[] {
  if (error instanceof ApiError && error.problem.errors?.length) {
    return [...new Set(error.problem.errors.map((e) => ruleMessage(e.rule, e.message)))];
  }
  return errorLines(error);
}

/**
 * A form's onFieldsChange: a field edited after the server marked it loses that mark, and the error alert
 * above the form (it belongs to the last submission) goes once no field shows an error any more.
 */
export function clearAlertWhenFixed(form: FormInstance, alert: string[], setAlert: (lines: string[]) => void) {
  return (changed: Array<{ name: Path | string | number }>) => {
    const placed = serverPlaced.get(form);
    const cleared = changed
      .map((f) => (Array.isArray(f.name) ? f.name : [f.name]))
      .filter((name) => placed?.delete(keyOf(name)));
    if (cleared.length) form.setFields(cleared.map((name) => ({ name, errors: [] })));
    if (alert.length && !form.getFieldsError().some((f) => f.errors.length > 0)) setAlert([]);
  };
}
