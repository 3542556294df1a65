/**
 * `npm run map:schematic -- <seats.json> [out.geojson]`: draws a county's schematic town map
 * (Voronoi regions around approximate town seats, marked 示意图，非测绘数据) from a seats list, so
 * any county can make the file the console's MAP_GEOJSON_FILE points at. Writes to stdout without
 * an output file. The seats format is config/geo/langxi-seats.json (see server/domain/town-seats.ts).
 * Exit codes: 0 written, 2 bad arguments or an unusable seats file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildSchematicMap, formatSchematicMap, type SchematicMap } from '../domain/schematic-map.js';
import { parseTownSeats } from '../domain/town-seats.js';

const USAGE = `usage: npm run map:schematic -- <seats.json> [out.geojson]
  seats.json: { "county": { "name": "郎溪县", "code": "341821" }, "marginKm": 6,
                "seats": [ { "code": "jianping", "name": "建平镇", "nameEn": "Jianping", "seat": [119.18, 31.127] }, … ] }
  optional "boundary": a convex [[lng, lat], …] county outline used instead of the seats' hull grown by marginKm`;

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.values.help) return void process.stdout.write(USAGE + '\n'), 0;
  const [seatsFile, outFile] = args.positionals;
  if (!seatsFile || args.positionals.length > 2) return fail(USAGE);
  let map: SchematicMap;
  try {
    map = buildSchematicMap(parseTownSeats(JSON.parse(readFileSync(seatsFile, 'utf8'))));
  } catch (err) {
    return fail(`${seatsFile}: ${(err as Error).message}`);
  }
  const text = formatSchematicMap(map);
  if (!outFile) {
    process.stdout.write(text);
    return 0;
  }
  writeFileSync(outFile, text);
  const areas = map.features.map((f) => `${f.properties.name} ${f.properties.areaKm2} km²`).join(', ');
  process.stderr.write(`wrote ${map.features.length} schematic town regions to ${outFile}: ${areas}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(message + '\n');
  return 2;
}

process.exitCode = main(process.argv.slice(2));
