// Times findOne by _id, findOne by an indexed field and updateOne by _id on a collection of N documents
// (FINDINGS.md k7). Usage: MONGODB_URI=... node tools/ferretdb/probe/lookups.mjs [N]
import { MongoClient } from 'mongodb';

const n = Number(process.argv[2] ?? 50_000);
const client = await new MongoClient(process.env.MONGODB_URI).connect();
const db = client.db('probe_lookups');
await db.dropDatabase();
const c = db.collection('docs');
await c.createIndex({ email: 1 }, { unique: true });
for (let i = 0; i < n; i += 10_000) {
  const docs = [];
  for (let j = i; j < Math.min(n, i + 10_000); j++) docs.push({ _id: `d${j}`, email: `u${j}@x.com`, site: 's', v: 0 });
  await c.insertMany(docs, { ordered: false });
}
const time = async (label, op) => {
  const runs = 200;
  const ms = [];
  for (let k = 0; k < runs; k++) {
    const j = Math.floor(Math.random() * n);
    const t = performance.now();
    await op(j);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[runs / 2].toFixed(2)} ms, p90 ${ms[Math.floor(runs * 0.9)].toFixed(2)} ms`);
};
await time('findOne by _id', (j) => c.findOne({ _id: `d${j}` }));
await time('findOne by indexed email', (j) => c.findOne({ email: `u${j}@x.com` }));
await time('updateOne by _id', (j) => c.updateOne({ _id: `d${j}` }, { $inc: { v: 1 } }));
await db.dropDatabase();
await client.close();
