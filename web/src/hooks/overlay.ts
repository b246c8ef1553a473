// Dialogs and drawers that Back closes. Opening one pushes a history entry with the same URL and
// `{ overlay: <name> }` in its state; Back pops it, and the overlay closes while the list behind it —
// whose tab, filters and page are in the URL (urlState.ts) — stays exactly as it was. Closing it
// from the UI (cancel, save) steps back over that entry, so Back afterwards leaves the page as usual.
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

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

export function useOverlay<T>(name: string): Overlay<T> {
  const location = useLocation();
  const navigate = useNavigate();
  const [value, setValue] = useState<T | null>(null);
  const [openings, setOpenings] = useState(0);
  const inHistory = (location.state as OverlayState)?.overlay === name;

  // Back (or any navigation away from the overlay's entry) closes it
  const wasInHistory = useRef(inHistory);
  useEffect(() => {
    if (wasInHistory.current && !inHistory) setValue(null);
    wasInHistory.current = inHistory;
  }, [inHistory]);

  const open = (next: T) => {
    setOpenings((n) => n + 1);
    setValue(next);
    if (!inHistory) {
      navigate(
        { pathname: location.pathname, search: location.search, hash: location.hash },
        { state: { ...((location.state as object | null) ?? {}), overlay: name } },
      );
    }
  };

  const close = (thenNavigate?: string) => {
    setValue(null);
    // the entry in force now (a closure may be older than the last navigation)
    const current = (window.history.state as { usr?: OverlayState } | null)?.usr?.overlay === name;
    if (thenNavigate !== undefined) navigate(thenNavigate, { replace: current });
    else if (current) navigate(-1);
  };

  return { value, open, close, openings };
}
