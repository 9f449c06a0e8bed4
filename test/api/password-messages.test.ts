// A password too short is refused in Thai next to its field (issue 17: the admin saw a raw English
// message), on adding a user and on changing one's own password.
import { expect } from 'chai';
import { api, login, orgByCode } from '../helpers/factories';

describe('password length messages', () => {
  it('says in Thai that a password needs at least 10 characters, naming the field', async () => {
    const [admin, clerk] = await Promise.all([login('admin'), login('clerk')]);
    const central = await orgByCode('สธ 02');
    const added = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({ username: 'shortpw', password: 'short', firstNameTh: 'สั้น', lastNameTh: 'เกินไป' });
    expect(added.status).to.equal(400);
    const onField = added.body.error.details.find((d: { path?: string; field?: string }) => (d.path ?? d.field) === 'password');
    expect(onField.message).to.equal('รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร');
    const changed = await api().post('/api/auth/password').set(clerk.auth).send({ currentPassword: 'saraban-demo', newPassword: 'short' });
    expect(changed.status).to.equal(400);
    expect(JSON.stringify(changed.body.error.details)).to.include('รหัสผ่านใหม่ต้องมีอย่างน้อย 10 ตัวอักษร');
  });
});
