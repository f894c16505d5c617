/**
 * The public surface of the two entry points (`sw-http-cache` and `sw-http-cache/sw`), pinned:
 * an API report (every export with its declared type, public class members included) is
 * generated with the TypeScript compiler and compared to the checked-in `api/*.api.txt`, and the
 * modules' runtime exports must be the value exports of that report. Changing the surface on
 * purpose: `UPDATE_API_REPORT=1 npx vitest run src/public-api.test.ts`, then review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = {
  client: { source: 'src/client/index.ts', load: () => import('./client/index.ts') },
  sw: { source: 'src/sw/index.ts', load: () => import('./sw/index.ts') },
} as const;

/** Classes and modules a user never touches: none may show in a public signature. */
const INTERNAL = [
  'MemoryStorage',
  'IdbStorage',
  'CompositionStorage',
  'QuotaRetryStorage',
  'AnnouncingStorage',
  'LruEvictionManager',
  'CacheRuntime',
  'LockTable',
  'FetchFlow',
  'FlowDeps',
  'RequestStats',
  'HttpCache',
  'ResolvedOptions',
];

interface Report {
  readonly text: string;
  readonly values: string[];
}

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.json`,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const roots = Object.values(ENTRIES).map((entry) => `${ROOT}${entry.source}`);
  return ts.createProgram(roots, { ...config.options, noEmit: true });
}

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;

function isPublic(member: ts.Symbol): boolean {
  if (member.escapedName.toString().startsWith('__#')) return false; // an ES #private field
  const modifiers = ts.getCombinedModifierFlags(
    member.valueDeclaration ?? member.declarations![0]!,
  );
  return (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

function describeSymbol(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string[] {
  const name = symbol.getName();
  const members = (type: ts.Type): string[] =>
    checker
      .getPropertiesOfType(type)
      .filter(isPublic)
      .map(
        (member) =>
          `  ${member.getName()}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, at), undefined, FORMAT)}`,
      )
      .sort();
  if (symbol.flags & ts.SymbolFlags.Class) {
    const constructors = checker
      .getTypeOfSymbolAtLocation(symbol, at)
      .getConstructSignatures()
      .map((signature) => `  new ${checker.signatureToString(signature, undefined, FORMAT)}`);
    return [`class ${name}`, ...constructors, ...members(checker.getDeclaredTypeOfSymbol(symbol))];
  }
  if (symbol.flags & ts.SymbolFlags.Interface) {
    return [`interface ${name}`, ...members(checker.getDeclaredTypeOfSymbol(symbol))];
  }
  if (symbol.flags & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    return [
      `type ${name} = ${checker.typeToString(type, undefined, FORMAT | ts.TypeFormatFlags.InTypeAlias)}`,
    ];
  }
  const type = checker.getTypeOfSymbolAtLocation(symbol, at);
  return [`${name}: ${checker.typeToString(type, undefined, FORMAT)}`];
}

function reports(): Record<keyof typeof ENTRIES, Report> {
  const built = program();
  const checker = built.getTypeChecker();
  const result = {} as Record<keyof typeof ENTRIES, Report>;
  for (const [entry, { source }] of Object.entries(ENTRIES)) {
    const file = built.getSourceFile(`${ROOT}${source}`);
    const module = file && checker.getSymbolAtLocation(file);
    if (!file || !module) throw new Error(`${source} was not compiled`);
    const lines: string[] = [];
    const values: string[] = [];
    const exported = checker.getExportsOfModule(module);
    for (const alias of exported.sort((a, b) => a.getName().localeCompare(b.getName()))) {
      const symbol = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
      if (symbol.flags & ts.SymbolFlags.Value) values.push(alias.getName());
      lines.push(...describeSymbol(checker, symbol, file));
    }
    result[entry as keyof typeof ENTRIES] = { text: `${lines.join('\n')}\n`, values };
  }
  return result;
}

describe('public API', { timeout: 60_000 }, () => {
  const generated = reports();

  it.each(Object.keys(ENTRIES) as (keyof typeof ENTRIES)[])(
    '%s: matches the checked-in API report (api/)',
    (entry) => {
      const path = `${ROOT}api/${entry}.api.txt`;
      if (process.env['UPDATE_API_REPORT'] === '1') writeFileSync(path, generated[entry].text);
      expect(generated[entry].text).toBe(readFileSync(path, 'utf8'));
    },
  );

  it.each(Object.keys(ENTRIES) as (keyof typeof ENTRIES)[])(
    '%s: no internal class shows in a public signature',
    (entry) => {
      const mentioned = INTERNAL.filter((name) =>
        new RegExp(`\\b${name}\\b`).test(generated[entry].text),
      );
      expect(mentioned).toEqual([]);
    },
  );

  it.each(Object.keys(ENTRIES) as (keyof typeof ENTRIES)[])(
    '%s: the module exports at run time exactly the values of the report',
    async (entry) => {
      // workbox-core touches `self` when it loads; a worker has one, Node does not.
      vi.stubGlobal('self', globalThis);
      const module = await ENTRIES[entry].load();
      vi.unstubAllGlobals();
      expect(Object.keys(module).sort()).toEqual([...generated[entry].values].sort());
      expect(generated[entry].values.length).toBeGreaterThan(0);
    },
  );
});
