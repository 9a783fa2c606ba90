// Imported first by main.ts, before any schema is built: zod would otherwise probe `new Function`
// for its JIT when the command schemas are constructed, which the CSP (no 'unsafe-eval') reports.
import { z } from "zod";

z.config({ jitless: true });
