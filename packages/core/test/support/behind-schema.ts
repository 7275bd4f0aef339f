import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import {
  dedicatedSchemaName,
  type SkillBridgeDatabase,
  tenantMigrationNames,
} from "../../src/index.js";
import { tenantMigrations } from "../../src/schema/migrate.js";

/**
 * An academy placed in a dedicated schema that has only the first `upTo`
 * tenant migrations: what a schema looks like after a new migration ships.
 * Returns the schema's name.
 */
export async function behindAcademy(db: SkillBridgeDatabase, upTo: number): Promise<string> {
  const id = randomUUID();
  const schema = dedicatedSchemaName(id);
  await (db.kysely as unknown as Kysely<unknown>).transaction().execute(async (trx) => {
    await sql`insert into academies (id, slug, name, placement)
              values (${id}, ${`behind-${id.slice(0, 8)}`}, 'Behind', 'schema')`.execute(trx);
    await sql.raw(`create schema ${schema}`).execute(trx);
    await sql
      .raw(
        `create table ${schema}.skillbridge_tenant_migrations (name varchar(255) not null primary key, timestamp varchar(255) not null)`,
      )
      .execute(trx);
    const migrations = tenantMigrations(schema);
    for (const name of tenantMigrationNames().slice(0, upTo)) {
      await migrations[name]?.up(trx);
      await sql`insert into ${sql.table(`${schema}.skillbridge_tenant_migrations`)}
                values (${name}, ${new Date().toISOString()})`.execute(trx);
    }
  });
  return schema;
}
