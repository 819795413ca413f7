import { defineConfig } from "drizzle-kit";

/**
 * `pnpm db:generate` writes the SQL migrations of the tables in `src/tables.ts` to the repository's
 * `migrations/` folder. Migrations come only from here (plus the custom migrations, `generate --custom`, that
 * enable pgvector and create the legal-hold triggers); they are committed and applied by `@kubernaut/db`'s
 * `migrate()`.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/tables.ts",
  out: "../../migrations",
});
