// The navigation's count of tasks waiting for me, live; the window title carries it too, and a
// ด่วนที่สุด arrival raises a toast that opens it, with a short tone when I asked for one (pushes
// carry ids only: the title is read through the REST API, so it shows only what I may read).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Anchor, Badge, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLocalStorage } from '@mantine/hooks';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../lib/api';
import { useLiveEvents } from '../../lib/live';
import { useI18n } from '../../i18n';
import { setTitleCount } from '../../components/usePageFocus';

// A preference of this browser (a tone belongs to the device it plays on), off unless asked for.
const SOUND_KEY = 'saraban.urgentSound';
const soundWanted = () => localStorage.getItem(SOUND_KEY) === 'true';

/** Two short tones (no audio file to fetch); silently nothing where the browser will not play. */
function playUrgentTone(): void {
  try {
    const audio = new AudioContext();
    for (const [i, hz] of [880, 1175].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = hz;
      gain.gain.setValueAtTime(0.15, audio.currentTime + i * 0.2);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.2 + 0.18);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.2);
      tone.stop(audio.currentTime + i * 0.2 + 0.2);
    }
    window.setTimeout(() => void audio.close(), 1000);
  } catch {
    // no audio device or autoplay refused: the toast still says it
  }
}

/** The switch for the tone on a ด่วนที่สุด arrival. */
export function UrgentSoundSwitch() {
  const { t } = useI18n();
  const [on, setOn] = useLocalStorage({ key: SOUND_KEY, defaultValue: false, getInitialValueInEffect: false });
  return <Switch label={t('signal.sound')} description={t('signal.soundHint')} checked={on} onChange={(e) => setOn(e.currentTarget.checked)} />;
}

export function InboxCount() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  // The toast renders outside the router (notifications live beside it): navigate from here, not with <Link>.
  const navigate = useNavigate();
  const count = useQuery({ queryKey: ['tasks', 'count'], queryFn: () => api.get<{ total: number }>('/tasks?limit=1'), select: (d) => d.total, refetchInterval: 120_000 });
  useLiveEvents(
    (event) => {
      if (!event.type.startsWith('task.')) return;
      void queryClient.invalidateQueries({ queryKey: ['tasks', 'count'] });
      if (event.type === 'task.created' && Number(event.summary?.urgency) >= 4) {
        void api.get<{ id: number; title: string | null; name: string }>(`/tasks/${event.subject.id}`).then(
          (task) => {
            if (soundWanted()) playUrgentTone();
            notifications.show({
              color: 'red',
              autoClose: 15_000,
              title: t('signal.mostUrgent'),
              message: (
                <Anchor
                  href={`/inbox/${task.id}`}
                  data-testid="urgent-toast-link"
                  onClick={(e) => {
                    e.preventDefault();
                    void navigate(`/inbox/${task.id}`);
                  }}
                >
                  {task.title ?? task.name}
                </Anchor>
              ),
            });
          },
          () => undefined, // not mine to read (taken by someone else meanwhile): no toast
        );
      }
    },
    () => void queryClient.invalidateQueries({ queryKey: ['tasks', 'count'] }),
  );
  const n = count.data ?? 0;
  useEffect(() => setTitleCount(n), [n]);
  if (!n) return null;
  return (
    <Badge size="sm" color="indigo" variant="filled" aria-label={t('signal.inboxCount', { n })} data-testid="inbox-count" data-count={n}>
      {n}
    </Badge>
  );
}
