// A fleet of real Node processes sharing one SESSION_KEYS, behind a round-robin client (this
// test). Nothing is shared between the processes but the keys, so a session written by one is
// read by any other, and a key rotation rolled out one process at a time (stage, promote,
// retire) logs no one out while clients keep reading and writing throughout.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyEntry } from '../helpers/keys.js';
import { FleetClient, jarKeyId } from './fleet-client.js';
import { type FleetNode, startNode, stopAllNodes } from './fleet-node.js';

const NODES = 3;
const CLIENTS = 8;
// A safety bound: clients stop at the end of the rotation long before this.
const MAX_REQUESTS_PER_CLIENT = 4_000;
// Requests every client must complete after each restart before the next one begins, so each
// fleet configuration in the rollout really serves every client.
const STEPS_PER_RESTART = 3;
const PROGRESS_TIMEOUT_MS = 10_000;

const OLD = keyEntry('old', 'fleet old key');
const NEW = keyEntry('new', 'fleet new key');
const STAGES = [
  { stage: 'stage', keys: `${OLD},${NEW}` },
  { stage: 'promote', keys: `${NEW},${OLD}` },
  { stage: 'retire', keys: NEW },
] as const;

/** The live members, in round-robin order; a node being restarted is out of it. */
const pool: FleetNode[] = [];
let turn = 0;
/** Every process started, for its stderr: a server that logged an error failed a request. */
const started: FleetNode[] = [];

function nextNode(): FleetNode {
  const node = pool[turn++ % pool.length];
  if (!node) throw new Error('no fleet node is running');
  return node;
}

beforeAll(async () => {
  pool.push(
    ...(await Promise.all(Array.from({ length: NODES }, (_, i) => startNode(`node${i}`, OLD)))),
  );
  started.push(...pool);
});

afterAll(async () => {
  await stopAllNodes();
});

describe('a fleet of processes sharing SESSION_KEYS', () => {
  it('reads on every process a session written by any one of them', async () => {
    const client = new FleetClient('writer');
    for (const writer of pool) {
      const value = `written by ${writer.name}`;
      const wrote = await client.send(writer, 'POST', `/set?value=${encodeURIComponent(value)}`);
      expect(wrote.status).toBe(200);
      expect(wrote.answer.node).toBe(writer.name);
      expect(wrote.setCookies.length).toBeGreaterThan(0);
      for (const reader of pool.filter((node) => node !== writer)) {
        const read = await client.send(reader, 'GET', '/read');
        expect(read.answer).toMatchObject({
          node: reader.name,
          isNew: false,
          rejection: null,
          loadedKey: 'old',
          data: { value },
        });
        // Nothing changed: the reader sends no cookie back.
        expect(read.setCookies).toEqual([]);
      }
    }
    // The processes really are distinct: one pid and one port each.
    expect(new Set(pool.map((node) => node.child.pid)).size).toBe(NODES);
    expect(new Set(pool.map((node) => node.url)).size).toBe(NODES);
  });

  it('rotates keys process by process (stage, promote, retire) without losing a session', async () => {
    const clients = Array.from({ length: CLIENTS }, (_, i) => new FleetClient(`client${i}`));
    let running = true;
    const loops = clients.map(async (client) => {
      while (running && client.requests < MAX_REQUESTS_PER_CLIENT) {
        await client.step(nextNode());
        // A short pause, so eight clients leave the restarting processes some CPU.
        await delay(2);
      }
    });

    // Every client has completed `steps` more requests than when this was called.
    async function progress(steps: number): Promise<void> {
      const start = clients.map((client) => client.requests);
      const deadline = Date.now() + PROGRESS_TIMEOUT_MS;
      while (clients.some((client, i) => client.requests < (start[i] ?? 0) + steps)) {
        if (Date.now() > deadline) throw new Error('clients stopped making progress');
        await delay(10);
      }
    }

    // Out of the pool, let its requests finish, stop it, start its successor, back in.
    async function restart(index: number, keys: string): Promise<void> {
      const old = pool[index] as FleetNode;
      pool.splice(index, 1);
      await old.drained();
      await old.stop();
      const fresh = await startNode(old.name, keys);
      started.push(fresh);
      pool.splice(index, 0, fresh);
      await progress(STEPS_PER_RESTART);
    }

    const reached: Record<string, (string | undefined)[]> = {};
    try {
      await progress(STEPS_PER_RESTART);
      for (const { stage, keys } of STAGES) {
        for (let i = 0; i < NODES; i++) await restart(i, keys);
        // Every client kept visiting after the last restart of this stage.
        await progress(STEPS_PER_RESTART);
        reached[stage] = clients.map((client) => jarKeyId(client.jar));
      }
    } finally {
      running = false;
      await Promise.all(loops);
    }

    expect(clients.flatMap((client) => client.problems)).toEqual([]);
    expect(started.map((node) => node.stderr()).filter((text) => text !== '')).toEqual([]);
    // Between promote and retire, every client had been re-sealed under the new key by its
    // own visits: retiring the old key could log no one out.
    expect(reached.stage).toEqual(clients.map(() => 'old'));
    expect(reached.promote).toEqual(clients.map(() => 'new'));
    expect(reached.retire).toEqual(clients.map(() => 'new'));
    // Some of those re-seals came from plain reads: a visit that changes nothing still moves
    // the cookie to the sealing key.
    expect(clients.reduce((sum, client) => sum + client.reseals, 0)).toBeGreaterThan(0);

    // At the end, each client's session is whole on every process, and sealed with the new key.
    for (const client of clients) {
      expect(client.count).toBeGreaterThan(STEPS_PER_RESTART * NODES);
      for (const node of [...pool]) {
        const read = await client.send(node, 'GET', '/read');
        expect(read.answer).toMatchObject({
          isNew: false,
          rejection: null,
          loadedKey: 'new',
          sealingKey: 'new',
          data: { count: client.count },
        });
      }
      expect(jarKeyId(client.jar)).toBe('new');
    }
  }, 60_000);
});
