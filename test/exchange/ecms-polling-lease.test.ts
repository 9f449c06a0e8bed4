// One process at a time reads a node's queue: the poll round leases the directory entry
// (exchange_peers.pollLockedUntil), as the outbox leases its rows, and lets go afterwards; a lease
// held elsewhere (another server process) keeps this one away until it ends.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ExchangePeer } from '../../server/db/models';
import { pollNodes } from '../../server/modules/exchange/ecms-polling';
import type { EcmsSettings } from '../../server/modules/exchange/ecms/config';
import { getExchangeIdentity } from '../../server/modules/exchange/identity';
import { testEnv } from '../helpers/env';
import { makeParty, tmpDir } from './ecms-helpers';
import { startPeerServer } from './ecms-peer';

describe('ECMS polling lease', function () {
  this.timeout(60_000);
  let nodeServer: Awaited<ReturnType<typeof startPeerServer>>;
  let entry: ExchangePeer;
  const settings = { organisationId: '19002', pollBatch: 5, pollMs: 60_000 } as EcmsSettings;
  const asks = () => nodeServer.received.filter((r) => r.operation === 'CorrespondenceLetterInboundRequest').length;
  const poll = () => pollNodes(testEnv().ctx, settings, () => {});

  before(async () => {
    const node = makeParty('19001');
    const ourCert = path.join(tmpDir, 'lease-our.crt');
    fs.writeFileSync(ourCert, (await getExchangeIdentity()).certificatePem);
    nodeServer = await startPeerServer(node, ourCert);
    entry = await ExchangePeer.create({ nameTh: 'ตัวกลางทดสอบสัญญาเช่า', agencyCode: `ทส lease ${Date.now()}`, transport: 'ecms', ecmsOrganisationId: node.ecmsOrganisationId, endpointUrl: nodeServer.url, certificatePem: node.certificatePem, ecmsMode: 'poll' });
  });
  after(async () => {
    await entry?.destroy();
    await nodeServer?.close();
  });

  it('stays away from a node another process is polling, and polls it once the lease is free', async () => {
    await entry.update({ pollLockedUntil: new Date(Date.now() + 60_000) });
    expect(await poll()).to.equal(0);
    expect(asks(), 'not asked while leased elsewhere').to.equal(0);
    await entry.update({ pollLockedUntil: new Date(Date.now() - 1000) }); // that process died: its lease ran out
    await poll();
    expect(asks()).to.equal(1);
    expect((await entry.reload()).pollLockedUntil, 'let go after the round').to.equal(null);
    expect(nodeServer.refused, 'xmlsec1 verified our request').to.have.length(0);
  });
});
