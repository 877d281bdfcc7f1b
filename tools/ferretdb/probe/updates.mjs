// Times updateOne by _id on job items shaped like ours (one job, indexes {job, state, seq} and {job, seq}), with
// and without a second equality on an indexed field, at N documents (FINDINGS.md k9).
// Usage: MONGODB_URI=... node tools/ferretdb/probe/updates.mjs [N]
import { MongoClient } from 'mongodb';

const n = Number(process.argv[2] ?? 50_000);
const client = await new MongoClient(process.env.MONGODB_URI).connect();
const db = client.db('probe_updates');
await db.dropDatabase();
const c = db.collection('items');
await c.createIndex({ job: 1, state: 1, seq: 1 });
await c.createIndex({ job: 1, seq: 1 });
for (let i = 0; i < n; i += 10_000) {
  const docs = [];
  for (let j = i; j < Math.min(n, i + 10_000); j++) docs.push({ _id: `j/${j}`, job: 'j', seq: j, state: 'pending' });
  await c.insertMany(docs, { ordered: false });
}
const results = db.collection('results');
await results.createIndex({ job: 1, seq: 1 });
let next = 0;
const time = async (label, op) => {
  const runs = 200;
  const ms = [];
  for (let k = 0; k < runs; k++) {
    const j = next++;
    const t = performance.now();
    await op(j);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`N=${n} ${label}: median ${ms[runs / 2].toFixed(2)} ms, p90 ${ms[Math.floor(runs * 0.9)].toFixed(2)} ms`);
};
await time('updateOne {_id, state}', (j) =>
  c.updateOne({ _id: `j/${j}`, state: 'pending' }, { $set: { state: 'succeeded' } }),
);
await time('updateOne {_id}', (j) => c.updateOne({ _id: `j/${j}` }, { $set: { state: 'succeeded' } }));
await time('insertOne result', (j) => results.insertOne({ _id: `j/${j}`, job: 'j', seq: j, state: 'succeeded' }));
await db.dropDatabase();
await client.close();
