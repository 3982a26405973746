// Reads a multi-document YAML stream (the output of `kubectl kustomize`) on stdin and checks
// every document against the JSON schema of its apiVersion/kind, as published in the Kubernetes
// OpenAPI document and packaged by kubernetes-models. Types, required fields, enums and formats
// are checked; unknown fields are not (the schemas allow additional properties).
// Prints one line per problem and exits 1 if there is any.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

const problems = [];
let checked = 0;
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const manifest = doc.toJS();
  if (manifest === null || manifest === undefined) {
    continue;
  }
  const { apiVersion, kind } = manifest;
  const name = `${kind}/${manifest.metadata?.namespace ?? ""}/${manifest.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problems.push(`${name}: no apiVersion or kind`);
    continue;
  }
  // "v1" is the core group; "apps/v1" is group "apps", version "v1".
  const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
  let model;
  try {
    model = (await import(modulePath))[kind];
  } catch {
    model = undefined;
  }
  if (typeof model !== "function") {
    problems.push(`${name}: no schema for ${apiVersion} ${kind}`);
    continue;
  }
  try {
    new model(manifest).validate();
    checked++;
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}

for (const problem of problems) {
  console.log(problem);
}
console.log(`schema-check: ${checked} valid, ${problems.length} invalid`);
process.exit(problems.length === 0 ? 0 : 1);
