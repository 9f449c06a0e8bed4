// The ALTCHA widget (altcha v3) as a React piece: the proof of work runs in a worker bundled with the
// app (no CDN, no blob: worker, so the site's Content-Security-Policy holds), fetching its challenge
// from /api/public/challenge; the solved payload is handed up for the form to send.
import { useEffect, useRef, useState } from 'react';
import 'altcha/external';
import 'altcha/altcha.css';
import 'altcha/i18n/th';
import 'altcha/i18n/en';
import Pbkdf2Worker from 'altcha/workers/pbkdf2?worker';

// The external build bundles no worker: the one algorithm the server uses (citizens/pow.ts), from our own origin.
globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Pbkdf2Worker());

export function Altcha({ language, onPayload }: { language: 'th' | 'en'; onPayload: (payload: string | null) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const report = useRef(onPayload);
  report.current = onPayload;
  const [verified, setVerified] = useState(false);
  useEffect(() => {
    const el = document.createElement('altcha-widget');
    el.setAttribute('challenge', '/api/public/challenge');
    el.setAttribute('name', 'altcha');
    el.setAttribute('language', language);
    el.setAttribute('auto', 'onfocus');
    el.setAttribute('configuration', JSON.stringify({ hideFooter: true, hideLogo: true }));
    const onState = (ev: Event) => {
      const { state, payload } = (ev as CustomEvent<{ state: string; payload?: string }>).detail;
      const done = state === 'verified' && !!payload;
      setVerified(done);
      report.current(done ? payload! : null);
    };
    el.addEventListener('statechange', onState);
    box.current!.appendChild(el);
    return () => {
      el.removeEventListener('statechange', onState);
      el.remove();
    };
  }, [language]);
  return <div ref={box} data-testid="altcha" data-verified={verified} />;
}
