// A dialog or drawer's open state: what it shows, a count of openings (a `key` that resets its form),
// and closing it — optionally going somewhere else at once.
// Back closing an open overlay (a history entry per opening) was tried and is not reliable yet with
// the list's URL state: left for issue 13's next step.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';

export interface Overlay<T> {
  /** What the overlay shows, or null while it is closed. */
  value: T | null;
  /** Opens it (a fresh one every time: `openings` counts them, for a `key` that resets its form). */
  open: (value: T) => void;
  /** Closes it; with `thenNavigate`, goes there too. */
  close: (thenNavigate?: string) => void;
  openings: number;
}

export function useOverlay<T>(_name: string): Overlay<T> {
  const navigate = useNavigate();
  const [value, setValue] = useState<T | null>(null);
  const [openings, setOpenings] = useState(0);
  const open = (next: T) => {
    setOpenings((n) => n + 1);
    setValue(next);
  };
  const close = (thenNavigate?: string) => {
    setValue(null);
    if (thenNavigate !== undefined) navigate(thenNavigate);
  };
  return { value, open, close, openings };
}
