// Reads a multi-document YAML stream (the output of `kubectl kustomize`) on stdin and checks
// every document against the JSON schema of its apiVersion/kind, as published in the Kubernetes
// OpenAPI document and packaged by kubernetes-models; the prometheus-operator's kinds
// (PrometheusRule) as packaged by @kubernetes-models/prometheus-operator; and a custom resource
// whose CustomResourceDefinition is in the same stream against that definition's schema.
// Types, required fields, enums and formats are checked; unknown fields are not (the schemas
// allow additional properties).
// Prints one line per problem and exits 1 if there is any.
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

const problems = [];
const manifests = [];
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const manifest = doc.toJS();
  if (manifest !== null && manifest !== undefined) {
    manifests.push(manifest);
  }
}

// The structural schemas of the CustomResourceDefinitions in the stream, by "group/version kind".
// Their Kubernetes-only keywords (x-kubernetes-*) say nothing a JSON schema validator checks.
const ajv = new Ajv({ allErrors: true, strict: false });
const customSchemas = new Map();
for (const crd of manifests.filter((m) => m.apiVersion === "apiextensions.k8s.io/v1" && m.kind === "CustomResourceDefinition")) {
  for (const version of crd.spec?.versions ?? []) {
    const schema = version.schema?.openAPIV3Schema;
    if (schema !== undefined) {
      customSchemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names?.kind}`, ajv.compile(schema));
    }
  }
}

async function modelOf(apiVersion, kind) {
  for (const modulePath of [`kubernetes-models/${apiVersion}/${kind}`, `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`]) {
    try {
      const model = (await import(modulePath))[kind];
      if (typeof model === "function") {
        return model;
      }
    } catch {
      // not in this package
    }
  }
  return undefined;
}

let checked = 0;
for (const manifest of manifests) {
  const { apiVersion, kind } = manifest;
  const name = `${kind}/${manifest.metadata?.namespace ?? ""}/${manifest.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problems.push(`${name}: no apiVersion or kind`);
    continue;
  }
  // "v1" is the core group; "apps/v1" is group "apps", version "v1".
  const model = await modelOf(apiVersion, kind);
  const custom = customSchemas.get(`${apiVersion} ${kind}`);
  if (model === undefined && custom !== undefined) {
    if (custom(manifest)) {
      checked++;
    } else {
      problems.push(`${name}: ${ajv.errorsText(custom.errors)}`);
    }
    continue;
  }
  if (model === undefined) {
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
