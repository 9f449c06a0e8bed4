// After moving to another page, a screen-reader or keyboard user lands on its heading (as a full
// page load would put them at the top), and the window title names the page, so tabs and the
// browser history tell pages apart. Only a change of section counts: opening a task inside the
// inbox (/inbox/12) keeps the focus where the user is working.
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { useI18n } from '../i18n';

let titleCount = 0;
let titleHeading = '';
let titleApp = '';
const writeTitle = () => {
  if (titleHeading) document.title = `${titleCount ? `(${titleCount}) ` : ''}${titleHeading} · ${titleApp}`;
};
/** The count of tasks waiting for me, shown first in the window title (a background tab tells it). */
export function setTitleCount(n: number): void {
  titleCount = n;
  writeTitle();
}

export function usePageFocus(): void {
  const { pathname } = useLocation();
  const { t } = useI18n();
  const section = pathname.split('/').slice(0, pathname.startsWith('/registry') || pathname.startsWith('/admin') ? 3 : 2).join('/');
  const first = useRef(true);
  useEffect(() => {
    let tries = 0;
    let timer = 0;
    const settle = () => {
      const heading = document.querySelector<HTMLElement>('#main h1, #main h2');
      if (!heading) {
        if (tries++ < 40) timer = window.setTimeout(settle, 50); // the page's data may still be loading
        return;
      }
      titleHeading = heading.textContent?.trim() || t('app.name');
      titleApp = t('app.short');
      writeTitle();
      if (first.current) {
        first.current = false; // a fresh load keeps the browser's own starting point (and autofocus)
        return;
      }
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    };
    settle();
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [section]);
}
