import { defineConfig } from "drizzle-kit";

/**
 * `pnpm db:generate` writes the SQL migrations of the tables in `src/tables.ts` to the repository's
 * `migrations/` folder. Migrations come only from here (plus the one custom migration that enables
 * pgvector); they are committed and applied by `@kubernaut/db`'s `migrate()`.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/tables.ts",
  out: "../../migrations",
});
