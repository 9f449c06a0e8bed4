// Pages that keep their choices in the address (?q=&urgency=&page=…), so a view can be bookmarked
// and shared; an empty value removes its parameter. Each change starts from the newest parameters,
// including a change made a moment ago that the page has not drawn yet: built from the rendered ones,
// a quick second change (clear the search, then pick an urgency) put the first one's old value back.
import { useRef } from 'react';
import { useSearchParams } from 'react-router';

export function useAddressState() {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  latest.current = params;
  const set = (changes: Record<string, string | number>) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(changes)) {
      if (v !== '') next.set(k, String(v));
      else next.delete(k);
    }
    latest.current = next;
    setParams(next, { replace: true });
  };
  return [params, set] as const;
}
