import type { ActionItemRepository } from "../../src/action-items/action-item-repository.js";
import { PrismaActionItemRepository } from "../../src/action-items/action-item-repository.js";
import type { AlarmRepository } from "../../src/alarms/alarm-repository.js";
import { PrismaAlarmRepository } from "../../src/alarms/alarm-repository.js";
import type { Db } from "../../src/db/client.js";
import { PrismaDeliveryRepository } from "../../src/db/delivery-repository.js";
import { PrismaJobRuns } from "../../src/db/job-runs.js";
import type { DebriefRepository } from "../../src/debriefs/debrief-repository.js";
import { PrismaDebriefRepository } from "../../src/debriefs/debrief-repository.js";
import type { DeviationRepository } from "../../src/deviations/deviation-repository.js";
import { PrismaDeviationRepository } from "../../src/deviations/deviation-repository.js";
import type { IncidentRepository } from "../../src/incidents/incident-repository.js";
import { PrismaIncidentRepository } from "../../src/incidents/incident-repository.js";
import type { MechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import { PrismaMechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import type { ReviewRepository } from "../../src/reviews/review-repository.js";
import { PrismaReviewRepository } from "../../src/reviews/review-repository.js";
import type { RollupRepository } from "../../src/rollups/rollup-repository.js";
import { PrismaRollupRepository } from "../../src/rollups/rollup-repository.js";
import type { DeliveryStore } from "../../src/shared/deliveries.js";
import type { JobRuns } from "../../src/shared/job-runs.js";
import type { TeamRepository } from "../../src/teams/team-repository.js";
import { PrismaTeamRepository } from "../../src/teams/team-repository.js";
import { InMemoryActionItemRepository } from "./fakes/in-memory-action-items.js";
import { InMemoryAlarmRepository } from "./fakes/in-memory-alarms.js";
import { InMemoryDebriefRepository } from "./fakes/in-memory-debriefs.js";
import { InMemoryDeliveryStore } from "./fakes/in-memory-deliveries.js";
import { InMemoryDeviationRepository } from "./fakes/in-memory-deviations.js";
import { InMemoryIncidentRepository } from "./fakes/in-memory-incidents.js";
import {
  InMemoryMechanismRepository,
  InMemoryReviewRepository,
  InMemoryTeamRepository,
} from "./fakes/in-memory-repositories.js";
import { InMemoryRollupRepository } from "./fakes/in-memory-rollups.js";
import { InMemoryStore } from "./fakes/store.js";
import { createTestDb, postgresSkipReason, testProvider } from "./test-db.js";

/** Every repository over one store, as compose() builds them over one database. */
export interface Repositories {
  teams: TeamRepository;
  mechanisms: MechanismRepository;
  reviews: ReviewRepository;
  jobRuns: JobRuns;
  alarms: AlarmRepository;
  debriefs: DebriefRepository;
  deviations: DeviationRepository;
  actionItems: ActionItemRepository;
  incidents: IncidentRepository;
  rollups: RollupRepository;
  deliveries: DeliveryStore;
}

/** One implementation under a contract: its repositories and how to end it. */
export interface OpenRepositories {
  repos: Repositories;
  close(): Promise<void>;
}

/** A way to open a fresh set, with the name the contract's describe carries. */
export interface RepositoryImplementation {
  name: string;
  open(): Promise<OpenRepositories>;
}

function prismaRepositories(db: Db): Repositories {
  const actionItems = new PrismaActionItemRepository(db);
  return {
    teams: new PrismaTeamRepository(db),
    mechanisms: new PrismaMechanismRepository(db),
    reviews: new PrismaReviewRepository(db),
    jobRuns: new PrismaJobRuns(db),
    alarms: new PrismaAlarmRepository(db),
    debriefs: new PrismaDebriefRepository(db),
    deviations: new PrismaDeviationRepository(db),
    actionItems,
    incidents: new PrismaIncidentRepository(db),
    rollups: new PrismaRollupRepository(db, actionItems),
    deliveries: new PrismaDeliveryRepository(db),
  };
}

export function inMemoryRepositories(store = new InMemoryStore()): Repositories & { store: InMemoryStore } {
  return {
    store,
    teams: new InMemoryTeamRepository(store),
    mechanisms: new InMemoryMechanismRepository(store),
    reviews: new InMemoryReviewRepository(store),
    jobRuns: store.jobRuns,
    alarms: new InMemoryAlarmRepository(store),
    debriefs: new InMemoryDebriefRepository(store),
    deviations: new InMemoryDeviationRepository(store),
    actionItems: new InMemoryActionItemRepository(store),
    incidents: new InMemoryIncidentRepository(store),
    rollups: new InMemoryRollupRepository(store),
    deliveries: new InMemoryDeliveryStore(),
  };
}

/** The Prisma repositories on a fresh test database of this run's provider (SQLite, or PostgreSQL). */
export const prismaImplementation: RepositoryImplementation = {
  name: `prisma [${testProvider}]`,
  async open() {
    const t = await createTestDb();
    return { repos: prismaRepositories(t.db), close: () => t.close() };
  },
};

export const inMemoryImplementation: RepositoryImplementation = {
  name: "in-memory fakes",
  async open() {
    return { repos: inMemoryRepositories(), close: async () => {} };
  },
};

/** True when this test process can open the Prisma implementation (PostgreSQL needs TEST_DATABASE_URL). */
export const prismaAvailable = postgresSkipReason === undefined;
