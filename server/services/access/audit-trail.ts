import type { Principal } from '../../domain/access.js';
import type { AuditEntry, AuditRepository } from '../../storage/audit.repository.js';
import os from 'node:os';
import type { Logger } from '../../logger.js';

/** Who is acting and from where: a signed-in principal, the command line, or the system itself. */
export interface Actor {
  principal?: Principal;
  /** Set for command-line tools ("cli:<os user>") and background jobs ("system"). */
  name?: string;
  ip?: string;
}

export const SYSTEM_ACTOR: Actor = { name: 'system' };

export function cliActor(): Actor {
  return { name: `cli:${os.userInfo().username}` };
}

export type AuditEvent = Omit<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip'>;

/**
 * Records writes in the append-only audit log. A write has already happened when this runs, so a
 * failure to record it is logged loudly rather than turned into an error for the caller.
 */
export class AuditTrail {
  private readonly listeners: Array<(event: AuditEvent) => void> = [];

  constructor(
    private readonly repo: AuditRepository,
    private readonly logger: Logger,
  ) {}

  async record(actor: Actor, event: AuditEvent): Promise<void> {
    try {
      await this.repo.append([{ ...whoIs(actor), ...event }]);
    } catch (err) {
      this.logger.error('audit log write failed', { action: event.action, error: err as Error });
    }
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Calls `listener` after each recorded event (e.g. so live sockets drop at once when their account
   * signs out everywhere); returns the function that stops it.
   */
  onRecord(listener: (event: AuditEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }
}

function whoIs(actor: Actor): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip'> {
  const p = actor.principal;
  if (p) {
    return p.kind === 'token'
      ? { actorType: 'token', actorId: p.tokenId ?? null, actorName: p.username, ip: actor.ip ?? null }
      : { actorType: 'user', actorId: p.userId, actorName: p.username, ip: actor.ip ?? null };
  }
  if (actor.name?.startsWith('cli:')) return { actorType: 'cli', actorId: null, actorName: actor.name, ip: null };
  if (actor.name === 'system') return { actorType: 'system', actorId: null, actorName: 'system', ip: null };
  return { actorType: 'anonymous', actorId: null, actorName: actor.name ?? 'anonymous', ip: actor.ip ?? null };
}
