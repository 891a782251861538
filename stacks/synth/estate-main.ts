/**
 * Bench entry (`npm run bench` with BENCH_SCALE): synthesizes the estate times ESTATE_FACTOR into CDKTF_OUTDIR and
 * prints `{ stacks, resources }` as JSON.
 */
import { synthesizeEstate } from "./estate";

const result = synthesizeEstate(process.env.CDKTF_OUTDIR ?? "cdktf.out", Number(process.env.ESTATE_FACTOR ?? 1));
console.log(JSON.stringify(result));
