// A tiny fetch wrapper: same-origin cookies, JSON in and out, problem+json errors as ApiError,
// and a redirect to the login page whenever the session is missing (401).
import { problemLines } from './i18n/problems.ts';
import type { Problem } from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /**
   * Lines a person can act on, in the user's language: each `errors[].rule`, else the problem's `code`
   * (see i18n/problems.ts). The server's English `detail` and `message`s reach the screen only in en-US.
   */
  get messages(): string[] {
    return problemLines(this.problem);
  }
}

/** Status 0: the request never got an answer (server down, network lost). */
export const NETWORK_ERROR_STATUS = 0;

type UnauthorizedHandler = () => void;

function defaultUnauthorizedHandler(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}

let unauthorizedHandler: UnauthorizedHandler = defaultUnauthorizedHandler;

/** The app installs a router-aware handler; outside React the page is simply reloaded on /login. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler ?? defaultUnauthorizedHandler;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** false: a 401 is only thrown, not turned into a redirect (login form, session probe). */
  redirectOn401?: boolean;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, query, signal, redirectOn401 = true } = options;

  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }

  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: NETWORK_ERROR_STATUS, title: 'Network error' });
  }

  if (response.status === 401 && redirectOn401) unauthorizedHandler();

  const payload = await readBody(response);
  if (!response.ok) {
    const problem: Problem =
      payload && typeof payload === 'object'
        ? { ...(payload as Partial<Problem>), status: response.status }
        : { status: response.status, title: response.statusText || `HTTP ${response.status}` };
    throw new ApiError(problem);
  }
  return payload as T;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
