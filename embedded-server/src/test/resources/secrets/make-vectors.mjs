// Generates node-vectors.json: envelopes written the way the original's
// packages/connect/src/encryption.ts writes them (Node crypto, aes-256-gcm,
// v1:<kid>:<base64(iv|authTag|ciphertext)>). Run once; the output is committed as test data:
//   node make-vectors.mjs > node-vectors.json
import { createCipheriv, randomBytes } from "node:crypto";

const keys = { k1: randomBytes(32).toString("base64"), k2: randomBytes(32).toString("base64") };

function encrypt(kid, plaintext) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(keys[kid], "base64"), iv);
  const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const authTag = cipher.getAuthTag();
  return `v1:${kid}:${Buffer.concat([iv, authTag, encrypted]).toString("base64")}`;
}

const plaintexts = [
  ["k1", ""],
  ["k1", "sk-live-0123456789abcdef"],
  ["k1", JSON.stringify({ v: 2, outputs: { api_key: "acme_test_9f8e7d6c5b4a" } })],
  ["k2", JSON.stringify({ kind: "api_key", apiKey: "sk-ant-api03-exampleexampleexample" })],
  ["k2", "unicode: héllo wörld ✓ 日本語 🔑"],
  ["k2", "x".repeat(5000)],
];

const vectors = plaintexts.map(([kid, plaintext]) => ({ kid, plaintext, envelope: encrypt(kid, plaintext) }));
process.stdout.write(JSON.stringify({
  generator: "node " + process.version + " crypto aes-256-gcm (make-vectors.mjs)",
  keys,
  vectors,
}, null, 2) + "\n");
