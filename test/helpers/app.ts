// An app on its own fresh database with a movable clock, and a way to sign in as a demo user.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/core/context';
import { buildApp } from '../../src/server/app';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { PolicyBook } from '../../src/core/policyBook';
import { testDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  clock: { now: Date };
  /** Signs in and returns the Cookie header value to send. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function testApp(): Promise<TestApp> {
  const database = await testDatabase();
  const clock = { now: new Date('2026-06-15T02:00:00Z') };
  const ctx: AppContext = { db: database.db, config: loadConfig({}), now: () => clock.now, policies: PolicyBook.load() };
  const app = await buildApp(ctx);
  return {
    app,
    ctx,
    database,
    clock,
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'manbing_session');
      return `manbing_session=${cookie!.value}`;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
