/**
 * The seats list a schematic town map is drawn from: one approximate position per town government
 * (WGS-84 [lng, lat]) and how far the map reaches beyond them. Pure; validation names every problem.
 */
import { z } from 'zod';

const lngLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

const seatSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'code must be lower-case letters, digits, - or _'),
  name: z.string().min(1).max(32),
  nameEn: z.string().min(1).max(64).optional(),
  /** [lng, lat] of the town government, WGS-84; approximate. */
  seat: lngLat,
});

/** A seats file as written by hand (see config/geo/langxi-seats.json). */
export const townSeatsSchema = z
  .object({
    county: z.object({ name: z.string().min(1), code: z.string().regex(/^\d{6}$/).optional(), nameEn: z.string().optional() }),
    /** How far the map reaches beyond the outermost seats, in km (ignored when `boundary` is given). Default 5. */
    marginKm: z.number().positive().max(200).default(5),
    /** Optional convex county outline ([lng, lat] ring) used instead of the grown hull of the seats. */
    boundary: z.array(lngLat).min(3).optional(),
    note: z.string().optional(),
    seats: z.array(seatSchema).min(1).max(500),
  })
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    value.seats.forEach((s, i) => {
      for (const key of [s.code, s.name, s.seat.join(',')]) {
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['seats', i], message: `duplicate "${key}" (also seats.${seen.get(key)})` });
        else seen.set(key, i);
      }
    });
  });

/** A validated seats file. */
export type TownSeats = z.infer<typeof townSeatsSchema>;
/** One town and its seat. */
export type TownSeat = TownSeats['seats'][number];

/** Validates a parsed seats file; throws an Error listing every problem as `path: message`. */
export function parseTownSeats(value: unknown): TownSeats {
  const parsed = townSeatsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
  throw new Error(`invalid seats file:\n  ${problems.join('\n  ')}`);
}
