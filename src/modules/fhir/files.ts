// What `manbing import fhir --in` reads: a bundle (.json), an NDJSON file of resources (.ndjson, one resource a
// line, as FHIR Bulk Data writes them), or a directory of both — each .json a bundle of its own, all the .ndjson
// files together one set of resources (a bulk export's files refer to each other across resource types). A file
// is read when the import comes to it, so a directory of many bundles holds one in memory at a time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BundleInput } from './import';

function jsonFile(file: string): BundleInput {
  return {
    source: basename(file),
    load: () => {
      try {
        return { input: JSON.parse(readFileSync(file, 'utf8')) };
      } catch (e) {
        return { unreadable: `not JSON: ${(e as Error).message}` };
      }
    },
  };
}

function ndjsonFiles(files: string[]): BundleInput {
  const load = () => {
    const resources: unknown[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const [i, line] of lines.entries()) {
        if (!line.trim()) continue;
        try {
          resources.push(JSON.parse(line));
        } catch (e) {
          return { unreadable: `${basename(file)} line ${i + 1}: not JSON: ${(e as Error).message}` };
        }
      }
    }
    return { input: resources };
  };
  return { source: files.map((f) => basename(f)).join(', '), load };
}

export function readFhirInputs(path: string): BundleInput[] {
  if (!statSync(path).isDirectory()) return [/\.ndjson$/i.test(path) ? ndjsonFiles([path]) : jsonFile(path)];
  const names = readdirSync(path).sort();
  const bundles = names.filter((n) => /\.json$/i.test(n)).map((n) => jsonFile(join(path, n)));
  const ndjson = names.filter((n) => /\.ndjson$/i.test(n)).map((n) => join(path, n));
  return ndjson.length ? [...bundles, ndjsonFiles(ndjson)] : bundles;
}
