// Bundles the page script with esbuild.
//   node build.mjs <outdir> [<manifest>]
// writes <outdir>/keyward-opaque-<hash>.js (the page script, small) and the two on-demand OPAQUE
// client bundles keyward-opaque-ristretto255-<hash>.js and keyward-opaque-p256-<hash>.js (each with
// its wasm inlined), the passkey script keyward-opaque-passkey-<hash>.js (loaded only when the page
// offers passkeys), and <manifest> (a properties file: page, ristretto255, p256, passkey -> file name).
// The names carry a hash of their content because Keycloak serves theme resources for 30 days under
// a URL that changes only with Keycloak's own version: a new name is how an upgraded pack reaches
// browsers, and the page script's import() of a suite bundle names the hashed file too.
// The Maven build passes target/classes/theme-resources/resources/js; only keyward-opaque*.js
// files there are replaced.
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const version = (pkg) => JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, "utf8")).version;
const banner =
    `/*! Keyward OPAQUE page script. Includes @serenity-kit/opaque ${version("@serenity-kit/opaque")} and ` +
    `@serenity-kit/opaque-p256 ${version("@serenity-kit/opaque-p256")}, MIT License, https://github.com/serenity-kit/opaque */`;

const outdir = resolve(process.argv[2] || "dist");
const manifest = resolve(process.argv[3] || join(outdir, "keyward-opaque-assets.properties"));
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
        "keyward-opaque-passkey": "src/passkey.js",
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["es2020", "chrome91", "firefox90", "safari15"],
    minify: true,
    entryNames: "[name]-[hash]",
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

// entry -> the file it became, for the templates (through the authenticator) and the tests
const ENTRIES = {
    "src/page.js": "page",
    "src/suite-ristretto255.js": "ristretto255",
    "src/suite-p256.js": "p256",
    "src/passkey.js": "passkey",
};
const files = {};
for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (output.entryPoint in ENTRIES) files[ENTRIES[output.entryPoint]] = basename(path);
}
if (Object.keys(files).length !== Object.keys(ENTRIES).length) {
    console.error(`[keyward-opaque] missing bundles: ${JSON.stringify(files)}`);
    process.exit(1);
}
mkdirSync(dirname(manifest), { recursive: true });
writeFileSync(
    manifest,
    "# written by build.mjs: the content-hashed page script bundles\n" +
        Object.entries(files)
            .map(([k, v]) => `${k}=${v}\n`)
            .join(""),
);

for (const name of readdirSync(outdir)
    .filter((n) => OURS.test(n))
    .sort()) {
    const bytes = readFileSync(join(outdir, name));
    console.log(`[keyward-opaque] ${name}: ${bytes.length} bytes (${gzipSync(bytes, { level: 9 }).length} gzipped)`);
}
