// Loaded on demand by page.js for data-suite="ristretto255-SHA512" (the default suite).
// Its own bundle, keyward-opaque-ristretto255.js, carries the library's inlined wasm.
export { client, ready } from "@serenity-kit/opaque";
