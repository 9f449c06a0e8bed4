// The signed-out public pages (the citizens' e-channel): their own small app, loaded without the
// staff session (no refresh call, no cookie) and with the proof-of-work widget only here.
import { Route, Routes } from 'react-router';
import { SubmitPage } from './SubmitPage';
import { TrackPage } from './TrackPage';

export function PublicApp() {
  return (
    <Routes>
      <Route path="/public/track" element={<TrackPage />} />
      <Route path="/public/:code" element={<SubmitPage />} />
    </Routes>
  );
}
