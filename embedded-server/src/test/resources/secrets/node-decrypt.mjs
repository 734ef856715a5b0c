// Decrypts envelopes the way the original's encryption.ts does; used by the Java test to check
// that blobs written by SecretBox open in Node. Input on stdin: {"keys":{kid:b64}, "envelopes":[...]};
// output: {"plaintexts":[...]} (a failed one is {"error": message}).
import { createDecipheriv } from "node:crypto";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { keys, envelopes } = JSON.parse(input);

function decrypt(envelope) {
  if (!envelope.startsWith("v1:")) throw new Error("Invalid envelope: expected 'v1:' prefix");
  const rest = envelope.slice(3);
  const sep = rest.indexOf(":");
  if (sep === -1) throw new Error("Invalid v1 envelope: missing kid separator");
  const kid = rest.slice(0, sep);
  const key = keys[kid];
  if (!key) throw new Error(`No encryption key registered for kid '${kid}'`);
  const packed = Buffer.from(rest.slice(sep + 1), "base64");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key, "base64"), packed.subarray(0, 12));
  decipher.setAuthTag(packed.subarray(12, 28));
  return Buffer.concat([decipher.update(packed.subarray(28)), decipher.final()]).toString("utf8");
}

const plaintexts = envelopes.map((e) => {
  try {
    return decrypt(e);
  } catch (err) {
    return { error: err.message };
  }
});
process.stdout.write(JSON.stringify({ plaintexts }));
