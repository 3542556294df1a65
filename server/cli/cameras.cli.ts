/**
 * `npm run cameras -- import <file> [--dry-run]` and `npm run cameras -- export <file> [--lang en]`:
 * the registry's import and export for administrators and scripts, on the configured database.
 * Exit codes: 0 done, 1 the file had invalid rows (nothing written), 2 bad arguments or unusable file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, describeDatabase, loadConfig } from '../../config/index.js';
import { createContext } from '../context.js';
import { createLogger } from '../logger.js';
import { UnprocessableFileError } from '../services/errors.js';
import { cliActor } from '../services/access/audit-trail.js';
import type { ImportReport } from '../services/registry/import.service.js';

const USAGE = `usage:
  npm run cameras -- import <file.xlsx|file.csv> [--dry-run]
  npm run cameras -- export <file.xlsx|file.csv> [--lang zh|en]`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
  const [command, file] = args.positionals;
  if (args.values.help) return void process.stdout.write(USAGE + '\n'), 0;
  if (!['import', 'export'].includes(command ?? '') || !file || args.positionals.length > 2) return fail(USAGE);
  const format = path.extname(file).slice(1).toLowerCase();
  if (command === 'export' && format !== 'xlsx' && format !== 'csv') return fail(`export file must end in .xlsx or .csv: ${file}`);
  const lang = args.values.lang ?? 'zh';
  if (lang !== 'zh' && lang !== 'en') return fail('--lang must be zh or en');

  const config = loadConfig();
  const ctx = await createContext(config, createLogger('warn', (line) => process.stderr.write(line + '\n')));
  process.stderr.write(`database: ${describeDatabase(config)}\n`);
  try {
    if (command === 'export') {
      const out = await ctx.exporter.exportFile(format as 'xlsx' | 'csv', { lang, filter: {}, now: new Date(), tz: config.tzDisplay });
      writeFileSync(file, out.data);
      process.stdout.write(`exported ${out.rows} cameras to ${file}\n`);
      return 0;
    }
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (err) {
      return fail(`cannot read ${file}: ${(err as Error).message}`);
    }
    const report = await ctx.writes.importFile(data, { dryRun: args.values['dry-run'] === true, filename: path.basename(file), scope: undefined }, cliActor());
    printReport(report);
    return report.invalid.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UnprocessableFileError) return fail(`${file}: ${err.message}`);
    throw err;
  } finally {
    await ctx.db.close();
  }
}

function printReport(report: ImportReport): void {
  const verb = report.dryRun ? 'would' : report.committed ? 'did' : 'did NOT (the file has invalid rows, nothing was written)';
  process.stdout.write(`${report.rows} rows (${report.format}${report.encoding ? `, ${report.encoding}` : ''}): ${verb} create ${report.create}, update ${report.update}; ${report.unchanged} unchanged\n`);
  for (const p of report.invalid) process.stdout.write(`  row ${p.row}, ${p.column}: ${p.reason}\n`);
  if (report.ignoredColumns.length > 0) process.stdout.write(`  ignored columns: ${report.ignoredColumns.join(', ')}\n`);
}

function fail(message: string): number {
  process.stderr.write(message + '\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? '' : 'failed: '}${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
