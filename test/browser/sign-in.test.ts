// Sign-in, the header (who I am, position, capacity), language, session and phone layout, in a real browser.
import { expect } from 'chai';
import type { Request } from 'playwright-core';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';

describe('sign-in, header and language in a real browser', function () {
  this.timeout(120000);
  let h: Harness;

  before(async function () {
    this.timeout(180000);
    // A short access-token life, so the refresh before expiry happens within a test.
    h = await startHarness({ ACCESS_TOKEN_TTL: '70' });
  });
  after(async () => {
    await h?.close();
  });

  it('serves the app for deep links (SPA fallback) and sends a signed-out visitor to the sign-in page', async () => {
    await h.withPage(async (page) => {
      await page.goto('/admin/units');
      await page.waitForURL('**/login');
      expect(await page.locator('html').getAttribute('lang')).to.equal('th');
      await page.getByRole('heading', { name: 'ระบบสารบรรณอิเล็กทรอนิกส์' }).waitFor();
      await screenshot(page, '01-login');
    });
  });

  it('refuses a wrong password with a Thai message and stays on the sign-in page', async () => {
    await h.withPage(async (page) => {
      await page.goto('/login');
      await page.getByLabel('ชื่อผู้ใช้').fill('director');
      await page.getByLabel('รหัสผ่าน').fill('not-the-password');
      await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
      await page.getByRole('alert').filter({ hasText: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' }).waitFor();
      expect(page.url()).to.match(/\/login$/);
    });
  });

  it('signs in the director and shows name, position and the capacity switch with ปฏิบัติราชการแทน รองปลัดกระทรวง; the chosen capacity goes with requests', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      const who = page.getByTestId('who-am-i');
      await who.getByText('นายวิชัย ทองดี').waitFor();
      await who.getByText(/ผู้อำนวยการกองกลาง/).waitFor();
      // The capacity switch is a menu: one's own position first, then each position one may act for.
      const capacity = page.getByRole('button', { name: /^ปฏิบัติหน้าที่ในฐานะ/ });
      await capacity.click();
      const options = await page.getByRole('menuitem').allTextContents();
      expect(options).to.have.length(2);
      expect(options[0]).to.include('ผู้อำนวยการกองกลาง');
      expect(options[1]).to.equal('ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข');
      await page.keyboard.press('Escape');
      // Buddhist-era date on the home page.
      const year = new Date().getFullYear() + 543;
      await page.getByText(new RegExp(`วันนี้ .*${year}`)).waitFor();
      // The bundled Sarabun font is what the Thai text is set in.
      const loaded = await page.evaluate('document.fonts.ready.then(() => [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family))');
      expect(loaded).to.include('Sarabun');
      await screenshot(page, '02-home-director');
      // The refresh token is an httpOnly cookie for /api/auth only: no script of the page can read it.
      const cookie = (await page.context().cookies()).find((c) => c.name === 'saraban_refresh');
      expect(cookie, 'refresh cookie').to.not.equal(undefined);
      expect([cookie!.httpOnly, cookie!.sameSite, cookie!.path]).to.deep.equal([true, 'Strict', '/api/auth']);
      const readable = (await page.evaluate('JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }])')) as string;
      expect(readable).to.not.include(cookie!.value);
      expect(readable).to.not.match(/refresh/i);

      const { call, tokenOf } = apiOf(h.baseUrl);
      const me = await call<{ capacities: Array<{ positionId: number; capacity: string }> }>(await tokenOf('director'), 'GET', '/me');
      const deputyValue = String(me.capacities.find((c) => c.capacity !== 'self')!.positionId);
      await capacity.click();
      await page.getByRole('menuitem', { name: 'ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข' }).click();
      await page.getByTestId('acting-notice').getByText('ปฏิบัติราชการแทน รองปลัดกระทรวง').waitFor();
      // The choice survives a reload and is sent as X-Acting-Capacity.
      const meRequest = page.waitForRequest((r: Request) => r.url().endsWith('/api/me'));
      await page.reload();
      expect((await meRequest).headers()['x-acting-capacity']).to.equal(deputyValue);
      await page.getByRole('button', { name: 'ปฏิบัติหน้าที่ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข' }).waitFor();
      await screenshot(page, '03-home-acting-for-deputy');
    });
  });

  it('forgets a chosen capacity once its delegation is revoked, and stops sending it', async () => {
    const { call, tokenOf } = apiOf(h.baseUrl);
    const accessToken = await tokenOf('admin');
    type Rows = { items: Array<Record<string, unknown>> };
    const orgId = (await call<{ organisation: { id: number } }>(accessToken, 'GET', '/me')).organisation.id;
    const positions = (await call<Rows>(accessToken, 'GET', `/organisations/${orgId}/positions`)).items;
    const users = (await call<Rows>(accessToken, 'GET', `/organisations/${orgId}/users`)).items;
    const principal = positions.find((p) => p.titleTh === 'หัวหน้ากลุ่มงานสารบรรณ')!;
    const officer = users.find((u) => u.username === 'officer')!;
    const delegation = await call<{ id: unknown }>(accessToken, 'POST', `/organisations/${orgId}/delegations`, {
      principalPositionId: principal.id, delegateUserId: officer.id, capacity: 'acting_in_post',
      startsAt: new Date(Date.now() - 60_000).toISOString(), orderNumber: 'ที่ 77/2569',
    });
    expect(delegation.id).to.be.a('number');

    await h.withPage(async (page) => {
      await signIn(page, 'officer');
      await page.getByRole('button', { name: /^ปฏิบัติหน้าที่ในฐานะ/ }).click();
      await page.getByRole('menuitem', { name: 'รักษาราชการแทน หัวหน้ากลุ่มงานสารบรรณ' }).click();
      await page.getByTestId('acting-notice').waitFor();
      await call(accessToken, 'POST', `/delegations/${delegation.id}/revoke`);
      await page.reload();
      await page.getByTestId('capacity').waitFor(); // one capacity left: a badge, no switch
      expect(await page.getByTestId('acting-notice').count()).to.equal(0);
      const next = page.waitForRequest((r: Request) => r.url().endsWith('/api/me'));
      await page.reload();
      expect((await next).headers()).to.not.have.property('x-acting-capacity');
    });
  });

  it('switches the whole interface to English and back to Thai, and remembers the choice', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      await page.getByTestId('language-switch').click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByRole('heading', { name: 'Hello, Kanya Saijai' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).to.equal('en');
      await page.getByRole('link', { name: 'Inbox' }).waitFor();
      await screenshot(page, '04-home-english');
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByTestId('language-switch').click();
      await page.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      await page.getByRole('link', { name: 'กล่องงาน' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).to.equal('th');
    });
  });

  it('shows a clerk neither the admin menu nor the admin pages', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.getByRole('link', { name: 'กล่องงาน' }).waitFor();
      expect(await page.getByRole('link', { name: 'ส่วนราชการภายใน' }).count()).to.equal(0);
      await page.goto('/admin/units');
      await page.getByText('หน้านี้สำหรับผู้ที่ได้รับสิทธิ์เท่านั้น', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'เพิ่มส่วนราชการ' }).count()).to.equal(0);
    });
  });

  it('refreshes the access token before it expires and keeps working; sign-out returns to the sign-in page', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      // ACCESS_TOKEN_TTL=70 s: the app refreshes about a minute before expiry, i.e. after ~10 s.
      const refreshed = await page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'), { timeout: 30000 });
      expect(refreshed.status()).to.equal(200);
      // A reload keeps the user signed in on the same page: the access token lived only in memory,
      // and the page gets a new one through the refresh cookie.
      await page.getByRole('link', { name: 'กล่องงาน' }).click();
      await page.waitForURL('**/inbox');
      const me = page.waitForResponse((r) => r.url().endsWith('/api/me'));
      await page.reload();
      expect((await me).status()).to.equal(200);
      await page.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      expect(new URL(page.url()).pathname).to.equal('/inbox');
      await page.getByRole('button', { name: 'ออกจากระบบ' }).click();
      await page.waitForURL('**/login');
      // Signing out cleared the cookie through the server: a reload does not sign in again.
      expect((await page.context().cookies()).map((c) => c.name)).to.not.include('saraban_refresh');
      await page.goto('/');
      await page.waitForURL('**/login');
      expect(await page.getByTestId('session-ended').count()).to.equal(0);
    });
  });

  it('keeps two tabs signed in when both refresh with the same cookie at once (the grace window), and later reloads still work', async () => {
    const { context, page } = await h.newPage();
    try {
      await signIn(page, 'clerk');
      const other = await context.newPage();
      await other.goto('/');
      await other.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      // Both refreshes are held until both are sent, so both carry the one cookie the browser has.
      const held: Array<() => void> = [];
      await context.route('**/api/auth/refresh', async (route) => {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length === 2) held.forEach((go) => go());
        });
        await route.continue();
      });
      const refreshes = [page, other].map((p) => p.waitForResponse((r) => r.url().endsWith('/api/auth/refresh')));
      await Promise.all([page.reload(), other.reload()]);
      const [a, b] = await Promise.all(refreshes);
      expect(await a.request().headerValue('cookie')).to.equal(await b.request().headerValue('cookie'));
      expect([a.status(), b.status()]).to.deep.equal([200, 200]);
      await context.unroute('**/api/auth/refresh');
      for (const p of [page, other]) await p.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'ออกจากระบบ' }).waitFor();
      expect(new URL(page.url()).pathname).to.equal('/');
    } finally {
      await context.close();
    }
  });

  it('sends a user whose sessions were ended elsewhere back to sign-in, saying why', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'officer');
      const { request, tokenOf } = apiOf(h.baseUrl);
      const ended = await request(await tokenOf('officer'), 'POST', '/auth/logout', { everywhere: true });
      expect(ended.status).to.equal(204);
      await page.reload();
      await page.waitForURL('**/login');
      await page.getByTestId('session-ended').getByText('เซสชันหมดอายุ กรุณาเข้าสู่ระบบอีกครั้ง').waitFor();
    });
  });

  it('can be used from the keyboard: sign in with Tab and Enter, skip to the content', async () => {
    await h.withPage(async (page) => {
      await page.goto('/login');
      await page.locator('input[name=username]:focus').waitFor(); // the form opens with the focus on the username
      await page.keyboard.type('clerk');
      await page.keyboard.press('Tab');
      await page.keyboard.type('saraban-demo');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /สวัสดี/ }).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.locator(':focus').textContent()).to.equal('ข้ามไปยังเนื้อหา');
      await page.keyboard.press('Enter');
      expect(page.url()).to.match(/#main$/);
    });
  });

  it('is usable on a phone: the menu folds behind a button and opens the pages', async () => {
    await h.withPage(
      async (page) => {
        await signIn(page, 'admin');
        await screenshot(page, '27-phone-home');
        await page.getByRole('button', { name: 'เมนู' }).click();
        await page.getByRole('link', { name: 'ผู้ใช้', exact: true }).click();
        await page.getByRole('heading', { name: 'ผู้ใช้' }).waitFor();
        // The menu slides away after the choice, and the page never scrolls sideways (wide tables scroll in place).
        const navbar = page.locator('.mantine-AppShell-navbar');
        for (let i = 0; i < 50; i++) {
          const box = await navbar.boundingBox();
          if (!box || box.x + box.width <= 0) break;
          await page.waitForTimeout(100);
        }
        const box = await navbar.boundingBox();
        expect(box ? box.x + box.width : 0).to.be.at.most(0);
        await page.getByRole('cell', { name: 'director', exact: true }).waitFor();
        expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).to.be.at.most(0);
        await screenshot(page, '28-phone-users');
      },
      { viewport: { width: 390, height: 844 }, isMobile: true },
    );
  });
});
