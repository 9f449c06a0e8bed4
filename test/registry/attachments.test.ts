import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { api } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { Blob } from '../../server/db/models';
import { as, outgoingLetter } from './helpers';

// A minimal real PDF and PNG: their magic bytes decide the type, not the file name.
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d4e4a40000000049454e44ae426082', 'hex');

describe('attachments', () => {
  let documentId: number;
  let dataDir: string;
  let savedDir: string;
  let savedMax: number;
  before(async () => {
    const { config } = testEnv().ctx;
    savedDir = config.dataDir;
    savedMax = config.attachmentMaxBytes;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-files-'));
    config.dataDir = dataDir;
    documentId = (await api().post('/api/documents').set((await as('clerk')).auth).send(outgoingLetter({ secrecy: 'confidential', subject: 'ส่งเอกสารแนบลับ' }))).body.id;
  });
  after(() => {
    const { config } = testEnv().ctx;
    config.dataDir = savedDir;
    config.attachmentMaxBytes = savedMax;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the main letter and enclosures once per SHA-256, typed by content', async () => {
    const s = (await as('clerk')).auth;
    const res = await api().post(`/api/documents/${documentId}/attachments`).set(s)
      .field('role', 'main').attach('file', pdf, 'หนังสือ.pdf')
      .field('role', 'enclosure').attach('file', png, { filename: 'scan.pdf', contentType: 'application/pdf' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.items.map((a: { role: string; mime: string }) => [a.role, a.mime])).to.deep.equal([['main', 'application/pdf'], ['enclosure', 'image/png']]);
    const again = await api().post(`/api/documents/${documentId}/attachments`).set(s).attach('file', pdf, 'copy.pdf');
    expect(again.status).to.equal(201);
    expect(again.body.items[0].sha256).to.equal(res.body.items[0].sha256);
    expect(await Blob.count({ where: { sha256: res.body.items[0].sha256 } })).to.equal(1);
    const sha = res.body.items[0].sha256 as string;
    expect(fs.readdirSync(path.join(dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4)))).to.deep.equal([sha]);

    const download = await api().get(`/api/attachments/${res.body.items[0].id}/content`).set(s).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(download.status).to.equal(200);
    expect(download.headers['content-type']).to.equal('application/pdf');
    expect(Buffer.compare(download.body as Buffer, pdf)).to.equal(0);
  });

  it('refuses a file whose content is not a PDF, image or office file, whatever its name (415)', async () => {
    const res = await api().post(`/api/documents/${documentId}/attachments`).set((await as('clerk')).auth).attach('file', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'letter.pdf');
    expect(res.status).to.equal(415);
    expect(res.body.error.message).to.contain('letter.pdf');
  });

  it('answers a file over the size limit with 413 and stores nothing', async () => {
    testEnv().ctx.config.attachmentMaxBytes = 1024;
    try {
      const before = await Blob.count();
      const big = Buffer.concat([pdf, Buffer.alloc(4096, 32)]);
      const res = await api().post(`/api/documents/${documentId}/attachments`).set((await as('clerk')).auth).attach('file', big, 'big.pdf');
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('payload_too_large');
      expect(await Blob.count()).to.equal(before);
      expect(fs.readdirSync(path.join(dataDir, 'tmp'))).to.deep.equal([]);
    } finally {
      testEnv().ctx.config.attachmentMaxBytes = 50 * 1024 * 1024;
    }
  });

  it('answers a body that ends inside a file with 400 and keeps no temporary file (it used to end the process)', async () => {
    const cut = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4';
    const res = await api().post(`/api/documents/${documentId}/attachments`).set((await as('clerk')).auth)
      .set('content-type', 'multipart/form-data; boundary=b').send(cut);
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.error).to.include({ code: 'bad_request' });
    expect(res.body.error.message).to.contain('Unexpected end of form');
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).to.deep.equal([]);
    // A whole file before the cut is not kept either.
    const afterOne = `--b\r\nContent-Disposition: form-data; name="file"; filename="one.pdf"\r\n\r\n${pdf.toString('latin1')}\r\n${cut}`;
    const before = await Blob.count();
    const second = await api().post(`/api/documents/${documentId}/attachments`).set((await as('clerk')).auth)
      .set('content-type', 'multipart/form-data; boundary=b').send(afterOne);
    expect(second.status, JSON.stringify(second.body)).to.equal(400);
    expect(await Blob.count()).to.equal(before);
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).to.deep.equal([]);
  });

  it('lets only those who may read the document read its files', async () => {
    const list = await api().get(`/api/documents/${documentId}/attachments`).set((await as('clerk')).auth);
    const id = list.body.items[0].id;
    for (const user of ['officer', 'cm.clerk']) {
      expect((await api().get(`/api/attachments/${id}/content`).set((await as(user)).auth)).status, user).to.equal(404);
      expect((await api().get(`/api/documents/${documentId}/attachments`).set((await as(user)).auth)).status, user).to.equal(404);
    }
  });

  it('is described in /api/openapi.json as a multipart/form-data upload with its role and file fields', async () => {
    const doc = (await api().get('/api/openapi.json')).body;
    const upload = doc.paths['/documents/{id}/attachments'].post;
    expect(upload.requestBody.content).to.have.keys('multipart/form-data');
    const ref = upload.requestBody.content['multipart/form-data'].schema.$ref as string;
    const form = doc.components.schemas[ref.split('/').pop()!];
    expect(form.properties.role.enum).to.deep.equal(['main', 'enclosure']);
    expect(form.properties.file.items).to.include({ type: 'string', format: 'binary' });
    expect(form.required).to.deep.equal(['file']);
  });
});
