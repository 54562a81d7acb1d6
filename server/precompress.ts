/**
 * Build step (`npm run build`): writes a brotli (.br, quality 11) and a gzip
 * (.gz, level 9) copy beside every script and style sheet of the browser
 * build. Those files never change once built, so they are compressed once,
 * at the best ratio, instead of on every request at the fast, weaker level
 * compression() can afford (brotli 4 came out no smaller than gzip), and are
 * sent with their length. server/static-assets.ts picks the copy per request.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const dir = path.resolve(process.argv[2] ?? "build/client/assets");
const files = (await readdir(dir)).filter((f) => /\.(js|css)$/.test(f));
let before = 0;
let after = 0;
// Two at a time: zlib runs on the thread pool, and the machines have few cores.
for (let i = 0; i < files.length; i += 2) {
  await Promise.all(
    files.slice(i, i + 2).map(async (name) => {
      const file = path.join(dir, name);
      const source = await readFile(file);
      const [br, gzipped] = await Promise.all([
        brotli(source, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: source.byteLength,
          },
        }),
        gz(source, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
      before += source.byteLength;
      after += br.byteLength;
    }),
  );
}
console.log(`precompressed ${files.length} assets: ${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB in brotli`);
