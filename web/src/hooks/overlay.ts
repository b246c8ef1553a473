// Dialogs and drawers that Back closes. The open overlay is in the URL, `?dialog=<name>` beside the
// list's own state (urlState.ts): opening one pushes that URL, and the overlay shows only while the
// param is there — so Back is a plain URL change that drops the param, the overlay closes, and the list,
// whose tab, filters and page the URL still holds, stays exactly as it was. Closing from the UI (cancel,
// save, Escape) steps back over the overlay's entry when it is the current one, or else takes the param
// out in place, so Back afterwards leaves the page as usual. A `dialog` param without what the overlay
// shows (a reload, Forward after a close) is taken out in place.
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/** The search param that names the open overlay. */
export const OVERLAY_PARAM = 'dialog';

/** The entry's history state, as `open` pushes it: marks the entry as the overlay's own. */
type OverlayState = { overlay?: string } | null;

export interface Overlay<T> {
  /** What the overlay shows, or null while it is closed. */
  value: T | null;
  /** Opens it (a fresh one every time: `openings` counts them, for a `key` that resets its form). */
  open: (value: T) => void;
  /** Closes it and drops its history entry; with `thenNavigate`, goes there instead, in the entry's place. */
  close: (thenNavigate?: string) => void;
  openings: number;
}

const withParam = (search: string, name: string | null): string => {
  const params = new URLSearchParams(search);
  if (name === null) params.delete(OVERLAY_PARAM);
  else params.set(OVERLAY_PARAM, name);
  const text = params.toString();
  return text ? `?${text}` : '';
};

export function useOverlay<T>(name: string): Overlay<T> {
  const location = useLocation();
  const navigate = useNavigate();
  const [held, setHeld] = useState<T | null>(null);
  const [openings, setOpenings] = useState(0);
  const inUrl = new URLSearchParams(location.search).get(OVERLAY_PARAM) === name;

  // Back (or any navigation to a URL without the param) closes it: what it showed is let go, so
  // Forward onto the entry again finds nothing to show and takes the param out below
  useEffect(() => {
    if (!inUrl) setHeld(null);
  }, [inUrl]);

  // the param with nothing to show (a reload, a shared link, Forward after a close): out, in place.
  // Only on arriving at an entry, never because `held` was just cleared by `close` (which moves on itself).
  useEffect(() => {
    if (inUrl && held === null) {
      navigate({ pathname: location.pathname, search: withParam(location.search, null), hash: location.hash }, { replace: true, state: null });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.key]);

  const open = (next: T) => {
    setOpenings((n) => n + 1);
    setHeld(next);
    if (!inUrl) {
      navigate(
        { pathname: location.pathname, search: withParam(location.search, name), hash: location.hash },
        { state: { ...((location.state as object | null) ?? {}), overlay: name } },
      );
    }
  };

  const close = (thenNavigate?: string) => {
    setHeld(null);
    // the entry in force now (a closure may be older than the last navigation)
    const now = new URLSearchParams(window.location.search).get(OVERLAY_PARAM) === name;
    const ours = now && (window.history.state as { usr?: OverlayState } | null)?.usr?.overlay === name;
    if (thenNavigate !== undefined) navigate(thenNavigate, { replace: now });
    else if (ours) navigate(-1);
    else if (now) {
      navigate({ pathname: window.location.pathname, search: withParam(window.location.search, null), hash: window.location.hash }, { replace: true, state: null });
    }
  };

  return { value: inUrl ? held : null, open, close, openings };
}
