import type { Config } from '../config/index.js';
import type { Logger } from './logger.js';
import { openConfiguredDatabase, type Database } from './storage/db.js';
import { CameraRepository } from './storage/camera.repository.js';
import { MaintenanceRepository } from './storage/maintenance.repository.js';
import { ConsoleRepository } from './storage/console.repository.js';
import { LivenessRepository } from './storage/liveness.repository.js';
import { CheckNowService } from './services/liveness/check-now.service.js';
import { probes } from '../workers/probes/index.js';
import type { CredentialCipher } from './secrets/credential-cipher.js';
import { openCameraCipher } from './secrets/camera-key.js';
import { CodeList, type Catalog } from './services/registry/catalog.js';
import { makeCameraInputSchemas, type CameraInputSchemas } from './services/registry/camera-input.js';
import { RegistryService } from './services/registry/registry.service.js';
import { ImportService } from './services/registry/import.service.js';
import { ExportService } from './services/registry/export.service.js';
import { createStateEventBus } from './events/create-bus.js';
import type { StateEventBus } from './events/state-events.js';
import { AuditRepository } from './storage/audit.repository.js';
import { UserRepository } from './storage/user.repository.js';
import { SessionRepository } from './storage/session.repository.js';
import { ApiTokenRepository } from './storage/api-token.repository.js';
import { SignInThrottleRepository } from './storage/sign-in-throttle.repository.js';
import { AuditTrail } from './services/access/audit-trail.js';
import { AuthService } from './services/access/auth.service.js';
import { UserService } from './services/access/user.service.js';
import { TokenService } from './services/access/token.service.js';
import { AuditLogService } from './services/access/audit-log.service.js';
import { AuditedRegistry } from './services/registry/audited-registry.js';

/** Everything the HTTP app, the CLI commands and the benchmarks share. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Database;
  catalog: Catalog;
  cipher: CredentialCipher;
  schemas: CameraInputSchemas;
  cameras: CameraRepository;
  registry: RegistryService;
  importer: ImportService;
  exporter: ExportService;
  /** State changes from workers (any process) to this server. */
  bus: StateEventBus;
  consoleRepo: ConsoleRepository;
  checkNow: CheckNowService;
  /** Registry writes with town checks and audit records: what the HTTP routes call. */
  writes: AuditedRegistry;
  audit: AuditTrail;
  auditLog: AuditLogService;
  auth: AuthService;
  users: UserService;
  userRepo: UserRepository;
  tokens: TokenService;
}

export function catalogFromConfig(config: Config): Catalog {
  return {
    countyCode: config.countyCode,
    countyName: config.countyName,
    idEdition: config.gb28181Edition,
    towns: new CodeList(config.towns),
    networks: new CodeList(config.networks),
  };
}

/** Wires services on an open database (opened here from config when not given). */
export async function createContext(config: Config, logger: Logger, database?: Database): Promise<AppContext> {
  const { cipher } = openCameraCipher(config.dataDir, config.cameraSecretKey, logger);
  const db = database ?? (await openConfiguredDatabase(config));
  const catalog = catalogFromConfig(config);
  const schemas = makeCameraInputSchemas(catalog);
  const cameras = new CameraRepository(db);
  const registry = new RegistryService(cameras, catalog, cipher);
  const bus = createStateEventBus(db, logger);
  const checkNow = new CheckNowService({
    cameras,
    liveness: new LivenessRepository(db),
    probes,
    cipher,
    bus,
    config: config.liveness,
    logger,
    claimer: `${config.liveness.workerId}/check-now`,
  });
  const importer = new ImportService(db, cameras, registry, schemas, cipher, () => {
    void new MaintenanceRepository(db).vacuumAnalyze(['cameras', 'camera_checks']).catch((err: Error) => logger.warn('vacuum after import failed', { error: err }));
  });
  const auditRepo = new AuditRepository(db);
  const audit = new AuditTrail(auditRepo, logger);
  const userRepo = new UserRepository(db);
  const sessions = new SessionRepository(db);
  const throttle = new SignInThrottleRepository(db);
  return {
    config,
    logger,
    db,
    catalog,
    cipher,
    schemas,
    cameras,
    registry,
    importer,
    exporter: new ExportService(cameras, catalog),
    bus,
    consoleRepo: new ConsoleRepository(db),
    checkNow,
    writes: new AuditedRegistry(registry, importer, checkNow, audit),
    audit,
    auditLog: new AuditLogService(auditRepo),
    auth: new AuthService({ users: userRepo, sessions, throttle, audit, config: config.auth }),
    users: new UserService(userRepo, sessions, catalog.towns, audit, throttle),
    userRepo,
    tokens: new TokenService(new ApiTokenRepository(db), userRepo, catalog.towns, audit),
  };
}
