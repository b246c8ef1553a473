// Shows API errors with antd's message. The instance comes from <App> (see MessageBridge in App.tsx)
// so that messages follow the theme and locale of the ConfigProvider.
import type { MessageInstance } from 'antd/es/message/interface';
import { ApiError, NETWORK_ERROR_STATUS } from './api.ts';
import i18n from './i18n/index.ts';
import { readableOr } from './i18n/problems.ts';

let messageApi: MessageInstance | null = null;

export function setMessageApi(api: MessageInstance | null): void {
  messageApi = api;
}

/**
 * Human-readable lines for any error in the user's language: a problem+json answer's rules or code
 * worded by the dictionaries (never its English detail in zh-CN), or a generic text.
 */
export function errorLines(error: unknown): string[] {
  if (error instanceof ApiError) {
    if (error.status === NETWORK_ERROR_STATUS) return [i18n.t('errors.network')];
    return error.messages;
  }
  if (error instanceof Error && error.message) return [readableOr(error.message, i18n.t('errors.loadFailed'))];
  return [i18n.t('errors.loadFailed')];
}

export function notifyError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) return; // the login redirect says it all
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const text = errorLines(error).join('；');
  if (messageApi) void messageApi.error({ content: text, key: text, duration: 5 });
  else console.error(text);
}
