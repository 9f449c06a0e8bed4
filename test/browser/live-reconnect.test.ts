// Live updates survive the server closing the socket, in a real browser. The server closes a
// user's sockets when their access token expires and at once when their sessions end (password
// change, logout everywhere, account disabled); the tab reconnects with a fresh token, replaying
// what it missed, unless its session really ended: then it is signed out and never reconnected.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PASSWORD, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

describe('live updates after the server closes the socket, in a real browser', function () {
  this.timeout(150000);
  let h: Harness;
  let call: Api['call'], tokenOf: Api['tokenOf'], taskOf: Api['taskOf'];

  before(async function () {
    this.timeout(180000);
    // Short-lived access tokens: the server closes every socket 20 s after its handshake.
    h = await startHarness({ ACCESS_TOKEN_TTL: '20' });
    ({ call, tokenOf, taskOf } = apiOf(h.baseUrl));
  });
  after(async () => {
    await h?.close();
  });

  /** Routes a new letter up to the director's position (their inbox gets a task). */
  async function routeToDirector(subject: string): Promise<void> {
    const [clerk, sectionhead] = await Promise.all([tokenOf('clerk'), tokenOf('sectionhead')]);
    const started = await call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 1 } } });
    await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, started.instance.id, 'screen')).id}/complete`, { variables: { summary: 'x' } });
    await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, started.instance.id, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ.' } });
  }

  async function openLiveInbox(page: Page, username: string): Promise<void> {
    await signIn(page, username);
    await page.getByRole('link', { name: 'กล่องงาน' }).click();
    await page.getByRole('heading', { name: 'กล่องงาน' }).waitFor();
    await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
    await page.evaluate('window.liveMarker = 1');
  }

  const rowOf = (page: Page, subject: string) => page.getByTestId('inbox-table').getByRole('row').filter({ hasText: subject });

  it('keeps the tab live after the user changes their password in this browser: the socket the server closed reconnects with a new token', async () => {
    await h.withPage(async (page) => {
      await openLiveInbox(page, 'director');
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      // The password change as another tab of this browser makes it: the cookie is replaced, every
      // earlier session and token of the user is revoked, and the server closes this tab's socket.
      const status = await page.evaluate(async (password) => {
        const session = { 'content-type': 'application/json', 'x-saraban-session': 'cookie' };
        const signedIn = await fetch('/api/auth/login', { method: 'POST', headers: session, body: JSON.stringify({ username: 'director', password }) });
        const { accessToken } = (await signedIn.json()) as { accessToken: string };
        const changed = await fetch('/api/auth/password', { method: 'POST', headers: { ...session, authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ currentPassword: password, newPassword: 'saraban-new-2569' }) });
        return changed.status;
      }, PASSWORD);
      expect(status).to.equal(200);
      // A new socket, and no reload: the letter routed afterwards appears in the open page.
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      await routeToDirector('ทดสอบหลังเปลี่ยนรหัสผ่าน');
      await rowOf(page, 'ทดสอบหลังเปลี่ยนรหัสผ่าน').waitFor();
      expect(sockets.length, 'a new socket').to.be.greaterThan(0);
      expect(await page.evaluate('window.liveMarker')).to.equal(1);
      expect(new URL(page.url()).pathname).to.equal('/inbox');
    });
  });

  it('keeps the tab live across the expiry of its access token (the server closes the socket at expiry)', async () => {
    await h.withPage(async (page) => {
      const closed: Promise<void>[] = [];
      page.on('websocket', (ws) => closed.push(new Promise((resolve) => ws.on('close', () => resolve()))));
      await signIn(page, 'director', 'saraban-new-2569');
      await page.getByRole('link', { name: 'กล่องงาน' }).click();
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      await page.evaluate('window.liveMarker = 1');
      // The first socket is closed by the server when its token expires; the tab connects again.
      await closed[0];
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      await routeToDirector('ทดสอบหลังโทเคนหมดอายุ');
      await rowOf(page, 'ทดสอบหลังโทเคนหมดอายุ').waitFor();
      expect(await page.evaluate('window.liveMarker')).to.equal(1);
    });
  });

  it('does not reconnect a disabled user\'s tab: it is sent to sign-in, saying the session ended', async () => {
    await h.withPage(async (page) => {
      await openLiveInbox(page, 'deputy');
      const deputy = await tokenOf('deputy');
      const { user } = await call<{ user: { id: number } }>(deputy, 'GET', '/me');
      await call(await tokenOf('admin'), 'PATCH', `/users/${user.id}`, { active: false });
      await page.waitForURL('**/login');
      await page.getByTestId('session-ended').waitFor();
      expect(await page.getByTestId('live-status').count()).to.equal(0);
    });
  });
});
