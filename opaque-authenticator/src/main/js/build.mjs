// Bundles the page script with esbuild.
//   node build.mjs <outdir>
// writes <outdir>/keyward-opaque.js (the page script, small) and the two on-demand OPAQUE client
// bundles keyward-opaque-ristretto255.js and keyward-opaque-p256.js (each with its wasm inlined).
// The Maven build passes target/classes/theme-resources/resources/js; only keyward-opaque*.js
// files there are replaced.
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const version = (pkg) => JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, "utf8")).version;
const banner =
    `/*! Keyward OPAQUE page script. Includes @serenity-kit/opaque ${version("@serenity-kit/opaque")} and ` +
    `@serenity-kit/opaque-p256 ${version("@serenity-kit/opaque-p256")}, MIT License, https://github.com/serenity-kit/opaque */`;

const outdir = resolve(process.argv[2] || "dist");
// Only our own files: the directory is shared with other theme resources.
const OURS = /^keyward-opaque(-[A-Za-z0-9_-]+)?\.js$/;
mkdirSync(outdir, { recursive: true });
for (const name of readdirSync(outdir)) {
    if (OURS.test(name)) rmSync(join(outdir, name));
}

const result = await build({
    entryPoints: {
        "keyward-opaque": "src/page.js",
        "keyward-opaque-ristretto255": "src/suite-ristretto255.js",
        "keyward-opaque-p256": "src/suite-p256.js",
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["es2020", "chrome91", "firefox90", "safari15"],
    minify: true,
    // Shared code (if any) goes to a hashed chunk; entry names stay stable for the template.
    chunkNames: "keyward-opaque-chunk-[hash]",
    legalComments: "eof",
    banner: { js: banner },
    charset: "utf8",
    logLevel: "warning",
    metafile: true,
});

if (result.errors.length > 0) {
    process.exit(1);
}

for (const name of readdirSync(outdir)
    .filter((n) => OURS.test(n))
    .sort()) {
    const bytes = readFileSync(join(outdir, name));
    console.log(`[keyward-opaque] ${name}: ${bytes.length} bytes (${gzipSync(bytes, { level: 9 }).length} gzipped)`);
}
