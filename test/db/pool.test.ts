// The connection pool: sized for the machine's processes, and a request that cannot get a
// connection in time is told the server is busy (503, Retry-After), never a 500.
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { ConnectionAcquireTimeoutError } from 'sequelize';
import { errorHandler } from '../../server/lib/errors';
import { loadConfig } from '../../server/config';

function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('database connection pool', () => {
  it('keeps the processes of one machine under MariaDB\'s 151 connections by default, and takes DB_POOL_MAX and DB_POOL_ACQUIRE_MS as given', () => {
    const pool = (env: Record<string, string | undefined>) => withEnv({ DB_POOL_MAX: undefined, DB_POOL_ACQUIRE_MS: undefined, ...env }, () => loadConfig().dbPool);
    expect(pool({ SERVER_PROCESSES: '1' })).to.deep.equal({ max: 20, acquireMs: 30000 });
    expect(pool({ SERVER_PROCESSES: '8' }).max * 8).to.be.at.most(120);
    expect(pool({ SERVER_PROCESSES: '16' }).max * 16).to.be.at.most(120);
    expect(pool({ SERVER_PROCESSES: '4', DB_POOL_MAX: '40', DB_POOL_ACQUIRE_MS: '5000' })).to.deep.equal({ max: 40, acquireMs: 5000 });
  });

  it('answers 503 busy with Retry-After when no connection came free in time', async () => {
    const app = express();
    app.get('/x', () => {
      throw new ConnectionAcquireTimeoutError(new Error('Operation timeout'));
    });
    app.use(errorHandler);
    const res = await request(app).get('/x');
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('5');
    expect(res.body.error.code).to.equal('busy');
  });
});
