import type { Config } from '../config/index.js';
import type { Logger } from './logger.js';
import { openConfiguredDatabase, type Database } from './storage/db.js';
import { CameraRepository } from './storage/camera.repository.js';
import { MaintenanceRepository } from './storage/maintenance.repository.js';
import { ConsoleRepository } from './storage/console.repository.js';
import { LivenessRepository } from './storage/liveness.repository.js';
import { CheckNowService } from './services/liveness/check-now.service.js';
import { probes } from '../workers/probes/index.js';
import { CredentialCipher } from './secrets/credential-cipher.js';
import { loadOrCreateCameraKey } from './secrets/camera-key.js';
import { CodeList, type Catalog } from './services/registry/catalog.js';
import { makeCameraInputSchemas, type CameraInputSchemas } from './services/registry/camera-input.js';
import { RegistryService } from './services/registry/registry.service.js';
import { ImportService } from './services/registry/import.service.js';
import { ExportService } from './services/registry/export.service.js';
import { createStateEventBus } from './events/create-bus.js';
import type { StateEventBus } from './events/state-events.js';

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
  const { key } = loadOrCreateCameraKey(config.dataDir, config.cameraSecretKey);
  const db = database ?? (await openConfiguredDatabase(config));
  const catalog = catalogFromConfig(config);
  const cipher = new CredentialCipher(key);
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
  return {
    config,
    logger,
    db,
    catalog,
    cipher,
    schemas,
    cameras,
    registry,
    importer: new ImportService(db, cameras, registry, schemas, cipher, () => {
      void new MaintenanceRepository(db).vacuumAnalyze(['cameras', 'camera_checks']).catch((err: Error) => logger.warn('vacuum after import failed', { error: err }));
    }),
    exporter: new ExportService(cameras, catalog),
    bus,
    consoleRepo: new ConsoleRepository(db),
    checkNow,
  };
}
