// The monitor keeps its choices in the address (?key=&version=&org=&window=&q=&status=&page=), so
// a view can be bookmarked and shared; an empty value removes its parameter.
import { useSearchParams } from 'react-router';

export function useSearchState() {
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return [params, set] as const;
}
